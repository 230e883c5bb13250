"""Writes on the startup registry. Pages, API, commands and tasks all come through here."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit
from config import page_cache
from matchmaking.triggers import registry_changed, startup_changed
from seeds.enums import ClaimStatus, DesignationProgram, ImportStatus
from seeds.importing import _COHORT as COHORT_PATTERN
from seeds.importing import (
    MAX_LENGTHS,
    MAX_TECHNOLOGIES,
    ImportFileError,
    RowError,
    StartupRecord,
    parse_rows,
    read_table,
)
from seeds.models import (
    CuratorNote,
    Designation,
    Product,
    Startup,
    StartupClaim,
    StartupImport,
    StartupMerge,
    TechField,
)

# Fields an import row sets on a Startup, in the order of the import format.
IMPORTED_FIELDS = [
    "name",
    "name_en",
    "description",
    "technologies",
    "trl",
    "prefecture",
    "founded_year",
    "employees",
    "website",
]
_CHUNK = 1000
MAX_EMPLOYEES = 10_000_000  # as the import format accepts


@dataclass
class ImportReport:
    created: list[StartupRecord] = field(default_factory=list)
    updated: list[tuple[StartupRecord, list[str]]] = field(default_factory=list)  # with the changed columns
    unchanged: list[StartupRecord] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    file_error: str = ""
    applied: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors and not self.file_error

    def summary(self) -> dict:
        return {
            "created": len(self.created),
            "updated": len(self.updated),
            "unchanged": len(self.unchanged),
            "errors": [{"line": e.line, "column": e.column, "message": e.message} for e in self.errors],
            "file_error": self.file_error,
            "applied": self.applied,
        }


def startup_import_file(*, content: bytes, filename: str, actor, dry_run: bool) -> ImportReport:
    """Validate a whole startup list and, unless `dry_run` or any row is bad, upsert it in one transaction.

    Upsert is by corporate number; designations are merged (never removed). All or nothing.
    """
    report = ImportReport()
    tech_fields = {field.code: field.pk for field in TechField.objects.all()}
    try:
        records, report.errors = parse_rows(read_table(content, filename), tech_field_codes=set(tech_fields))
    except ImportFileError as error:
        report.file_error = str(error)
        return report
    if report.errors:
        return report
    with transaction.atomic():
        plan = _plan(records, tech_fields)
        report.created, report.updated, report.unchanged = plan.created, plan.updated, plan.unchanged
        if not dry_run:
            _apply(plan, tech_fields, actor=actor, source=filename)
            report.applied = True
            if plan.created or plan.updated:
                registry_changed()
    return report


@dataclass
class _Plan:
    created: list[StartupRecord] = field(default_factory=list)
    updated: list[tuple[StartupRecord, list[str]]] = field(default_factory=list)
    unchanged: list[StartupRecord] = field(default_factory=list)
    existing: dict[str, Startup] = field(default_factory=dict)


def _plan(records: list[StartupRecord], tech_fields: dict[str, int]) -> _Plan:
    plan = _Plan()
    numbers = [record.corporate_number for record in records]
    for start in range(0, len(numbers), _CHUNK):
        chunk = Startup.objects.filter(corporate_number__in=numbers[start : start + _CHUNK]).prefetch_related(
            "tech_fields", "designations", "products"
        )
        plan.existing.update({startup.corporate_number: startup for startup in chunk})
    for record in records:
        startup = plan.existing.get(record.corporate_number)
        if startup is None:
            plan.created.append(record)
            continue
        changed = [name for name in IMPORTED_FIELDS if getattr(startup, name) != getattr(record, name)]
        if sorted(field.code for field in startup.tech_fields.all()) != record.tech_fields:
            changed.append("tech_fields")
        held = {(d.program, d.cohort) for d in startup.designations.all()}
        if not set(record.designations) <= held:
            changed.append("designations")
        if changed:
            plan.updated.append((record, changed))
        else:
            plan.unchanged.append(record)
    return plan


def _apply(plan: _Plan, tech_fields: dict[str, int], *, actor, source: str) -> None:
    now = timezone.now()
    note_of_import = f"import: {source}"[:300]
    page_cache.bump("registry")  # bulk writes send no model signals
    new = [Startup(corporate_number=r.corporate_number, **_values(r)) for r in plan.created]
    for startup in new:
        startup.search_text = startup.build_search_text()
    Startup.objects.bulk_create(new, batch_size=_CHUNK)
    by_number = {startup.corporate_number: startup for startup in new}

    changed_startups = []
    entries = [audit.entry(actor, audit.Action.CREATE, startup, note=note_of_import) for startup in new]
    for record, changed in plan.updated:
        startup = plan.existing[record.corporate_number]
        # Relations (tech fields, designations) are noted with their new value only.
        changes = {
            name: [
                audit.plain(getattr(startup, name)) if name in IMPORTED_FIELDS else None,
                audit.plain(getattr(record, name, None)),
            ]
            for name in changed
        }
        entries.append(audit.entry(actor, audit.Action.UPDATE, startup, changes, note=note_of_import))
        for name, value in _values(record).items():
            setattr(startup, name, value)
        startup.search_text = startup.build_search_text([p.name for p in startup.products.all()])
        startup.updated_at = now
        changed_startups.append(startup)
        by_number[record.corporate_number] = startup
    # Only the columns that changed somewhere: a bulk update's cost grows with rows × columns written.
    changed_columns = sorted({name for _record, changed in plan.updated for name in changed if name in IMPORTED_FIELDS})
    Startup.objects.bulk_update(changed_startups, [*changed_columns, "search_text", "updated_at"], batch_size=_CHUNK)

    # Technology fields: replace the set of every written startup; designations: add the missing ones.
    Through = Startup.tech_fields.through
    written = [*plan.created, *(record for record, _changed in plan.updated)]
    ids = [by_number[record.corporate_number].pk for record in written]
    for start in range(0, len(ids), _CHUNK):
        Through.objects.filter(startup_id__in=ids[start : start + _CHUNK]).delete()
    Through.objects.bulk_create(
        [
            Through(startup_id=by_number[record.corporate_number].pk, techfield_id=tech_fields[code])
            for record in written
            for code in record.tech_fields
        ],
        batch_size=_CHUNK,
    )
    note = f"import: {source}"[:300]
    designations = []
    for record in written:
        startup = by_number[record.corporate_number]
        held = (
            {(d.program, d.cohort) for d in startup.designations.all()}
            if record.corporate_number in plan.existing
            else set()
        )
        designations += [
            Designation(startup=startup, program=program, cohort=cohort, source_note=note, added_by=actor)
            for program, cohort in record.designations
            if (program, cohort) not in held
        ]
    Designation.objects.bulk_create(designations, batch_size=_CHUNK)
    audit.record_many(entries)


def _values(record: StartupRecord) -> dict:
    return {name: getattr(record, name) for name in IMPORTED_FIELDS}


def startup_import_preview(*, content: bytes, filename: str, actor) -> tuple[StartupImport, ImportReport]:
    """Keep an uploaded list and its dry-run report, for the curator to confirm."""
    report = startup_import_file(content=content, filename=filename, actor=actor, dry_run=True)
    pending = StartupImport.objects.create(
        filename=filename[:255], content=content, uploaded_by=actor, summary=report.summary()
    )
    return pending, report


def startup_import_review(*, pending: StartupImport) -> ImportReport:
    """What confirming a previewed list would do now: a dry run against the current registry. No side effects."""
    return startup_import_file(content=bytes(pending.content), filename=pending.filename, actor=None, dry_run=True)


def startup_import_confirm(*, pending: StartupImport, actor) -> ImportReport:
    """Apply a previewed list. It is validated again: the registry may have changed since the preview.

    A list is applied once: confirming one already applied or discarded raises ValidationError. Side effects:
    the startups written, and the import's status and summary.
    """
    with transaction.atomic():
        # The row lock makes two curators confirming at once apply the list only once.
        status = StartupImport.objects.select_for_update().filter(pk=pending.pk).values_list("status", flat=True).get()
        if status != ImportStatus.PREVIEWED:
            raise ValidationError(_("This list was already applied or discarded."))
        report = startup_import_file(
            content=bytes(pending.content), filename=pending.filename, actor=actor, dry_run=False
        )
        if report.applied:
            pending.status = ImportStatus.APPLIED
            pending.applied_at = timezone.now()
        pending.summary = report.summary()
        pending.save(update_fields=["status", "applied_at", "summary"])
    return report


# --- Editing, annotating, merging, claiming ----------------------------------------------------------

# What a startup's own members may change on their public profile; curators change everything.
# What support programmes ask about; a startup's members and the curators both answer (None: unknown).
ELIGIBILITY_FIELDS = ["is_sme", "has_vc_investment", "has_business_investment", "has_partnership_memorandum"]
PROFILE_FIELDS = [
    "name_en",
    "description",
    "technologies",
    "website",
    "employees",
    "contact_name",
    "contact_email",
    "contact_phone",
    "defense_record",
    *ELIGIBILITY_FIELDS,
]
CURATOR_FIELDS = [
    "name",
    *PROFILE_FIELDS,
    "trl",
    "stage",
    "prefecture",
    "founded_year",
]


def _check_import_format(startup: Startup) -> None:
    """The import format's rules that the model does not enforce, so that an export of the registry imports
    back (DESIGN.md §6). Raises ValidationError by field."""
    errors = {}
    if startup.founded_year is not None and not 1800 <= startup.founded_year <= timezone.localdate().year + 1:
        errors["founded_year"] = _("The founding year must be a year such as 2018.")
    if startup.employees is not None and startup.employees > MAX_EMPLOYEES:
        errors["employees"] = _("Employees must be a whole number of people.")
    if startup.website and not startup.website.lower().startswith(("http://", "https://")):
        errors["website"] = _("The website must be an http(s) address.")
    technologies = startup.technologies
    if not isinstance(technologies, list) or not all(isinstance(item, str) for item in technologies):
        errors["technologies"] = _("Technologies are a list of texts.")
    elif len(technologies) > MAX_TECHNOLOGIES:
        errors["technologies"] = _("At most %(limit)d technologies.") % {"limit": MAX_TECHNOLOGIES}
    elif any(len(item) > MAX_LENGTHS["technology"] or ";" in item for item in technologies):
        message = _("Each technology has at most %(limit)d characters and no semicolon (;).")
        errors["technologies"] = message % {"limit": MAX_LENGTHS["technology"]}
    if errors:
        raise ValidationError(errors)


def _refresh_search_text(startup: Startup) -> None:
    # Read the products afresh: a startup fetched for its page carries a prefetched, now stale, list of them.
    products = list(Product.objects.filter(startup=startup).values_list("name", flat=True))
    startup.search_text = startup.build_search_text(products)
    startup.save(update_fields=["search_text", "updated_at"])
    startup_changed(startup.pk)


def startup_create(*, data: dict, tech_fields: list[TechField] | None = None, actor) -> Startup:
    """Create one startup from validated data (form or API). Side effect: its search text.

    Raises ValidationError (by field) for what the model or the import format refuses."""
    with transaction.atomic():
        startup = Startup(
            **{name: value for name, value in data.items() if name in ["corporate_number", *CURATOR_FIELDS]}
        )
        startup.full_clean()
        _check_import_format(startup)
        startup.search_text = startup.build_search_text()
        startup.save()
        if tech_fields is not None:
            startup.tech_fields.set(tech_fields)
        audit.record_created(actor, startup, note=_fields_note(startup))
        startup_changed(startup.pk)
    return startup


def _fields_note(startup: Startup) -> str:
    return "tech_fields: " + ",".join(sorted(startup.tech_fields.values_list("code", flat=True)))


def startup_update(
    *, startup: Startup, data: dict, tech_fields: list[TechField] | None = None, actor, as_curator: bool
) -> Startup:
    """Change the allowed fields of a startup; a member's edit ignores curator-only fields.

    Raises ValidationError (by field) for what the model or the import format refuses. Side effects: the
    technology fields (curators only) and the search text."""
    allowed = CURATOR_FIELDS if as_curator else PROFILE_FIELDS
    with transaction.atomic():
        # From the database: a form has already written the submitted values onto `startup`.
        stored = Startup.objects.get(pk=startup.pk)
        before, fields_before = audit.snapshot(stored), _fields_note(stored)
        for name, value in data.items():
            if name in allowed:
                setattr(startup, name, value)
        startup.full_clean(exclude=["organisation"])
        _check_import_format(startup)
        startup.save()
        if tech_fields is not None and as_curator:
            startup.tech_fields.set(tech_fields)
        changes = audit.diff(before, startup)
        if _fields_note(startup) != fields_before:
            changes["tech_fields"] = [fields_before, _fields_note(startup)]
        if changes:
            audit.record(actor, audit.Action.UPDATE, startup, changes)
        _refresh_search_text(startup)
    return startup


def startup_note_add(*, startup: Startup, body: str, actor) -> CuratorNote:
    with transaction.atomic():
        note = CuratorNote.objects.create(startup=startup, body=body.strip(), author=actor)
        audit.record_created(actor, note, note=str(startup))
    return note


def designation_add(*, startup: Startup, program: str, cohort: str, source_note: str, actor) -> Designation:
    """Record a programme's designation of a startup (kept once per programme and cohort).

    The cohort follows the import format (a year or cohort number of up to 4 digits), so that an export of the
    registry imports back; anything else raises ValidationError.
    """
    cohort = cohort.strip()
    if program not in DesignationProgram.values:
        raise ValidationError({"program": _("Unknown programme.")})
    if not COHORT_PATTERN.match(cohort):
        raise ValidationError({"cohort": _("Write the year or cohort as a number of up to 4 digits, e.g. 2023.")})
    designation, _created = Designation.objects.get_or_create(
        startup=startup,
        program=program,
        cohort=cohort,
        defaults={"source_note": source_note, "added_by": actor},
    )
    if _created:
        audit.record_created(actor, designation, note=str(startup))
        startup.save(update_fields=["updated_at"])
        startup_changed(startup.pk)
    return designation


def product_add(*, startup: Startup, name: str, description: str, actor) -> Product:
    with transaction.atomic():
        product = Product.objects.create(startup=startup, name=name.strip(), description=description.strip())
        audit.record_created(actor, product, note=str(startup))
        _refresh_search_text(startup)
    return product


def product_remove(*, product: Product, actor) -> None:
    startup = product.startup
    with transaction.atomic():
        audit.record(actor, audit.Action.DELETE, product, audit.snapshot(product), note=str(startup))
        product.delete()
        _refresh_search_text(startup)


def startup_merge(*, survivor: Startup, merged: Startup, actor) -> StartupMerge:
    """Fold `merged` into `survivor`: designations, notes, products, technology fields and claims move over,
    empty fields of the survivor are filled, and the merged record is deleted with a snapshot kept."""
    if survivor.pk == merged.pk:
        raise ValidationError(_("Pick two different startups to merge."))
    with transaction.atomic():
        survivor = Startup.objects.select_for_update().get(pk=survivor.pk)
        merged = Startup.objects.select_for_update().get(pk=merged.pk)
        if survivor.organisation_id and merged.organisation_id and survivor.organisation_id != merged.organisation_id:
            raise ValidationError(_("Both records are claimed by different organisations; resolve the claims first."))
        snapshot = {
            "corporate_number": merged.corporate_number,
            "name": merged.name,
            **{name: getattr(merged, name) for name in CURATOR_FIELDS},
            "tech_fields": sorted(merged.tech_fields.values_list("code", flat=True)),
            "designations": [f"{d.program}:{d.cohort}" for d in merged.designations.all()],
        }
        held = set(survivor.designations.values_list("program", "cohort"))
        for designation in merged.designations.all():
            if (designation.program, designation.cohort) in held:
                designation.delete()
            else:
                designation.startup = survivor
                designation.save(update_fields=["startup"])
        merged.notes.update(startup=survivor)
        merged.products.update(startup=survivor)
        merged.claims.update(startup=survivor)
        survivor.tech_fields.add(*merged.tech_fields.all())
        for name in CURATOR_FIELDS:
            if getattr(survivor, name) in ("", None, []) and getattr(merged, name) not in ("", None, []):
                setattr(survivor, name, getattr(merged, name))
        organisation_id = merged.organisation_id
        audit.record(actor, audit.Action.DELETE, merged, audit.snapshot(merged), note=f"merged into {survivor}")
        before = audit.snapshot(Startup.objects.get(pk=survivor.pk))
        merged.delete()
        if organisation_id and not survivor.organisation_id:
            survivor.organisation_id = organisation_id
        survivor.save()
        changes = audit.diff(before, survivor)
        audit.record(actor, audit.Action.UPDATE, survivor, changes, note=f"merged {snapshot['corporate_number']}")
        _refresh_search_text(survivor)
        record = StartupMerge.objects.create(
            survivor=survivor,
            merged_corporate_number=snapshot["corporate_number"],
            merged_name=snapshot["name"],
            merged_snapshot=snapshot,
            actor=actor,
        )
        startup_note_add(
            startup=survivor,
            body=_("Merged with %(name)s (%(number)s).")
            % {"name": snapshot["name"], "number": snapshot["corporate_number"]},
            actor=actor,
        )
    return record


def startup_claim_request(*, corporate_number: str, actor, message: str = "") -> StartupClaim:
    """A startup member asks to manage the registry entry with this corporate number; a curator decides."""
    organisation = actor.organisation
    if organisation is None:
        raise ValidationError(_("Your account belongs to no organisation."))
    if Startup.objects.filter(organisation=organisation).exists():
        raise ValidationError(_("Your organisation already manages a company profile."))
    startup = Startup.objects.filter(corporate_number=corporate_number).first()
    if startup is None:
        raise ValidationError(
            _(
                "No company with this corporate number is in the registry yet. "
                "Contact METI through the new-entry consultation window."
            )
        )
    if startup.organisation_id:
        raise ValidationError(_("This company is already managed by another account. Contact the curators."))
    claim, _created = StartupClaim.objects.get_or_create(
        startup=startup,
        organisation=organisation,
        status=ClaimStatus.PENDING,
        defaults={"requested_by": actor, "message": message.strip()},
    )
    return claim


def startup_claim_decide(*, claim: StartupClaim, approve: bool, actor) -> StartupClaim:
    """Approve (link the organisation to the startup) or reject a pending claim; other pending claims on an
    approved startup are rejected with it."""
    if claim.status != ClaimStatus.PENDING:
        raise ValidationError(_("This claim was already decided."))
    with transaction.atomic():
        startup = Startup.objects.select_for_update().get(pk=claim.startup_id)
        now = timezone.now()
        if approve:
            if startup.organisation_id and startup.organisation_id != claim.organisation_id:
                raise ValidationError(_("This company is already managed by another account."))
            startup.organisation_id = claim.organisation_id
            startup.save(update_fields=["organisation", "updated_at"])
            startup.claims.filter(status=ClaimStatus.PENDING).exclude(pk=claim.pk).update(
                status=ClaimStatus.REJECTED, decided_by=actor, decided_at=now
            )
        decided = ClaimStatus.APPROVED if approve else ClaimStatus.REJECTED
        audit.record(actor, audit.Action.TRANSITION, claim, {"status": [claim.status, decided.value]})
        claim.status = decided
        claim.decided_by = actor
        claim.decided_at = now
        claim.save(update_fields=["status", "decided_by", "decided_at"])
    return claim
