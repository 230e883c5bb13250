"""The need lifecycle: draft → submitted → published → closed | withdrawn, with returns to draft."""

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit
from accounts.rules import is_need_author, is_need_reviewer
from matchmaking.triggers import need_changed
from needs.attachments import attachment_check
from needs.enums import NeedStatus
from needs.models import Need, NeedAttachment, NeedQuestion, NeedRefCounter, NeedTransition
from needs.rules import can_edit_need, is_owning_unit_staff
from needs.services import enqueue

NEED_FIELDS = [
    "title",
    "description",
    "desired_capabilities",
    "min_trl",
    "pathway",
    "visibility",
    "proposal_deadline",
]

# Not checked by full_clean: derived, or empty for needs written by the system (imports, the deadline task).
UNCHECKED_FIELDS = ["search_text", "created_by"]

# (from, to) → who may make the move: "author" (owning unit's need author), "reviewer", "unit" (either).
NEED_TRANSITIONS: dict[tuple[str, str], str] = {
    (NeedStatus.DRAFT, NeedStatus.SUBMITTED): "author",
    (NeedStatus.SUBMITTED, NeedStatus.DRAFT): "reviewer",  # returned with a comment
    (NeedStatus.SUBMITTED, NeedStatus.PUBLISHED): "reviewer",
    (NeedStatus.PUBLISHED, NeedStatus.CLOSED): "reviewer",
    (NeedStatus.DRAFT, NeedStatus.WITHDRAWN): "unit",
    (NeedStatus.SUBMITTED, NeedStatus.WITHDRAWN): "unit",
    (NeedStatus.PUBLISHED, NeedStatus.WITHDRAWN): "reviewer",
}


def need_may_transition(*, need: Need, to: str, actor) -> bool:
    who = NEED_TRANSITIONS.get((need.status, to))
    if who is None or actor is None:
        return False
    if who == "author":
        return bool(is_need_author(actor) and is_owning_unit_staff(actor, need))
    if who == "reviewer":
        return bool(is_need_reviewer(actor))
    return bool(is_need_reviewer(actor) or is_owning_unit_staff(actor, need))


def need_next_statuses(*, need: Need, actor) -> list[str]:
    return [
        to
        for (start, to) in NEED_TRANSITIONS
        if start == need.status and need_may_transition(need=need, to=to, actor=actor)
    ]


def need_transition(*, need: Need, to: str, actor, comment: str = "", system: bool = False) -> NeedTransition:
    """Move a need to `to` if `actor` may (or `system`, for the deadline task) and record who, when and why.

    A return to draft needs a comment. Publishing needs a deadline in the future, or none.
    """
    with transaction.atomic():
        need = Need.objects.select_for_update().get(pk=need.pk)
        if (need.status, to) not in NEED_TRANSITIONS:
            raise ValidationError(
                _("A need cannot go from “%(from)s” to “%(to)s”.")
                % {"from": NeedStatus(need.status).label, "to": NeedStatus(to).label}
            )
        if not system and not need_may_transition(need=need, to=to, actor=actor):
            raise PermissionDenied(_("Your role does not allow this change."))
        if need.status == NeedStatus.SUBMITTED and to == NeedStatus.DRAFT and not comment.strip():
            raise ValidationError(_("Say why the need goes back to its author."))
        if to == NeedStatus.PUBLISHED:
            if need.proposal_deadline and need.proposal_deadline <= timezone.now():
                raise ValidationError(_("The proposal deadline has passed: set a new one before publishing."))
            need.published_at = timezone.now()
        record = NeedTransition.objects.create(
            need=need, from_status=need.status, to_status=to, actor=actor, comment=comment.strip()
        )
        audit.record(actor, audit.Action.TRANSITION, need, {"status": [need.status, to]}, note=comment.strip())
        need.status = to
        need.save(update_fields=["status", "published_at", "updated_at"])
        enqueue("notify_need_transition", transition_id=record.pk)
        need_changed(need.pk)
    return record


def need_create(*, data: dict, tech_fields, owner_unit, actor) -> Need:
    """A new draft need of `owner_unit`; its reference is allocated here unless given (imports)."""
    with transaction.atomic():
        need = Need(owner_unit=owner_unit, created_by=actor, **{k: v for k, v in data.items() if k in NEED_FIELDS})
        need.ref = data.get("ref") or _next_ref()
        need.search_text = need.build_search_text()
        need.full_clean(exclude=UNCHECKED_FIELDS)
        need.save()
        need.tech_fields.set(tech_fields)
        NeedTransition.objects.create(need=need, from_status="", to_status=NeedStatus.DRAFT, actor=actor)
        audit.record_created(actor, need, note=_tech_note(need))
        need_changed(need.pk)
    return need


def _tech_note(need: Need) -> str:
    return "tech_fields: " + ",".join(sorted(need.tech_fields.values_list("code", flat=True)))


