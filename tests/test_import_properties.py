"""The two import readers (startups: seeds.importing, needs: needs.importing) on hostile cells (finding 9 of
issue 13).

Properties: rows whose cells are digits of every script, control characters, huge numbers, formulas, long
strings, empty or valid values, written as CSV and as XLSX, never make reading and validating raise anything but
the reader's own errors (a row error; a file error only for a file of blank rows); every row is either a record
or reported by its line; every record can be stored; and a valid row stays valid, with its values unchanged.
Pages: the review's hostile values are row errors at preview, naming the column, in Japanese. PostgreSQL: the
boundary values import end to end, one past them is a row error, and confirming never raises a DataError.
"""

import csv
import importlib
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.backends.base.operations import BaseDatabaseOperations
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from hypothesis import example, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from accounts.enums import RoleCode, UnitCode
from core.validators import Vocabulary, choice_terms
from needs.enums import Pathway, Visibility
from needs.importing import NEED_COLUMNS, need_vocabularies, parse_need_rows
from needs.models import Need
from seeds.enums import DesignationProgram
from seeds.importing import (
    IMPORT_COLUMNS,
    ImportFileError,
    RowError,
    parse_rows,
    prefecture_vocabulary,
    read_table,
    startup_vocabularies,
    tech_field_vocabulary,
)
from seeds.models import Startup, TechField
from seeds.prefectures import PREFECTURE_NAMES, PREFECTURES
from tests.factories import make_corporate_number

TECH_FIELDS = {"unmanned", "sensing", "ai"}
# The taxonomy as its migration ships it, so that these properties need no database.
SHIPPED_TECH_FIELDS = [
    SimpleNamespace(code=code, name_ja=name_ja, name_en=name_en)
    for code, name_ja, name_en in importlib.import_module("seeds.migrations.0002_tech_fields").TECH_FIELDS
]
TECH_FIELD_VOCABULARY = tech_field_vocabulary([field for field in SHIPPED_TECH_FIELDS if field.code in TECH_FIELDS])
NEXT_YEAR = timezone.localdate().year + 1
PROPERTY_SETTINGS = settings(max_examples=60, deadline=None, derandomize=True, database=None)

# --- Valid cells ------------------------------------------------------------------------------------------------

# Letters, marks, digits, punctuation and symbols of every script (no control or unassigned characters); no
# apostrophe, which at the start of a cell is the export writer's and is taken off again by the readers.
_VISIBLE = st.characters(categories=["L", "M", "N", "P", "S"], exclude_characters="'")


