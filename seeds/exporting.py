"""Startup lists written in the import format (DESIGN.md §6), so that an export imports back unchanged."""

import dataclasses

from core.tabular import csv_bytes, xlsx_append, xlsx_bytes, xlsx_workbook
from seeds.importing import IMPORT_COLUMNS


def startup_export(*, startups, write, export_format: str, actor, filters) -> bytes:
    """Write the list with `write` (export_csv or export_xlsx) and record who exported what (audit)."""
    from accounts import audit
    from seeds.models import Startup

    content = write(startups)
    chosen = {name: value for name, value in dataclasses.asdict(filters).items() if value not in (None, "", [])}
    note = f"{export_format}, {len(startups)} startups, filters: {chosen}"
    audit.record(actor, audit.Action.EXPORT, Startup, note=note)
    return content


def export_rows(startups) -> list[list[str]]:
    """Rows of strings; `startups` should prefetch tech_fields and designations."""
    rows = []
    for startup in startups:
        rows.append(
            [
                startup.corporate_number,
                startup.name,
                startup.name_en,
                startup.description,
                ";".join(startup.technologies),
                ";".join(sorted(field.code for field in startup.tech_fields.all())),
                "" if startup.trl is None else str(startup.trl),
                ";".join(f"{d.program}:{d.cohort}" for d in startup.designations.all()),
                startup.prefecture,
                "" if startup.founded_year is None else str(startup.founded_year),
                "" if startup.employees is None else str(startup.employees),
                startup.website,
            ]
        )
    return rows


def export_csv(startups) -> bytes:
    return csv_bytes([IMPORT_COLUMNS, *export_rows(startups)])


def export_xlsx(startups) -> bytes:
    workbook = xlsx_workbook(write_only=True)
    sheet = workbook.create_sheet("startups")
    # Text cells throughout (export_rows gives strings): a corporate number must not become a number in Excel.
    for row in [IMPORT_COLUMNS, *export_rows(startups)]:
        xlsx_append(sheet, row)
    return xlsx_bytes(workbook)
