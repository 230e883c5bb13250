"""The startup import (DESIGN.md §6): formats, every kind of bad row, all or nothing, dry run, upsert."""

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from openpyxl import Workbook

from seeds.exporting import export_csv, export_xlsx
from seeds.importing import IMPORT_COLUMNS
from seeds.models import Designation, Startup
from seeds.services import startup_import_file
from tests.factories import make_corporate_number

MATCH_DEV_SEEDS = Path(__file__).resolve().parents[3] / "shared" / "data" / "match-dev" / "seeds.csv"


def row(n: int = 1, **overrides) -> dict[str, str]:
    values = {
        "corporate_number": make_corporate_number(n),
        "name": f"株式会社試験{n}",
        "name_en": f"Test Company {n}",
        "description": "小型無人機を用いた夜間の監視サービスを提供しています。",
        "technologies": "無人航空機;赤外線カメラ",
        "tech_fields": "unmanned;sensing",
        "trl": "6",
        "designations": "jstartup:2023;fastar:7",
        "prefecture": "東京都",
        "founded_year": "2018",
        "employees": "35",
        "website": f"https://test{n}.example.jp",
    }
    return {**values, **overrides}


def csv_bytes(rows: list[dict[str, str]], *, header=IMPORT_COLUMNS, encoding="utf-8") -> bytes:
    lines = [",".join(header)]
    for values in rows:
        lines.append(",".join(f'"{values.get(column, "")}"' for column in header))
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def run_import(content: bytes, *, filename="list.csv", dry_run=False):
    return startup_import_file(content=content, filename=filename, actor=None, dry_run=dry_run)


def test_a_valid_file_creates_startups_with_fields_designations_and_tech_fields(db):
    report = run_import(csv_bytes([row(1), row(2)]))
    assert report.ok and len(report.created) == 2
    startup = Startup.objects.get(corporate_number=make_corporate_number(1))
    assert startup.name == "株式会社試験1"
    assert startup.technologies == ["無人航空機", "赤外線カメラ"]
    assert sorted(startup.tech_fields.values_list("code", flat=True)) == ["sensing", "unmanned"]
    assert startup.trl == 6 and startup.founded_year == 2018 and startup.employees == 35
    assert set(startup.designations.values_list("program", "cohort")) == {("jstartup", "2023"), ("fastar", "7")}
    assert startup.designations.first().source_note == "import: list.csv"


def test_csv_with_bom_and_cp932_are_read(db):
    assert run_import(b"\xef\xbb\xbf" + csv_bytes([row(1)])).ok
    report = run_import(csv_bytes([row(2, name="株式会社シフトジス～髙橋")], encoding="cp932"))
    assert report.ok, report.errors
    assert Startup.objects.get(corporate_number=make_corporate_number(2)).name == "株式会社シフトジス～髙橋"


