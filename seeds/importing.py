"""Reading and validating startup lists (DESIGN.md §6): CSV in UTF-8 (with or without BOM) or CP932, or XLSX.

This module only reads; `seeds.services.startup_import` writes. Every problem is reported with its line and
reason, in the reader's language, so the curator can fix the file and try again. A coded column (tech_fields, a
designation's programme, prefecture; the need reader's owner_unit, pathway, visibility) takes the code or a label
and stores the code; the import pages list the same vocabularies (`startup_vocabularies`, `need_vocabularies`).
"""

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.translation import gettext as _

from core.tabular import restore
from core.validators import Term, Vocabulary, ascii_integer, choice_terms, excerpt, integer_range, text_problem
from seeds.enums import DesignationProgram
from seeds.models import Designation, Startup, TechField
from seeds.prefectures import PREFECTURES
from seeds.validators import validate_corporate_number

IMPORT_COLUMNS = [
    "corporate_number",
    "name",
    "name_en",
    "description",
    "technologies",
    "tech_fields",
    "trl",
    "designations",
    "prefecture",
    "founded_year",
    "employees",
    "website",
]
# Limits of the model fields the columns fill (a technology is an item of a JSON list: the format's own limit).
MAX_LENGTHS = {
    **{name: Startup._meta.get_field(name).max_length for name in ("name", "name_en", "description", "website")},
    "technology": 100,
}
MULTILINE_COLUMNS = {"description"}
MAX_TECHNOLOGIES = 30
MAX_EMPLOYEES = 10_000_000
_COHORT = re.compile(r"[0-9]{1,4}\Z")  # ASCII digits: `\d` takes every script's
_PROGRAM_SEPARATOR = re.compile("[:：]")
_PREFECTURE_SUFFIX = re.compile("(?<=.{2})[都府県]\\Z")  # 東京都 → 東京; 北海道 and two-letter names stay
# A middle dot between katakana joins one loanword (スタンド・オフ); elsewhere it separates the parts of a label.
_LABEL_PARTS = re.compile("(?<![ァ-ヺー])・|・(?![ァ-ヺ])| and ")
MAX_UNKNOWN_SHOWN = 5  # unknown values reported per cell; the rest are counted


class ImportFileError(Exception):
    """The file as a whole cannot be read: wrong format, encoding or header, or no rows."""


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    message: str


@dataclass
class StartupRecord:
    line: int
    corporate_number: str
    name: str
    name_en: str = ""
    description: str = ""
    technologies: list[str] = field(default_factory=list)
    tech_fields: list[str] = field(default_factory=list)
    trl: int | None = None
    designations: list[tuple[str, str]] = field(default_factory=list)
    prefecture: str = ""
    founded_year: int | None = None
    employees: int | None = None
    website: str = ""


