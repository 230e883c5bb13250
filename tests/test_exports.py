"""Every CSV and XLSX export of the portal writes through core.tabular (finding 4 of issue 13, formula injection).

A hostile value planted where an export shows it comes out inert, fetched the way a user fetches the file (the
page, the API or the command); and no code outside core/ writes CSV or XLSX by itself, so a new export cannot
bypass the writer.
"""

import csv
import io
import os
import re
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts import audit
from accounts.enums import OrganisationKind, RoleCode, UnitCode
from core.tabular import csv_bytes, xlsx_append, xlsx_bytes, xlsx_workbook
from matchmaking.models import MatchScore
from needs.enums import NeedStatus, Pathway
from needs.models import Need
from seeds.models import Startup
from tests.factories import OrganisationFactory, StartupFactory

# The meeting of tests/matchmaking/meetings/conftest.py (fetched by name with request.getfixturevalue).
from tests.matchmaking.meetings.conftest import invited, meeting_day, scheduled, world  # noqa: F401

BASE_DIR = Path(__file__).resolve().parents[1]
HOSTILE = "=cmd|'/c calc'!A1"
# What Excel, LibreOffice and Google Sheets take as the start of a formula (OWASP), and Japanese Excel's full-width.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def cells_of(fmt: str, content: bytes) -> list[tuple[object, str]]:
    """Every cell of the file as (value, type), read as a spreadsheet would read it."""
    if fmt == "csv":
        rows = csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""))
        return [(value, "s") for row in rows for value in row]
    workbook = load_workbook(io.BytesIO(content))
    return [(cell.value, cell.data_type) for sheet in workbook for row in sheet.iter_rows() for cell in row]


def assert_inert(fmt: str, content: bytes, payload: str = HOSTILE) -> None:
    if fmt == "xlsx":
        payload = payload.replace("\r", "\n")  # XML reads a carriage return as a line end
    shown = [(value, kind) for value, kind in cells_of(fmt, content) if isinstance(value, str) and payload in value]
    assert shown, f"the planted value is not in the {fmt} file"
    for value, kind in shown:
        assert kind == "s", f"{value!r} is a {kind!r} cell, not a string"
        assert not value.startswith(FORMULA_STARTS), f"{value!r} would run as a formula"


# --- Each export, planted and downloaded -----------------------------------------------------------------------


def _signed_in(client, user):
    client.force_login(user)
    return client


def registry(fmt):
    def download(request, client, user_with_role, tmp_path):
        StartupFactory(name=HOSTILE, description="-" + HOSTILE, technologies=["@" + HOSTILE])
        curator = _signed_in(client, user_with_role(RoleCode.CURATOR))
        response = curator.get(reverse("seeds:startup_export"), {"format": fmt})
        assert response.status_code == 200
        return response.content

    return fmt, download


def audit_csv(request, client, user_with_role, tmp_path):
    curator = user_with_role(RoleCode.CURATOR)
    audit.record_created(curator, StartupFactory(name=HOSTILE))
    response = _signed_in(client, user_with_role(RoleCode.PORTAL_ADMIN)).get(reverse("accounts:audit_export"))
    assert response.status_code == 200
    return response.content


def funnel_csv(request, client, user_with_role, tmp_path):
    unit = OrganisationFactory(
        kind=OrganisationKind.MOD_UNIT, unit_code=UnitCode.MSDF, name=HOSTILE, corporate_number=""
    )
    Need.objects.create(
        ref="M-2026-001",
        title="need",
        description="need",
        owner_unit=unit,
        pathway=Pathway.EARLY_EQUIPMENT,
        status=NeedStatus.PUBLISHED,
        published_at=timezone.now() - timedelta(days=10),
    )
    reader = _signed_in(client, user_with_role(RoleCode.NEED_REVIEWER))
    response = reader.get(reverse("programs:funnel_csv", args=["units"]))
    assert response.status_code == 200
    return response.content


def _hostile_meeting(request):
    """The scheduled meeting whose first invited startup calls itself HOSTILE."""
    meeting = request.getfixturevalue("scheduled")
    Startup.objects.filter(pk=meeting.startups[0].pk).update(name=HOSTILE)
    return meeting


def agenda(fmt, how):
    def download(request, client, user_with_role, tmp_path):
        meeting = _hostile_meeting(request)
        pk = meeting.meeting.pk
        if how == "command":
            out = tmp_path / f"agenda.{fmt}"
            call_command("export_agenda", str(pk), "--format", fmt, str(out), stdout=io.StringIO())
            return out.read_bytes()
        user, url = {
            "whole": (meeting.admin, reverse("meetings:export", args=[pk, fmt])),
            "my-agenda": (meeting.members[0], reverse("meetings:my_agenda", args=[pk, fmt])),
            "api": (meeting.members[0], f"/api/v1/meetings/{pk}/agenda/?format={fmt}"),
        }[how]
        response = _signed_in(client, user).get(url)
        assert response.status_code == 200
        return response.content

    return fmt, download