def need_update(*, need: Need, data: dict, tech_fields=None, actor, system: bool = False) -> Need:
    """Change a draft's fields and record what changed. `system`: an import, which applies its own rule
    (needs/services/imports.py) instead of the edit page's, and still records `actor`."""
    if not system and actor is not None and not can_edit_need(actor, need):
        raise PermissionDenied(_("Only the owning unit's authors can edit a need, and only while it is a draft."))
    with transaction.atomic():
        # From the database: a form has already written the submitted values onto `need`.
        stored = Need.objects.get(pk=need.pk)
        before, fields_before = audit.snapshot(stored), _tech_note(stored)
        for name, value in data.items():
            if name in NEED_FIELDS:
                setattr(need, name, value)
        need.search_text = need.build_search_text()
        need.full_clean(exclude=[*UNCHECKED_FIELDS, "ref"])  # set at creation, never edited
        need.save()
        if tech_fields is not None:
            need.tech_fields.set(tech_fields)
        changes = audit.diff(before, need)
        if _tech_note(need) != fields_before:
            changes["tech_fields"] = [fields_before, _tech_note(need)]
        if changes:
            audit.record(actor, audit.Action.UPDATE, need, changes)
        need_changed(need.pk)
    return need


def need_attach(*, need: Need, upload, actor) -> NeedAttachment:
    """Attach an uploaded PDF, DOCX or PPTX to a draft need of the actor's unit.

    The type is checked from the content (needs.attachments); ValidationError for anything else or over 20 MB,
    PermissionDenied unless the actor may edit the need. Side effect: the file is stored under a random name.
    """
    if not can_edit_need(actor, need):
        raise PermissionDenied(_("Only the owning unit's authors can edit a need, and only while it is a draft."))
    content_type = attachment_check(upload)
    with transaction.atomic():
        attachment = NeedAttachment.objects.create(
            need=need,
            file=upload,
            original_name=upload.name[:255],
            content_type=content_type,
            size=upload.size,
            uploaded_by=actor,
        )
        audit.record_created(actor, attachment, note=f"need {need.ref}")
    return attachment


def need_attachment_remove(*, attachment: NeedAttachment, actor) -> None:
    """Remove an attachment from a draft need, and its stored file once the deletion is committed."""
    if not can_edit_need(actor, attachment.need):
        raise PermissionDenied(_("Only the owning unit's authors can edit a need, and only while it is a draft."))
    stored = attachment.file
    with transaction.atomic():
        note = f"need {attachment.need.ref}"
        audit.record(actor, audit.Action.DELETE, attachment, audit.snapshot(attachment), note=note)
        attachment.delete()
    transaction.on_commit(lambda: stored.delete(save=False))


# The references the generator writes, ASCII digits only: the only ones it ever reads a number from.
GENERATED_REF = re.compile(r"N-[0-9]{4}-(?P<number>[0-9]{4,9})", re.ASCII)


def _next_ref() -> str:
    """A fresh N-<year>-<number>, drawn from the year's counter (the caller's transaction keeps it locked until
    commit); a number whose reference an import already took is passed over."""
    year = timezone.localdate().year
    while True:
        ref = f"N-{year}-{_draw_number(year):04d}"
        if not Need.objects.filter(ref=ref).exists():
            return ref


def _draw_number(year: int) -> int:
    # One UPDATE both locks the row and increments it: atomic on PostgreSQL and SQLite alike.
    counter = NeedRefCounter.objects.filter(year=year)
    if not counter.update(last=F("last") + 1):
        _start_counter(year)
        counter.update(last=F("last") + 1)
    return counter.values_list("last", flat=True).get()


def _start_counter(year: int) -> None:
    """The year's counter, starting after the highest generated reference already stored for that year."""
    numbers = (
        int(match["number"])
        for ref in Need.objects.filter(ref__startswith=f"N-{year}-").values_list("ref", flat=True).iterator()
        if (match := GENERATED_REF.fullmatch(ref))
    )
    try:
        with transaction.atomic():  # a savepoint: losing the race to create the row leaves the caller's intact
            NeedRefCounter.objects.create(year=year, last=max(numbers, default=0))
    except IntegrityError:
        pass  # another creation started the counter first; it has waited for that one's commit


def needs_close_expired(*, now=None) -> list[str]:
    """Close every published need whose proposal deadline has passed; returns their references."""
    now = now or timezone.now()
    closed = []
    for need in Need.objects.filter(status=NeedStatus.PUBLISHED, proposal_deadline__lte=now):
        need_transition(need=need, to=NeedStatus.CLOSED, actor=None, comment=_("Deadline passed"), system=True)
        closed.append(need.ref)
    return closed


def question_ask(*, need: Need, question: str, actor) -> NeedQuestion:
    from accounts.rules import is_startup_member
    from needs.rules import can_view_need, need_is_open

    if not (is_startup_member(actor) and can_view_need(actor, need)):
        raise PermissionDenied(_("Questions are asked by startups that may see the need."))
    if not need_is_open(actor, need):
        raise ValidationError(_("This need is no longer open for questions."))
    with transaction.atomic():
        asked = NeedQuestion.objects.create(need=need, question=question.strip(), asked_by=actor)
        enqueue("notify_question", question_id=asked.pk)
    return asked


def question_answer(*, question: NeedQuestion, answer: str, actor) -> NeedQuestion:
    """Answer (or correct the answer to) a question; the answer is then shown to everyone who sees the need."""
    if not is_owning_unit_staff(actor, question.need):
        raise PermissionDenied(_("Only the owning unit answers questions."))
    if not answer.strip():
        raise ValidationError(_("Write an answer."))
    question.answer = answer.strip()
    question.answered_by = actor
    question.answered_at = timezone.now()
    with transaction.atomic():
        question.save(update_fields=["answer", "answered_by", "answered_at"])
        enqueue("notify_question", question_id=question.pk)
    return question