def read_table(
    content: bytes, filename: str = "", columns: list[str] = IMPORT_COLUMNS
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line number, row by column name) for each non-blank data row; the header is line 1 and must
    name exactly `columns` (in any order)."""
    if not content.strip():
        raise ImportFileError(_("The file is empty."))
    if content[:4] == b"PK\x03\x04" or filename.lower().endswith(".xlsx"):
        rows = _xlsx_rows(content)
    else:
        rows = _csv_rows(_decode(content))
    _header_line, header = next(rows, (1, []))
    header = [column.strip() for column in header]
    _check_header(header, columns)
    seen_any = False
    for line, cells in rows:
        if not any(cell.strip() for cell in cells):
            continue
        seen_any = True
        cells = cells + [""] * (len(header) - len(cells))
        # restore: a list exported by the portal (core.tabular) reads back as it was.
        yield line, dict(zip(header, (restore(cell).strip() for cell in cells), strict=False))
    if not seen_any:
        raise ImportFileError(_("The file has a header but no rows."))


def _decode(content: bytes) -> str:
    for encoding in ("utf-8-sig", "cp932"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(_("The file is neither UTF-8 nor Shift_JIS (CP932) text. Save it as CSV UTF-8 or XLSX."))


def _csv_rows(text: str) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    previous_end = 0
    try:
        for cells in reader:
            yield previous_end + 1, cells
            previous_end = reader.line_num
    except csv.Error as error:
        message = _("Line %(line)d is not valid CSV: %(error)s") % {"line": previous_end + 1, "error": error}
        raise ImportFileError(message) from error


def _xlsx_rows(content: bytes) -> Iterator[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    workbook = None
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        # Rows are parsed as they are read: a damaged or crafted sheet fails here, not when the file opens.
        for number, values in enumerate(workbook.worksheets[0].iter_rows(values_only=True), 1):
            yield number, [_cell_text(value) for value in values]
    except Exception as error:  # openpyxl raises what its zip and XML parsers raise: ParseError, KeyError …
        raise ImportFileError(_("The file is not a readable XLSX workbook.")) from error
    finally:
        if workbook is not None:
            workbook.close()


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # Excel turns long digit strings such as corporate numbers into numbers
    return str(value)


def _check_header(header: list[str], columns: list[str]) -> None:
    missing = [column for column in columns if column not in header]
    unknown = [excerpt(column) for column in header if column and column not in columns]
    duplicated = sorted({excerpt(column) for column in header if column and header.count(column) > 1})
    if missing or unknown or duplicated:
        problems = []
        if missing:
            problems.append(_("missing columns: %(columns)s") % {"columns": ", ".join(missing)})
        if unknown:
            problems.append(_("unknown columns: %(columns)s") % {"columns": ", ".join(unknown)})
        if duplicated:
            problems.append(_("repeated columns: %(columns)s") % {"columns": ", ".join(duplicated)})
        raise ImportFileError(
            _("Line 1 must be the header %(expected)s (%(problems)s).")
            % {"expected": ",".join(columns), "problems": "; ".join(problems)}
        )


def label_parts(name: str) -> list[str]:
    """Shorter forms a label is written in: its parts ("人工知能・データ分析" → 人工知能, データ分析; "AI and data
    analytics" → AI, data analytics) and the whole without its middle dots ("スタンドオフ防衛")."""
    parts = [part for part in _LABEL_PARTS.split(name) if part.strip()]
    forms = parts if len(parts) > 1 else []
    return [*forms, name.replace("・", "")] if "・" in name else forms


def tech_field_vocabulary(fields=None) -> Vocabulary:
    """The tech_fields column: the TechField table (or `fields`: objects with code, name_ja and name_en)."""
    fields = TechField.objects.all() if fields is None else fields
    terms = [Term(f.code, f.name_ja, f.name_en, tuple(label_parts(f.name_ja) + label_parts(f.name_en))) for f in fields]
    return Vocabulary("tech_fields", terms, title=TechField._meta.verbose_name_plural)


def prefecture_vocabulary() -> Vocabulary:
    """The prefecture column: the name the model stores (東京都), without its suffix (東京), in English (Tokyo),
    or its JIS X 0401 number (13, or 01 … 09 padded)."""
    terms = []
    for number, (name, english) in enumerate(PREFECTURES, 1):
        aliases = (_PREFECTURE_SUFFIX.sub("", name), str(number), f"{number:02d}")
        terms.append(Term(name, name, english, aliases))
    return Vocabulary("prefecture", terms, title=Startup._meta.get_field("prefecture").verbose_name)


def startup_vocabularies(tech_fields: Vocabulary | None = None) -> dict[str, Vocabulary]:
    """The coded columns of a startup list, by column."""
    return {
        "tech_fields": tech_fields or tech_field_vocabulary(),
        "designations": Vocabulary(
            "designations", choice_terms(DesignationProgram), title=Designation._meta.get_field("program").verbose_name
        ),
        "prefecture": prefecture_vocabulary(),
    }


def as_tech_field_vocabulary(tech_field_codes) -> Vocabulary:
    """A reader's tech fields: a Vocabulary as given, or the TechField rows of a collection of codes."""
    if isinstance(tech_field_codes, Vocabulary):
        return tech_field_codes
    return tech_field_vocabulary(TechField.objects.filter(code__in=list(tech_field_codes)))


def coded_list(value: str, vocabulary: Vocabulary, fail) -> list[str]:
    """The codes a `;`-separated cell names, each once, sorted; every unknown value is reported (the first few
    by name, with the valid codes)."""
    codes, unknown = set(), []
    for item in split_list(value):
        code = vocabulary.code_for(item)
        if code is None:
            unknown.append(item)
        else:
            codes.add(code)
    for item in unknown[:MAX_UNKNOWN_SHOWN]:
        fail(vocabulary.column, vocabulary.unknown(item))
    if len(unknown) > MAX_UNKNOWN_SHOWN:
        message = _("%(count)d more unknown values in %(column)s.")
        fail(vocabulary.column, message % {"count": len(unknown) - MAX_UNKNOWN_SHOWN, "column": vocabulary.column})
    return sorted(codes)


def split_list(value: str) -> list[str]:
    return [item.strip() for item in value.split(";") if item.strip()]


def check_cells(row: dict[str, str], fail, *, limits: dict[str, int], multiline: set[str]) -> set[str]:
    """Report every cell with a control character or longer than its column's limit; return those columns, whose
    other checks the reader then skips (they would only repeat the problem)."""
    broken = set()
    for column, value in row.items():
        problem = text_problem(value, limits.get(column), multiline=column in multiline)
        if problem:
            fail(column, problem)
            broken.add(column)
    return broken


def parse_rows(
    rows: Iterator[tuple[int, dict[str, str]]], *, tech_field_codes
) -> tuple[list[StartupRecord], list[RowError]]:
    """Validate every row; a corporate number repeated in the file is an error on its later lines.
    `tech_field_codes`: the codes of the TechField table, or a tech-field Vocabulary (see `as_tech_field_vocabulary`).
    """
    vocabularies = startup_vocabularies(as_tech_field_vocabulary(tech_field_codes))
    records: list[StartupRecord] = []
    errors: list[RowError] = []
    first_line_of: dict[str, int] = {}
    bounds = integer_bounds()
    for line, row in rows:
        row_errors: list[RowError] = []
        record = _parse_row(line, row, vocabularies, bounds, row_errors)
        number = row.get("corporate_number", "")
        if number in first_line_of:
            message = _("The corporate number %(number)s already appears on line %(line)d.")
            row_errors.append(
                RowError(line, "corporate_number", message % {"number": excerpt(number), "line": first_line_of[number]})
            )
        elif number:
            first_line_of[number] = line
        errors.extend(row_errors)
        if not row_errors:
            records.append(record)
    return records, errors


def integer_bounds() -> dict[str, tuple[int, int]]:
    """Each integer column's bounds: what its model field holds, narrowed by the import format's own limits."""
    field = Startup._meta.get_field
    return {
        "trl": integer_range(field("trl")),
        "founded_year": integer_range(field("founded_year"), 1800, timezone.localdate().year + 1),
        "employees": integer_range(field("employees"), 0, MAX_EMPLOYEES),
    }


def _parse_row(
    line: int,
    row: dict[str, str],
    vocabularies: dict[str, Vocabulary],
    bounds: dict[str, tuple[int, int]],
    errors: list,
) -> StartupRecord:
    def fail(column: str, message: str) -> None:
        errors.append(RowError(line, column, message))

    broken = check_cells(row, fail, limits=MAX_LENGTHS, multiline=MULTILINE_COLUMNS)
    corporate_number = row["corporate_number"]
    if "corporate_number" not in broken:
        try:
            validate_corporate_number(corporate_number)
        except ValidationError as error:
            fail("corporate_number", error.messages[0])
    if not row["name"]:
        fail("name", _("The name is required."))

    technologies = [] if "technologies" in broken else split_list(row["technologies"])
    if len(technologies) > MAX_TECHNOLOGIES:
        fail("technologies", _("At most %(limit)d technologies.") % {"limit": MAX_TECHNOLOGIES})
    for technology in technologies:
        if len(technology) > MAX_LENGTHS["technology"]:
            message = _("The technology “%(value)s…” is too long: at most %(limit)d characters.")
            fail("technologies", message % {"value": technology[:20], "limit": MAX_LENGTHS["technology"]})

    tech_fields = [] if "tech_fields" in broken else coded_list(row["tech_fields"], vocabularies["tech_fields"], fail)
    designations = [] if "designations" in broken else _designations(row["designations"], vocabularies, fail)

    prefecture = row["prefecture"]
    if prefecture and "prefecture" not in broken:
        prefecture = vocabularies["prefecture"].code_for(prefecture) or ""
        if not prefecture:
            fail("prefecture", vocabularies["prefecture"].unknown(row["prefecture"]))

    website = row["website"]
    if website and "website" not in broken:
        try:
            URLValidator(schemes=["http", "https"])(website)
        except ValidationError:
            fail("website", _("The website must be an http(s) address."))

    def integer(column: str, message: str) -> int | None:
        if not row[column] or column in broken:
            return None
        value = ascii_integer(row[column], bounds[column])
        if value is None:
            fail(column, message)
        return value

    return StartupRecord(
        line=line,
        corporate_number=corporate_number,
        name=row["name"],
        name_en=row["name_en"],
        description=row["description"],
        technologies=technologies,
        tech_fields=tech_fields,
        trl=integer("trl", _("TRL must be a whole number from 1 to 9.")),
        designations=designations,
        prefecture=prefecture,
        founded_year=integer("founded_year", _("The founding year must be a year such as 2018.")),
        employees=integer("employees", _("Employees must be a whole number of people.")),
        website=website,
    )


def _designations(value: str, vocabularies: dict[str, Vocabulary], fail) -> list[tuple[str, str]]:
    """(programme code, cohort) of each `programme:year_or_cohort` item, each once; the programme by code or label."""
    designations = []
    for item in split_list(value):
        program, cohort = ([*_PROGRAM_SEPARATOR.split(item, maxsplit=1), ""])[:2]
        program, cohort = program.strip(), cohort.strip()
        code = vocabularies["designations"].code_for(program)
        if not _COHORT.match(cohort):
            message = _("Malformed designation “%(value)s”: write programme:year_or_cohort, e.g. jstartup:2023.")
            fail("designations", message % {"value": excerpt(item)})
        elif code is None:
            fail("designations", vocabularies["designations"].unknown(program))
        elif (code, cohort) not in designations:
            designations.append((code, cohort))
    return designations
