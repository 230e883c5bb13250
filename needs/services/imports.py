"""Need import (DESIGN.md §6): upsert by ref, all or nothing, optionally publishing what it wrote."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.services import organisation_for_unit
from matchmaking.triggers import registry_changed
from needs.enums import NeedStatus
from needs.importing import NEED_COLUMNS, NeedRecord, parse_need_rows
from needs.models import Need, NeedImport, NeedTransition
from seeds.enums import ImportStatus
from seeds.importing import ImportFileError, RowError, read_table
from seeds.models import TechField

IMPORTED_FIELDS = ["title", "description", "desired_capabilities", "min_trl", "pathway", "visibility"]


@dataclass
class NeedImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    published: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    file_error: str = ""
    applied: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors and not self.file_error


def need_import_file(*, content: bytes, filename: str, actor, dry_run: bool, publish: bool) -> NeedImportReport:
    """Validate a need list and, unless `dry_run` or a row is bad, upsert it by ref in one transaction.
    With `publish`, every need written (or found unchanged but not yet published) is published."""
    report = NeedImportReport()
    tech_fields = {f.code: f for f in TechField.objects.all()}
    try:
        records, report.errors = parse_need_rows(
            read_table(content, filename, NEED_COLUMNS), tech_field_codes=set(tech_fields)
        )
    except ImportFileError as error:
        report.file_error = str(error)
        return report
    if report.errors:
        return report
    existing = {n.ref: n for n in Need.objects.filter(ref__in=[r.ref for r in records]).prefetch_related("tech_fields")}
    with transaction.atomic():
        for record in records:
            need = existing.get(record.ref)
            if need is None:
                report.created.append(record.ref)
            elif _differs(need, record):
                report.updated.append(record.ref)
            else:
                report.unchanged.append(record.ref)
            if publish and (need is None or need.status != NeedStatus.PUBLISHED):
                report.published.append(record.ref)
            if not dry_run:
                _write(need, record, tech_fields, actor=actor, publish=publish)
        report.applied = not dry_run
        if report.applied and (report.created or report.updated or report.published):
            registry_changed()
    return report


def _differs(need: Need, record: NeedRecord) -> bool:
    return (
        any(getattr(need, name) != getattr(record, name) for name in IMPORTED_FIELDS)
        or need.owner_unit.unit_code != record.owner_unit
        or sorted(f.code for f in need.tech_fields.all()) != record.tech_fields
    )


def _write(need: Need | None, record: NeedRecord, tech_fields: dict, *, actor, publish: bool) -> None:
    owner = organisation_for_unit(record.owner_unit)
    if need is None:
        need = Need(ref=record.ref, created_by=actor, status=NeedStatus.DRAFT)
        created = True
    else:
        created = False
    for name in IMPORTED_FIELDS:
        setattr(need, name, getattr(record, name))
    need.owner_unit = owner
    need.search_text = need.build_search_text()
    need.save()
    need.tech_fields.set([tech_fields[code] for code in record.tech_fields])
    if created:
        NeedTransition.objects.create(
            need=need, from_status="", to_status=NeedStatus.DRAFT, actor=actor, comment=_("Imported")
        )
    if publish and need.status != NeedStatus.PUBLISHED:
        NeedTransition.objects.create(
            need=need, from_status=need.status, to_status=NeedStatus.PUBLISHED, actor=actor,
            comment=_("Published by import"),
        )  # fmt: skip
        need.status = NeedStatus.PUBLISHED
        need.published_at = timezone.now()
        need.save(update_fields=["status", "published_at"])


# --- The upload page: preview, then confirm ------------------------------------------------------------


def need_import_summary(report: NeedImportReport) -> dict:
    return {
        "created": len(report.created),
        "updated": len(report.updated),
        "unchanged": len(report.unchanged),
        "published": len(report.published),
        "errors": [{"line": e.line, "column": e.column, "message": e.message} for e in report.errors],
        "file_error": report.file_error,
        "applied": report.applied,
    }


def need_import_preview(*, content: bytes, filename: str, publish: bool, actor) -> tuple[NeedImport, NeedImportReport]:
    """Keep an uploaded need list and its dry-run report, for the reviewer to confirm. Writes no need."""
    report = need_import_file(content=content, filename=filename, actor=actor, dry_run=True, publish=publish)
    pending = NeedImport.objects.create(
        filename=filename[:255],
        content=content,
        publish=publish,
        uploaded_by=actor,
        summary=need_import_summary(report),
    )
    return pending, report


def need_import_review(*, pending: NeedImport) -> NeedImportReport:
    """What confirming a previewed list would do now: a dry run against the needs as they are. No side effects."""
    return need_import_file(
        content=bytes(pending.content), filename=pending.filename, actor=None, dry_run=True, publish=pending.publish
    )


def need_import_confirm(*, pending: NeedImport, actor) -> NeedImportReport:
    """Apply a previewed list, validated again (needs may have changed since the preview); once only.

    Confirming a list already applied or discarded raises ValidationError. Side effects: the needs written (and
    published, if the upload asked for it), and the import's status and summary.
    """
    with transaction.atomic():
        # The row lock makes two reviewers confirming at once apply the list only once.
        status = NeedImport.objects.select_for_update().filter(pk=pending.pk).values_list("status", flat=True).get()
        if status != ImportStatus.PREVIEWED:
            raise ValidationError(_("This list was already applied or discarded."))
        report = need_import_file(
            content=bytes(pending.content), filename=pending.filename, actor=actor, dry_run=False,
            publish=pending.publish,
        )  # fmt: skip
        if report.applied:
            pending.status = ImportStatus.APPLIED
            pending.applied_at = timezone.now()
        pending.summary = need_import_summary(report)
        pending.save(update_fields=["status", "applied_at", "summary"])
    return report