def export_matches(request, client, user_with_role, tmp_path):
    need = Need.objects.create(
        ref=HOSTILE,
        title="need",
        description="need",
        owner_unit=user_with_role(RoleCode.NEED_AUTHOR).organisation,
        pathway=Pathway.EARLY_EQUIPMENT,
        status=NeedStatus.PUBLISHED,
    )
    MatchScore.objects.create(
        need=need, startup=StartupFactory(), score=0.5, model_version="t", computed_at=timezone.now(), components={}
    )
    out = tmp_path / "matches.csv"
    call_command("export_matches", str(out), stdout=io.StringIO())
    return out.read_bytes()


EXPORTS = {
    "registry-csv": registry("csv"),
    "registry-xlsx": registry("xlsx"),
    "audit-csv": ("csv", audit_csv),
    "funnel-csv": ("csv", funnel_csv),
    **{
        f"agenda-{how}-{fmt}": agenda(fmt, how)
        for how in ("whole", "my-agenda", "api", "command")
        for fmt in ("csv", "xlsx")
    },
    "export-matches": ("csv", export_matches),
}


@pytest.mark.parametrize("name", list(EXPORTS))
def test_a_formula_planted_in_any_export_comes_out_inert(name, request, client, user_with_role, tmp_path):
    fmt, download = EXPORTS[name]
    assert_inert(fmt, download(request, client, user_with_role, tmp_path))


def test_export_matches_keeps_its_columns_and_numbers(client, user_with_role, tmp_path, request):
    rows = list(csv.reader(io.StringIO(export_matches(request, client, user_with_role, tmp_path).decode(), newline="")))
    assert rows[0][:4] == ["need_ref", "corporate_number", "rank", "score"]
    assert rows[1][2:4] == ["1", "0.500000"]  # numbers stay numbers, as DESIGN.md §6 has them
    assert rows[1][0] == "'" + HOSTILE


# --- The writer itself ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("start", FORMULA_STARTS)
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_writer_neutralises_every_formula_start_and_keeps_numbers(fmt, start):
    rows = [["text", "count", "share", "price"], [start + "1+1", 7, -0.5, Decimal("-12.50")]]
    if fmt == "csv":
        content = csv_bytes(rows)
        assert content.decode("utf-8").endswith(",7,-0.5,-12.50\r\n")  # numbers written as numbers
    else:
        workbook = xlsx_workbook()
        sheet = workbook.create_sheet("x")
        for row in rows:
            xlsx_append(sheet, row)
        content = xlsx_bytes(workbook)
        numbers = [(c.value, c.data_type) for c in load_workbook(io.BytesIO(content)).active[2][1:]]
        assert numbers == [(7, "n"), (-0.5, "n"), (-12.5, "n")]
    assert_inert(fmt, content, start + "1+1")


def test_xlsx_text_with_control_characters_is_written_not_refused():
    workbook = xlsx_workbook(write_only=True)
    xlsx_append(workbook.create_sheet("x"), ["a\x00b\x1fc", "tab\tand\nline"])
    values = [cell for cell, _ in cells_of("xlsx", xlsx_bytes(workbook))]
    assert values == ["abc", "tab\tand\nline"]


# --- The guard: nothing bypasses the writer ------------------------------------------------------------------------

WRITER_CALLS = re.compile(r"csv\.(writer|DictWriter)\b|from csv import|\bWorkbook\(|xlsxwriter")
# core/ is the writer; tests build hostile input files; benchmarks write measurements and inputs, no user download.
NOT_EXPORTS = {"core", "tests", "benchmarks", ".venv", ".git", "node_modules", "staticfiles", "media"}


def test_no_code_outside_core_writes_csv_or_xlsx_itself():
    offenders = []
    for directory, subdirectories, files in os.walk(BASE_DIR):
        if Path(directory) == BASE_DIR:
            subdirectories[:] = [name for name in subdirectories if name not in NOT_EXPORTS]
        for name in files:
            path = Path(directory, name)
            if name.endswith(".py") and WRITER_CALLS.search(path.read_text(encoding="utf-8")):
                offenders.append(str(path.relative_to(BASE_DIR)))
    assert not offenders, f"write CSV/XLSX through core.tabular (csv_bytes, CsvWriter, xlsx_append): {offenders}"
