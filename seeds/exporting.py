"""Startup lists written in the import format (DESIGN.md §6), so that an export imports back unchanged."""

import csv
import dataclasses
import io

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
    # UTF-8 with BOM: Japanese Excel opens it without garbling, and the importer accepts it.
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(IMPORT_COLUMNS)
    writer.writerows(export_rows(startups))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def export_xlsx(startups) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("startups")
    sheet.append(IMPORT_COLUMNS)
    for row in export_rows(startups):
        # Text cells throughout: a corporate number must not become a number in Excel.
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