def xlsx_bytes(values: dict) -> bytes:
    """A workbook of the header and one row, each value in a cell of its type (numbers as Excel keeps them)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(IMPORT_COLUMNS)
    sheet.append([values[column] for column in IMPORT_COLUMNS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_xlsx_first_sheet_is_read_even_with_numeric_cells(db):
    values = row(3)
    values.update(corporate_number=int(values["corporate_number"]), trl=6, founded_year=2018, employees=35)
    report = run_import(xlsx_bytes(values), filename="list.xlsx")
    assert report.ok, report.errors
    assert Startup.objects.filter(corporate_number=make_corporate_number(3), trl=6).exists()


def test_a_prefecture_typed_as_its_number_in_excel_is_stored_by_name(db):
    assert run_import(xlsx_bytes(row(4, prefecture=13)), filename="list.xlsx").ok
    assert Startup.objects.get(corporate_number=make_corporate_number(4)).prefecture == "東京都"


@pytest.mark.parametrize(
    ("overrides", "column"),
    [
        ({"name": ""}, "name"),
        ({"corporate_number": "1234567890123"}, "corporate_number"),
        ({"corporate_number": "12345"}, "corporate_number"),
        ({"tech_fields": "unmanned;teleportation"}, "tech_fields"),
        ({"trl": "10"}, "trl"),
        ({"trl": "0"}, "trl"),
        ({"designations": "jstartup"}, "designations"),
        ({"designations": "unknown_programme:2023"}, "designations"),
        ({"designations": "jstartup:二〇二三"}, "designations"),
        ({"designations": "jstartup:２０２３"}, "designations"),  # full-width digits: `\d` took them
        ({"founded_year": "平成30年"}, "founded_year"),
        ({"employees": "many"}, "employees"),
        ({"name": "株" * 201}, "name"),
        ({"description": "あ" * 4001}, "description"),
        ({"prefecture": "東京府"}, "prefecture"),  # "東京" is 東京都 (issue 16); 東京府 is history
        ({"prefecture": "48"}, "prefecture"),
        ({"website": "not a url"}, "website"),
    ],
)
def test_each_kind_of_bad_row_is_reported_with_line_and_reason_and_nothing_is_written(db, overrides, column):
    report = run_import(csv_bytes([row(1), row(2, **overrides), row(3)]))
    assert not report.ok
    assert [(error.line, error.column) for error in report.errors] == [(3, column)]
    assert report.errors[0].message
    assert not Startup.objects.exists()


def test_a_corporate_number_twice_in_one_file_is_an_error_on_the_second_line(db):
    with translation.override("en"):
        report = run_import(csv_bytes([row(1), row(2), row(1, name="重複")]))
    assert [(error.line, error.column) for error in report.errors] == [(4, "corporate_number")]
    assert "line 2" in report.errors[0].message  # names the line where it first appears
    assert not Startup.objects.exists()


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"", "empty"),
        (b"   \r\n", "empty"),
        (csv_bytes([], header=IMPORT_COLUMNS), "no rows"),
        (csv_bytes([row(1)], header=[*IMPORT_COLUMNS[:-1], "homepage"]), "website"),
        (b"\x81\xff\xfe garbage \x80", "UTF-8"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_as_a_whole(db, content, words):
    with translation.override("en"):
        report = run_import(content)
    assert words in report.file_error
    assert not Startup.objects.exists()


def test_errors_are_reported_in_japanese_by_default(db):
    report = run_import(csv_bytes([row(1, trl="10")]))
    assert "TRL" in report.errors[0].message
    assert any("\u3040" <= char <= "\u30ff" for char in report.errors[0].message)


def test_multiline_quoted_descriptions_keep_line_numbers_right(db):
    first = row(1, description="一行目\n二行目\n三行目")
    report = run_import(csv_bytes([first, row(2, trl="x")]))
    assert [(error.line, error.column) for error in report.errors] == [(5, "trl")]


def test_dry_run_reports_and_writes_nothing(db):
    report = run_import(csv_bytes([row(1), row(2)]), dry_run=True)
    assert len(report.created) == 2 and not report.applied
    assert not Startup.objects.exists()


def test_upsert_updates_changed_fields_and_merges_designations(db):
    run_import(csv_bytes([row(1), row(2)]))
    report = run_import(csv_bytes([row(1, trl="8", designations="jva:2024"), row(2)]))
    assert [(record.corporate_number, changed) for record, changed in report.updated] == [
        (make_corporate_number(1), ["trl", "designations"])
    ]
    assert len(report.unchanged) == 1
    startup = Startup.objects.get(corporate_number=make_corporate_number(1))
    assert startup.trl == 8
    assert set(startup.designations.values_list("program", "cohort")) == {
        ("jstartup", "2023"),
        ("fastar", "7"),
        ("jva", "2024"),
    }


def test_a_bad_row_in_an_update_leaves_existing_records_untouched(db):
    run_import(csv_bytes([row(1)]))
    report = run_import(csv_bytes([row(1, trl="9", designations="jva:2024"), row(2, name="")]))
    assert not report.ok
    startup = Startup.objects.get()
    assert startup.trl == 6
    assert not Designation.objects.filter(program="jva").exists()


@pytest.mark.parametrize(("exporter", "filename"), [(export_csv, "export.csv"), (export_xlsx, "export.xlsx")])
def test_export_then_import_reports_every_row_unchanged(db, exporter, filename):
    run_import(csv_bytes([row(n) for n in range(1, 6)] + [row(6, trl="", name_en="", designations="")]))
    startups = Startup.objects.prefetch_related("tech_fields", "designations").order_by("corporate_number")
    report = run_import(exporter(startups), filename=filename)
    assert report.ok, report.errors
    assert (len(report.created), len(report.updated), len(report.unchanged)) == (0, 0, 6)


@pytest.mark.parametrize(("exporter", "filename"), [(export_csv, "export.csv"), (export_xlsx, "export.xlsx")])
def test_an_export_of_formula_like_names_imports_back_unchanged(db, exporter, filename):
    """The export writer puts an apostrophe before them; the reader takes it off again."""
    hostile = {"name": "=cmd|'/c calc'!A1", "name_en": "+1", "description": "- 一行目\n- 二行目", "technologies": "@AI"}
    run_import(csv_bytes([row(1, **hostile), row(2, name="'=既に引用符付き")]))
    startups = Startup.objects.prefetch_related("tech_fields", "designations").order_by("corporate_number")
    assert startups[0].name == hostile["name"] and startups[1].name == "=既に引用符付き"
    report = run_import(exporter(startups), filename=filename)
    assert report.ok, report.errors
    assert (len(report.created), len(report.updated), len(report.unchanged)) == (0, 0, 2)


def test_search_text_covers_japanese_and_english(db):
    run_import(csv_bytes([row(1)]))
    startup = Startup.objects.get()
    assert "test company 1" in startup.search_text
    assert "夜間の監視" in startup.search_text


@pytest.mark.skipif(not MATCH_DEV_SEEDS.exists(), reason="../shared/data/match-dev is not beside the project")
def test_command_imports_the_match_dev_list_then_finds_it_unchanged(db, capsys):
    call_command("import_seeds", str(MATCH_DEV_SEEDS))
    assert "150" in capsys.readouterr().out
    assert Startup.objects.count() == 150
    call_command("import_seeds", str(MATCH_DEV_SEEDS))
    output = capsys.readouterr().out
    assert "150" in output and Startup.objects.count() == 150
    report = run_import(MATCH_DEV_SEEDS.read_bytes(), dry_run=True)
    assert len(report.unchanged) == 150


def test_command_dry_run_writes_nothing_and_bad_file_fails_with_reasons(db, tmp_path, capsys):
    good = tmp_path / "good.csv"
    good.write_bytes(csv_bytes([row(1)]))
    call_command("import_seeds", str(good), "--dry-run")
    assert not Startup.objects.exists()
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes([row(1, trl="12")]))
    with pytest.raises(CommandError):
        call_command("import_seeds", str(bad))
    assert "trl" in capsys.readouterr().err
    assert not Startup.objects.exists()
