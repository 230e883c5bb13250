"""Need import (DESIGN.md §6): upsert by ref, all or nothing, optionally publishing what it wrote.

An import writes through the services the need pages call, so it leaves the same needs, history and audit
entries, in the name of its actor (the reviewer who confirms it; None for the command line). It stands for the
owning unit's authors, whose lists it carries: it creates drafts, edits drafts and, with `publish`, submits them;
and for the reviewer who publishes, through `need_transition`, whose role check applies to that reviewer. What
the pages refuse is a row error, and one row error writes nothing of the list:
- a need that has left its draft is not changed (no edit page changes it either): an import never widens the
  visibility of a published need, or rewrites a closed one;
- a need never moves to another unit (no page moves one);
- publishing follows the state machine: a closed or withdrawn need is not published again, nor one past its
  deadline.
A dry run is the same import rolled back, so a preview meets every error that confirming would.
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.services import organisation_for_unit
from matchmaking.triggers import one_recompute
from needs.enums import NeedStatus
from needs.importing import NEED_COLUMNS, NeedRecord, parse_need_rows
from needs.models import Need, NeedImport
from needs.rules import need_is_draft
from needs.services.needs import need_create, need_transition, need_update
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
    """Validate a need list and upsert it by ref in one transaction, kept unless `dry_run` or a row is refused.
    With `publish`, every need of the list not yet published is published (see the module's rules)."""
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
    with transaction.atomic(), one_recompute():
        needs = Need.objects.filter(ref__in=[r.ref for r in records]).select_related("owner_unit")
        existing = {n.ref: n for n in needs.prefetch_related("tech_fields")}
        for record in records:
            _import_row(record, existing.get(record.ref), report, tech_fields=tech_fields, actor=actor, publish=publish)
        report.applied = report.ok and not dry_run
        if not report.applied:
            # Discards the writes, their audit entries, their notifications and the recompute.
            transaction.set_rollback(True)
    return report


def _import_row(record: NeedRecord, need: Need | None, report: NeedImportReport, *, tech_fields, actor, publish):
    try:
        with transaction.atomic():
            outcome, published = _write(record, need, tech_fields, actor=actor, publish=publish)
    except (ValidationError, PermissionDenied) as error:
        report.errors += _row_errors(record, error)
        return
    getattr(report, outcome).append(record.ref)
    if published:
        report.published.append(record.ref)


def _write(record: NeedRecord, need: Need | None, tech_fields: dict, *, actor, publish: bool) -> tuple[str, bool]:
    """Create or update the row's need as its page would, then publish it if asked; raises what the pages raise."""
    data = {name: getattr(record, name) for name in IMPORTED_FIELDS}
    fields = [tech_fields[code] for code in record.tech_fields]
    if need is None:
        owner = organisation_for_unit(record.owner_unit)
        need = need_create(data={**data, "ref": record.ref}, tech_fields=fields, owner_unit=owner, actor=actor)
        outcome = "created"
    elif _changed_columns(need, record):
        need_update(need=need, data=data, tech_fields=fields, actor=actor, system=True)
        outcome = "updated"
    else:
        outcome = "unchanged"
    return outcome, publish and _publish(need, actor=actor)


def _changed_columns(need: Need, record: NeedRecord) -> list[str]:
    """The columns whose values differ from the need's; ValidationError for a change the pages cannot make."""
    if need.owner_unit.unit_code != record.owner_unit:
        raise ValidationError({
            "owner_unit": _("Need %(ref)s belongs to %(unit)s: a need never moves to another unit.")
            % {"ref": need.ref, "unit": need.owner_unit.get_unit_code_display()}
        })  # fmt: skip
    changed = [name for name in IMPORTED_FIELDS if getattr(need, name) != getattr(record, name)]
    if sorted(f.code for f in need.tech_fields.all()) != record.tech_fields:
        changed.append("tech_fields")
    if changed and not need_is_draft(None, need):
        raise ValidationError({
            changed[0]: _("Need %(ref)s is “%(status)s”: only a draft can be changed, by import as on its page.")
            % {"ref": need.ref, "status": NeedStatus(need.status).label}
        })  # fmt: skip
    return changed


def _publish(need: Need, *, actor) -> bool:
    """The moves the pages make: the author submits a draft, a reviewer publishes. False if already published."""
    if need.status == NeedStatus.PUBLISHED:
        return False
    if need.status == NeedStatus.DRAFT:
        # The list is the owning unit's: the import submits for its author, whose role the importer lacks.
        need_transition(need=need, to=NeedStatus.SUBMITTED, actor=actor, comment=_("Submitted by import"), system=True)
    # The command line (no actor) is trusted; a reviewer's import meets the reviewer's check.
    need_transition(
        need=need, to=NeedStatus.PUBLISHED, actor=actor, comment=_("Published by import"), system=actor is None
    )
    return True


def _row_errors(record: NeedRecord, error: ValidationError | PermissionDenied) -> list[RowError]:
    """A service's refusal as row errors, on the column it names when the file has that column."""
    if isinstance(error, PermissionDenied):
        return [RowError(record.line, "ref", str(error))]
    if not hasattr(error, "error_dict"):
        return [RowError(record.line, "ref", message) for message in error.messages]
    return [
        RowError(record.line, name if name in NEED_COLUMNS else "ref", message)
        for name, messages in error.message_dict.items()
        for message in messages
    ]


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


def need_import_review(*, pending: NeedImport, actor) -> NeedImportReport:
    """What `actor` confirming a previewed list would do now: a dry run against the needs as they are."""
    return need_import_file(
        content=bytes(pending.content), filename=pending.filename, actor=actor, dry_run=True, publish=pending.publish
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