def text(min_size: int, max_size: int, alphabet=_VISIBLE):
    """Words of `alphabet` with single spaces between them: text as a reader keeps it (stripped)."""
    longest = min(20, max_size)
    words = max(1, (max_size + 1) // (longest + 1))  # each word and a space fit
    phrases = st.lists(st.text(alphabet, min_size=1, max_size=longest), min_size=min(min_size, 1), max_size=words)
    return phrases.map(" ".join).filter(lambda value: min_size <= len(value) <= max_size)


def optional(strategy):
    return st.one_of(st.just(""), strategy)


def number(low: int, high: int):
    return optional(st.integers(low, high).map(str))


def paragraphs(min_lines: int = 0):
    return st.lists(text(1, 80), min_size=min_lines, max_size=5).map("\n".join)  # at most 404 characters


STARTUP_CELLS = {
    "name": text(1, 200),
    "name_en": text(0, 200),
    "description": paragraphs(),
    "technologies": st.lists(text(1, 100, st.characters(categories=["L", "N", "S"])), max_size=30).map(";".join),
    "tech_fields": st.sets(st.sampled_from(sorted(TECH_FIELDS))).map(lambda codes: ";".join(sorted(codes))),
    "trl": number(1, 9),
    "designations": optional(st.just("jstartup:2023")),
    "prefecture": optional(st.sampled_from(sorted(PREFECTURE_NAMES))),
    "founded_year": number(1800, NEXT_YEAR),
    "employees": number(0, 10_000_000),
    "website": optional(st.from_regex(r"https://[a-z]{1,20}\.example\.jp/[a-z0-9]{0,200}", fullmatch=True)),
}
NEED_CELLS = {
    "title": text(1, 200),
    "description": paragraphs(min_lines=1),
    "desired_capabilities": paragraphs(),
    "tech_fields": STARTUP_CELLS["tech_fields"],
    "min_trl": number(1, 9),
    "owner_unit": st.sampled_from(UnitCode.values),
    "pathway": st.sampled_from(Pathway.values),
    "visibility": optional(st.sampled_from(Visibility.values)),
}

# --- Hostile cells ----------------------------------------------------------------------------------------------

HOSTILE_CELLS = st.one_of(
    st.text(st.characters(categories=["Nd", "No"]), min_size=1, max_size=12),  # '١٢', '７', '²', '½' …
    st.builds(
        lambda before, control, after: before + control + after,
        text(0, 5),
        st.characters(categories=["Cc"]),
        text(0, 5),
    ),
    st.builds(lambda digit, count: digit * count, st.sampled_from("123456789"), st.integers(10, 6000)),  # huge
    st.sampled_from(["2147483647", "2147483648", "32767", "32768", "9223372036854775808", "-1", "0", "10", "1e3"]),
    st.sampled_from(["=cmd|'/c calc'!A1", "+1", "-1", "@SUM(A1)", "'=1+1", "\t=1", "\r=1", "＝1"]),
    st.just(""),
    st.builds(lambda char, count: char * count, st.characters(codec="utf-8"), st.integers(190, 7000)),  # long
    st.text(st.characters(codec="utf-8"), max_size=30),  # anything at all
)


@dataclass(frozen=True)
class Reader:
    name: str
    columns: list[str]
    key: str  # the column a record is upserted by
    cells: dict  # column → strategy of valid cells
    read: Callable  # (content, filename) → (records, errors)
    model: type
    fields: list[str]  # the model fields a record sets

    def key_of(self, index: int) -> str:
        return make_corporate_number(7000 + index) if self.key == "corporate_number" else f"PROP-{index}"


STARTUP_FIELDS = ["corporate_number", "name", "name_en", "description", "technologies", "trl", "prefecture"]
STARTUP_FIELDS += ["founded_year", "employees", "website"]
NEED_FIELDS = ["ref", "title", "description", "desired_capabilities", "min_trl", "pathway", "visibility"]


READERS = {
    "startups": Reader(
        "startups",
        IMPORT_COLUMNS,
        "corporate_number",
        STARTUP_CELLS,
        lambda content, name: parse_rows(read_table(content, name), tech_field_codes=TECH_FIELD_VOCABULARY),
        Startup,
        STARTUP_FIELDS,
    ),
    "needs": Reader(
        "needs",
        NEED_COLUMNS,
        "ref",
        NEED_CELLS,
        lambda content, name: parse_need_rows(
            read_table(content, name, NEED_COLUMNS), tech_field_codes=TECH_FIELD_VOCABULARY
        ),
        Need,
        NEED_FIELDS,
    ),
}


@st.composite
def tables(draw, reader: Reader) -> list[tuple[bool, dict[str, str]]]:
    """1–5 rows as (meant to be valid, cells); a hostile row has hostile cells in some of its columns."""
    rows = []
    for index in range(draw(st.integers(1, 5))):
        row = {reader.key: reader.key_of(index), **{column: draw(cells) for column, cells in reader.cells.items()}}
        valid = draw(st.booleans())
        if not valid:
            for column in draw(st.sets(st.sampled_from(reader.columns), min_size=1)):
                row[column] = draw(HOSTILE_CELLS)
        rows.append((valid, row))
    return rows


def _valid_row(reader: Reader, index: int, **cells) -> tuple[bool, dict[str, str]]:
    values = {"startups": {"name": "株式会社試験", "trl": "5"}, "needs": {"title": "探知", "description": "探知"}}
    values["needs"].update(owner_unit=UnitCode.GSDF, pathway=Pathway.EARLY_EQUIPMENT)
    row = dict.fromkeys(reader.columns, "") | {reader.key: reader.key_of(index)} | values[reader.name]
    return not cells, row | cells


# The review's cases, always run before the random ones.
REVIEW_CASES = {
    "startups": [
        _valid_row(READERS["startups"], 0),
        _valid_row(READERS["startups"], 1, trl="9" * 5000),
        _valid_row(READERS["startups"], 2, employees="9" * 5000, founded_year="²"),
        _valid_row(READERS["startups"], 3, name="株式会社\x00試験", website="https://a.example.jp/\x00"),
    ],
    "needs": [
        _valid_row(READERS["needs"], 0),
        _valid_row(READERS["needs"], 1, min_trl="²"),
        _valid_row(READERS["needs"], 2, min_trl="9" * 5000, title="探\x00知"),
    ],
}

# --- Files as an uploader writes them (raw: no export writer) ---------------------------------------------------

# XML 1.0 cannot hold these, so an XLSX cannot either; and XML reads a CR as a line end.
_NOT_IN_XML = str.maketrans(
    {**dict.fromkeys([*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0xFFFE, 0xFFFF]), 0x0D: 0x0A}
)


def csv_file(columns: list[str], rows: list[dict[str, str]]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(columns)
    writer.writerows([row[column] for column in columns] for row in rows)
    return buffer.getvalue().encode("utf-8")


def xlsx_file(columns: list[str], rows: list[dict[str, str]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for line, values in enumerate([dict(zip(columns, columns, strict=True)), *rows], 1):
        for position, column in enumerate(columns, 1):
            cell = sheet.cell(line, position, values[column].translate(_NOT_IN_XML))
            cell.data_type = "s"  # the text as typed, even "=…" (a formula cell would read back empty)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def as_written(fmt: str, value: str) -> str:
    return value.translate(_NOT_IN_XML) if fmt == "xlsx" else value


# --- The oracle: what a record may hold ---------------------------------------------------------------------------

MULTILINE = {"description", "desired_capabilities"}


def assert_storable(reader: Reader, record) -> None:
    instance = reader.model(**{name: getattr(record, name) for name in reader.fields})
    # The model's own checks: max_length, choices, URL, Min/Max validators.
    instance.clean_fields(exclude=[f.name for f in reader.model._meta.fields if f.name not in reader.fields])
    for field in instance._meta.concrete_fields:
        value = getattr(instance, field.attname)
        texts = value if isinstance(value, list) else [value] if isinstance(value, str) else []
        for item in texts:
            allowed = "\t\n\r" if field.name in MULTILINE else ""
            controls = [c for c in item if unicodedata.category(c) in ("Cc", "Cs") and c not in allowed]
            assert not controls, f"{field.name} holds control characters {controls!r}"
        if isinstance(value, int) and field.get_internal_type() in BaseDatabaseOperations.integer_field_ranges:
            low, high = BaseDatabaseOperations.integer_field_ranges[field.get_internal_type()]
            assert low <= value <= high, f"{field.name}={value} does not fit the column"
    for technology in getattr(record, "technologies", []):
        assert len(technology) <= 100


def check_reader(reader: Reader, fmt: str, table: list[tuple[bool, dict[str, str]]]) -> None:
    rows = [row for _valid, row in table]
    content = (csv_file if fmt == "csv" else xlsx_file)(reader.columns, rows)
    try:
        records, errors = reader.read(content, f"list.{fmt}")
    except ImportFileError:
        assert all(not as_written(fmt, value).strip() for row in rows for value in row.values()), "a file error"
        return
    assert all(isinstance(error, RowError) and error.column in reader.columns and error.message for error in errors)
    error_lines = {error.line for error in errors}
    assert not error_lines & {record.line for record in records}
    blank = sum(1 for row in rows if not any(as_written(fmt, value).strip() for value in row.values()))
    assert len(records) + len(error_lines) == len(rows) - blank  # every row is a record or reported
    for record in records:
        assert_storable(reader, record)
    by_key = {getattr(record, reader.key): record for record in records}
    for valid, row in table:
        if valid:
            record = by_key.get(row[reader.key])
            assert record is not None, f"a valid row was refused: {errors}"
            for column in reader.cells:
                kept = getattr(record, column)
                if column == "designations":
                    kept = [f"{program}:{cohort}" for program, cohort in kept]
                if isinstance(kept, list):
                    kept = ";".join(kept)
                assert str("" if kept is None else kept) == row[column] or (column, row[column]) == ("visibility", "")


# Either reader, then a table for it (the review's cases for each are always run first).
READER_TABLES = st.sampled_from(list(READERS)).flatmap(lambda name: tables(READERS[name]).map(lambda t: (name, t)))


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@PROPERTY_SETTINGS
@given(case=READER_TABLES)
@example(case=("startups", REVIEW_CASES["startups"]))
@example(case=("needs", REVIEW_CASES["needs"]))
def test_each_reader_only_ever_reports_row_errors_and_keeps_valid_rows(fmt, case):
    reader_name, table = case
    check_reader(READERS[reader_name], fmt, table)


def test_a_crafted_workbook_is_a_file_error_not_a_crash():
    source = zipfile.ZipFile(io.BytesIO(xlsx_file(IMPORT_COLUMNS, [_valid_row(READERS["startups"], 0)[1]])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as crafted:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":  # a NUL, which XML forbids, and a 5,000-digit number
                extra = "<row r='3'><c r='A3' t='inlineStr'><is><t>a&#0;b</t></is></c>"
                extra += f"<c r='G3'><v>{'9' * 5000}</v></c></row>"
                data = data.replace(b"</sheetData>", extra.encode() + b"</sheetData>")
            crafted.writestr(item, data)
    with pytest.raises(ImportFileError):
        READERS["startups"].read(out.getvalue(), "list.xlsx")


# --- The pages: row errors at preview, naming the column, in Japanese ----------------------------------------------

UPLOADS = {
    "startups": (RoleCode.CURATOR, "seeds:import_upload", "seeds:import_confirm"),
    "needs": (RoleCode.NEED_REVIEWER, "needs:need_import", "needs:need_import_confirm"),
}
HUGE, SUPERSCRIPT, FULL_WIDTH, NUL = "9" * 5000, "²", "７", "\x00"  # ² and ７ pass isdigit(); int() refuses ²
PAGE_CASES = {
    "startups-trl-5000-digits": ("startups", "trl", HUGE),
    "startups-employees-5000-digits": ("startups", "employees", HUGE),
    "startups-founded_year-5000-digits": ("startups", "founded_year", HUGE),
    "startups-trl-superscript": ("startups", "trl", SUPERSCRIPT),
    "startups-trl-full-width": ("startups", "trl", FULL_WIDTH),
    "startups-employees-past-int": ("startups", "employees", "2147483648"),
    "startups-name-nul": ("startups", "name", f"株式会社{NUL}試験"),
    "startups-description-nul": ("startups", "description", f"説明{NUL}"),
    "startups-technologies-nul": ("startups", "technologies", f"AI;画像{NUL}認識"),
    "startups-website-nul": ("startups", "website", f"https://a.example.jp/{NUL}"),
    "startups-prefecture-nul": ("startups", "prefecture", f"東京都{NUL}"),
    "needs-min_trl-5000-digits": ("needs", "min_trl", HUGE),
    "needs-min_trl-superscript": ("needs", "min_trl", SUPERSCRIPT),
    "needs-min_trl-full-width": ("needs", "min_trl", FULL_WIDTH),
    "needs-ref-nul": ("needs", "ref", f"N-2026-{NUL}"),
    "needs-ref-superscript": ("needs", "ref", f"N-2026-{SUPERSCRIPT}"),
    "needs-title-nul": ("needs", "title", f"探知{NUL}"),
    "needs-desired_capabilities-nul": ("needs", "desired_capabilities", NUL),
    "needs-tech_fields-nul": ("needs", "tech_fields", f"ai;{NUL}"),
}


def upload(client, reader: Reader, rows: list[dict[str, str]]):
    _role, upload_url, _confirm = UPLOADS[reader.name]
    file = SimpleUploadedFile("list.csv", csv_file(reader.columns, rows), content_type="text/csv")
    response = client.post(reverse(upload_url), {"file": file})
    assert response.status_code == 302, response.content.decode()[:500]
    return response["Location"]


def errors_shown(preview) -> list[tuple[int, str, str]]:
    errors = preview.context["result"]["errors"]
    return [
        (e.line, e.column, e.message) if isinstance(e, RowError) else (e["line"], e["column"], e["message"])
        for e in errors
    ]


@pytest.mark.parametrize("case", PAGE_CASES)
def test_each_hostile_cell_is_a_row_error_at_preview_naming_its_column(client_for, case):
    reader_name, column, value = PAGE_CASES[case]
    reader = READERS[reader_name]
    client = client_for(UPLOADS[reader_name][0])
    rows = [_valid_row(reader, 0)[1], _valid_row(reader, 1, **{column: value})[1]]
    preview = client.get(upload(client, reader, rows))
    assert preview.status_code == 200
    shown = errors_shown(preview)
    assert [(line, name) for line, name, _message in shown] == [(3, column)]
    assert any("\u3040" <= char <= "\u30ff" or "\u4e00" <= char <= "\u9fff" for char in shown[0][2])  # Japanese
    assert "\x00" not in preview.content.decode()


def expected_codes(reader_name: str) -> dict[str, list[tuple[str, str, str]]]:
    """(code, Japanese, English) of each coded column, from the TechField table, the enums and the prefectures."""
    tech_fields = [(f.code, f.name_ja, f.name_en) for f in TechField.objects.all()]
    if reader_name == "startups":
        prefectures = [(name, name, english) for name, english in PREFECTURES]
        return {
            "tech_fields": tech_fields,
            "designations": _catalogue_terms(DesignationProgram),
            "prefecture": prefectures,
        }
    return {"tech_fields": tech_fields, **{c: _catalogue_terms(e) for c, e in NEED_CODED_COLUMNS.items()}}


NEED_CODED_COLUMNS = {"owner_unit": UnitCode, "pathway": Pathway, "visibility": Visibility}


def code_tables(body: str) -> dict[str, str]:
    """The collapsible table of each coded column on a page, by column."""
    return dict(re.findall(r'<details data-testid="codes-(\w+)">(.*?)</details>', body, re.DOTALL))


def assert_lists(tables: dict[str, str], expected: dict[str, list[tuple[str, str, str]]]) -> None:
    assert set(tables) == set(expected)
    for column, terms in expected.items():
        table = tables[column]
        assert table.count("<tr>") == len(terms) + 1, column  # the header and one row per code, no more
        for code, name_ja, name_en in terms:
            assert f"<td><code>{escape(code)}</code></td>" in table, (column, code)
            assert f">{escape(name_ja)}<" in table and f">{escape(name_en)}<" in table, (column, code)


@pytest.mark.parametrize("reader_name", READERS)
def test_the_upload_page_lists_every_code_of_every_coded_column_with_its_labels(client_for, reader_name):
    _role, upload_url, _confirm = UPLOADS[reader_name]
    body = client_for(UPLOADS[reader_name][0]).get(reverse(upload_url)).content.decode()
    assert_lists(code_tables(body), expected_codes(reader_name))


@pytest.mark.parametrize("reader_name", READERS)
def test_a_preview_with_an_unknown_code_names_it_and_lists_the_valid_codes(client_for, reader_name):
    reader = READERS[reader_name]
    client = client_for(UPLOADS[reader_name][0])
    preview = client.get(upload(client, reader, [_valid_row(reader, 0, tech_fields="ai;sensingg")[1]]))
    [(line, column, message)] = errors_shown(preview)
    assert (line, column) == (2, "tech_fields")
    assert "「sensingg」" in message and "sensing" in message.replace("sensingg", "")  # the value and the nearest
    assert_lists(code_tables(preview.content.decode()), expected_codes(reader_name))


LABELLED = {  # cells written as labels, as a list from outside would have them, and the codes they stand for
    "startups": (
        {
            "tech_fields": "人工知能;ＳＥＮＳＩＮＧ;ｾﾝｼﾝｸﾞ・探知",
            "designations": "J-Startup地域版:2023",
            "prefecture": "東京",
        },
        {"tech_fields": ["ai", "sensing"], "designations": [("jstartup_local", "2023")], "prefecture": "東京都"},
    ),
    "needs": (
        {
            "tech_fields": "Space",
            "owner_unit": "陸上幕僚監部",
            "pathway": "Bridging research",
            "visibility": "政府職員のみ",
        },
        {"tech_fields": ["space"], "owner_unit": "gsdf", "pathway": "bridging_research", "visibility": "government"},
    ),
}


def stored_codes(obj, column: str):
    if column == "tech_fields":
        return sorted(obj.tech_fields.values_list("code", flat=True))
    if column == "designations":
        return list(obj.designations.values_list("program", "cohort"))
    if column == "owner_unit":
        return obj.owner_unit.unit_code
    return getattr(obj, column)


@pytest.mark.parametrize("reader_name", READERS)
def test_labels_uploaded_through_the_page_are_stored_as_their_codes(client_for, reader_name):
    reader = READERS[reader_name]
    cells, codes = LABELLED[reader_name]
    client = client_for(UPLOADS[reader_name][0])
    preview = client.get(upload(client, reader, [_valid_row(reader, 0, **cells)[1]]))
    assert errors_shown(preview) == []
    client.post(reverse(UPLOADS[reader_name][2], args=[preview.context["pending"].pk]))
    stored = reader.model.objects.get()
    assert {column: stored_codes(stored, column) for column in codes} == codes


# --- PostgreSQL: boundary values end to end ------------------------------------------------------------------------

BOUNDARY = {
    "startups": {
        "name": "名" * 200,
        "name_en": "N" * 200,
        "description": "説" * 4000,
        "technologies": ";".join(f"{n:02d}" + "技" * 98 for n in range(30)),
        "trl": "9",
        "founded_year": str(NEXT_YEAR),
        "employees": "10000000",
        "website": "https://a.example.jp/" + "p" * (300 - len("https://a.example.jp/")),
    },
    "needs": {
        "ref": "R" * 30,
        "title": "題" * 200,
        "description": "説" * 6000,
        "desired_capabilities": "能" * 4000,
        "min_trl": "9",
    },
}
PAST_BOUNDARY = {
    "startups": [
        {"name": "名" * 201},
        {"employees": "2147483648"},
        {"trl": "32768"},
        {"founded_year": "9" * 5000},
        {"name": "名\x00"},
        {"technologies": "技" * 101},
    ],
    "needs": [
        {"ref": "R" * 31},
        {"title": "題" * 201},
        {"min_trl": "32768"},
        {"min_trl": "²"},
        {"description": "\x00"},
    ],
}


@pytest.fixture
def postgresql(db):
    if connection.vendor != "postgresql":
        reason = "needs PostgreSQL (DATABASE_URL=postgres://…): SQLite stores NUL and over-long text without complaint"
        print(reason)
        pytest.skip(reason)


@pytest.mark.parametrize("reader_name", READERS)
def test_boundary_values_import_and_one_past_them_are_row_errors_on_postgresql(postgresql, client_for, reader_name):
    reader = READERS[reader_name]
    client = client_for(UPLOADS[reader_name][0])
    confirm = UPLOADS[reader_name][2]
    bad_rows = [_valid_row(reader, 10 + n, **cells)[1] for n, cells in enumerate(PAST_BOUNDARY[reader_name])]
    preview = client.get(upload(client, reader, bad_rows))
    assert sorted(line for line, _column, _message in errors_shown(preview)) == list(range(2, 2 + len(bad_rows)))
    client.post(reverse(confirm, args=[preview.context["pending"].pk]))  # validated again: writes nothing
    assert not reader.model.objects.exists()

    row = _valid_row(reader, 0, **BOUNDARY[reader_name])[1]
    preview = client.get(upload(client, reader, [row]))
    assert errors_shown(preview) == []
    client.post(reverse(confirm, args=[preview.context["pending"].pk]))
    stored = reader.model.objects.get()
    for column, value in BOUNDARY[reader_name].items():
        kept = getattr(stored, column)
        assert (";".join(kept) if isinstance(kept, list) else str(kept)) == value


# --- Coded columns: every code and every label is read as its code (issue 16, item 4) ------------------------------

ALL_TECH_FIELDS = tech_field_vocabulary(SHIPPED_TECH_FIELDS)
PARSERS = {"startups": parse_rows, "needs": parse_need_rows}


def _catalogue_terms(choices) -> list[tuple[str, str, str]]:
    """(code, Japanese label, English label) of each choice of an enum."""
    return [(term.code, term.name_ja, term.name_en) for term in choice_terms(choices)]


def _choice_forms(choices) -> list[tuple[str, str]]:
    """(cell, code): each code and its label in each catalogue."""
    return [(cell, code) for code, *labels in _catalogue_terms(choices) for cell in (code, *labels)]


def _prefecture_forms() -> list[tuple[str, str]]:
    """As the model stores it (東京都), without its suffix (東京), in English, and by JIS X 0401 number (13, 01)."""
    forms = []
    for number, (name, english) in enumerate(PREFECTURES, 1):
        short = name[:-1] if name[-1] in "都府県" else name
        forms += [(name, name), (short, name), (english, name), (str(number), name), (f"{number:02d}", name)]
    return forms


TECH_FIELD_FORMS = [(cell, f.code) for f in SHIPPED_TECH_FIELDS for cell in (f.code, f.name_ja, f.name_en)]
CODED_FORMS = {
    ("startups", "tech_fields"): TECH_FIELD_FORMS,
    ("startups", "designations"): _choice_forms(DesignationProgram),
    ("startups", "prefecture"): _prefecture_forms(),
    ("needs", "tech_fields"): TECH_FIELD_FORMS,
    ("needs", "owner_unit"): _choice_forms(UnitCode),
    ("needs", "pathway"): _choice_forms(Pathway),
    ("needs", "visibility"): _choice_forms(Visibility),
}
VOCABULARIES = {
    "startups": startup_vocabularies(ALL_TECH_FIELDS),
    "needs": need_vocabularies(ALL_TECH_FIELDS),
}
# The shorter forms the import page lists as "also accepted" ("人工知能" for 人工知能・データ分析) must work too.
for (_reader_name, _column), _forms in CODED_FORMS.items():
    _forms += [(alias, term.code) for term, aliases in VOCABULARIES[_reader_name][_column].table for alias in aliases]


def read_coded(reader_name: str, column: str, cells: list[str], fmt: str = "csv") -> tuple[list, list[RowError]]:
    """The code each cell of `column` is stored as (one row per cell, read from a file), and the row errors."""
    reader = READERS[reader_name]
    wrap = "{}:2023" if column == "designations" else "{}"
    rows = [_valid_row(reader, index, **{column: wrap.format(cell)})[1] for index, cell in enumerate(cells)]
    content = (csv_file if fmt == "csv" else xlsx_file)(reader.columns, rows)
    records, errors = PARSERS[reader_name](
        read_table(content, f"list.{fmt}", reader.columns), tech_field_codes=ALL_TECH_FIELDS
    )
    stored = []
    for record in sorted(records, key=lambda record: record.line):
        value = getattr(record, column)
        if column == "designations":
            value = [program for program, _cohort in value]
        stored.append(value[0] if isinstance(value, list) and len(value) == 1 else value)
    return stored, errors


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize(("reader_name", "column"), CODED_FORMS)
def test_every_code_and_label_of_every_coded_column_is_read_as_its_code(reader_name, column, fmt):
    forms = CODED_FORMS[reader_name, column]
    stored, errors = read_coded(reader_name, column, [cell for cell, _code in forms], fmt)
    assert errors == []
    assert stored == [code for _cell, code in forms]


# Half-width katakana for each full-width one (ｾﾝｼﾝｸﾞ for センシング), as a Japanese keyboard or an old list writes it.
_NARROW_KANA = {
    unicodedata.normalize("NFKC", chr(code)): chr(code)
    for code in range(0xFF66, 0xFF9E)
    if len(unicodedata.normalize("NFKC", chr(code))) == 1
} | {"\u3099": "\uff9e", "\u309a": "\uff9f"}


def _variant(char: str, how: str) -> str:
    if how == "upper":
        return char.upper()
    if how == "lower":
        return char.lower()
    if how == "width":  # ASCII to full-width, a full-width kana to half-width
        if "!" <= char <= "~":
            return chr(ord(char) + 0xFEE0)
        if char == " ":
            return "\u3000"
        return "".join(_NARROW_KANA.get(part, part) for part in unicodedata.normalize("NFD", char))
    return char


ALL_CODED_FORMS = [(key, form) for key, forms in CODED_FORMS.items() for form in forms]


@PROPERTY_SETTINGS
@given(case=st.sampled_from(ALL_CODED_FORMS), data=st.data())
@example(case=(("startups", "tech_fields"), ("センシング・探知", "sensing")), data=None)
def test_a_coded_cell_is_read_in_any_case_and_width(case, data):
    (reader_name, column), (cell, code) = case
    if data is None:  # the example: all half-width
        written = "".join(_variant(char, "width") for char in cell)
    else:
        hows = data.draw(st.lists(st.sampled_from(["same", "upper", "lower", "width"]), min_size=len(cell)))
        written = "".join(_variant(char, how) for char, how in zip(cell, hows, strict=False))
        written = data.draw(st.sampled_from(["", " ", "\u3000"])) + written
    stored, errors = read_coded(reader_name, column, [written])
    assert (stored, errors) == ([code], []), written


def _near_miss(code: str) -> str:
    return code + code[-1]  # one letter more: "unmannedd", "東京都都"


@pytest.mark.parametrize(("reader_name", "column"), CODED_FORMS)
def test_an_unknown_value_s_error_names_its_column_the_value_and_the_valid_codes(reader_name, column):
    vocabulary = VOCABULARIES[reader_name][column]
    for value in (_near_miss(vocabulary.codes[0]), "〇〇〇〇"):
        with translation.override("ja"):
            _stored, errors = read_coded(reader_name, column, [value])
        assert [error.column for error in errors] == [column]
        message = errors[0].message
        assert column in message and f"「{value}」" in message
        if len(vocabulary.codes) <= Vocabulary.SHORT:
            assert all(code in message for code in vocabulary.codes), message  # the whole list
        else:
            assert "インポート画面" in message, message  # where the whole list is
            if value != "〇〇〇〇":
                assert vocabulary.codes[0] in message, message  # the nearest


def test_past_its_budget_of_suggestions_an_unknown_value_is_still_named_with_where_the_list_is():
    prefectures = prefecture_vocabulary()  # as a reader makes it, once per file
    values = [f"東京府{index}" for index in range(Vocabulary._NEAREST_BUDGET + 50)]
    with translation.override("ja"):
        messages = [prefectures.unknown(value) for value in values]
    for value, message in zip(values, messages, strict=True):
        assert f"「{value}」" in message and "prefecture" in message and "インポート画面" in message
    assert "東京都" in messages[0] and "東京都" not in messages[-1]  # suggested while within the budget only
