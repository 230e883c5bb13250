"""The proposal pipeline and its evaluation. `proposal_transition` is the only way a proposal changes state."""

import math

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit
from accounts.rules import is_need_reviewer
from needs.attachments import attachment_check
from needs.enums import OPEN_PROPOSAL_STATUSES, Criterion, ProposalStatus, RejectionReason
from needs.models import Evaluation, Need, Proposal, ProposalAttachment, ProposalTransition
from needs.rules import (
    can_manage_proposals,
    can_view_need,
    is_owning_unit_staff,
    is_proposal_evaluator,
    is_proposal_owner,
    need_is_open,
)
from needs.services import enqueue

PROPOSAL_FIELDS = ["title", "summary", "technical_approach", "current_trl", "schedule", "cost_min_yen", "cost_max_yen"]
S = ProposalStatus
_REVIEWABLE = (S.SUBMITTED, S.UNDER_REVIEW, S.SHORTLISTED, S.PITCH, S.SELECTED)
EVALUATION_STATUSES = (S.UNDER_REVIEW, S.SHORTLISTED, S.PITCH)  # evaluators score proposals in these

# (from, to) → who: "startup" (its members), "unit" (owning unit's staff or MOD reviewers), "reviewer".
PROPOSAL_TRANSITIONS: dict[tuple[str, str], str] = {
    (S.DRAFT, S.SUBMITTED): "startup",
    (S.SUBMITTED, S.UNDER_REVIEW): "unit",
    (S.UNDER_REVIEW, S.SHORTLISTED): "unit",
    (S.SHORTLISTED, S.PITCH): "unit",
    (S.UNDER_REVIEW, S.SELECTED): "reviewer",
    (S.SHORTLISTED, S.SELECTED): "reviewer",
    (S.PITCH, S.SELECTED): "reviewer",
    (S.SELECTED, S.CONTRACTED): "reviewer",
    **{(start, S.REJECTED): "reviewer" for start in _REVIEWABLE},
    **{(start, S.WITHDRAWN): "startup" for start in (S.DRAFT, *_REVIEWABLE)},
}


def proposal_may_transition(*, proposal: Proposal, to: str, actor) -> bool:
    who = PROPOSAL_TRANSITIONS.get((proposal.status, to))
    if who is None or actor is None:
        return False
    if who == "startup":
        return bool(is_proposal_owner(actor, proposal))
    if who == "reviewer":
        return bool(is_need_reviewer(actor))
    return bool(is_need_reviewer(actor) or is_owning_unit_staff(actor, proposal.need))


def proposal_next_statuses(*, proposal: Proposal, actor) -> list[str]:
    return [
        to
        for (start, to) in PROPOSAL_TRANSITIONS
        if start == proposal.status and proposal_may_transition(proposal=proposal, to=to, actor=actor)
    ]


def proposal_transition(
    *, proposal: Proposal, to: str, actor, comment: str = "", reason: str = "", feedback: str = ""
) -> ProposalTransition:
    """Move a proposal, record who/when/why, and e-mail the startup (and the unit where it concerns them)
    after commit. A rejection needs a reason code; its feedback is shown to the startup."""
    with transaction.atomic():
        proposal = Proposal.objects.select_for_update().select_related("need", "startup").get(pk=proposal.pk)
        if (proposal.status, to) not in PROPOSAL_TRANSITIONS:
            raise ValidationError(
                _("A proposal cannot go from “%(from)s” to “%(to)s”.")
                % {"from": S(proposal.status).label, "to": S(to).label}
            )
        if not proposal_may_transition(proposal=proposal, to=to, actor=actor):
            raise PermissionDenied(_("Your role does not allow this change."))
        if to == S.SUBMITTED:
            _check_submittable(proposal)
            proposal.submitted_at = timezone.now()
        if to == S.REJECTED:
            if reason not in RejectionReason.values:
                raise ValidationError(_("Choose the reason for not selecting the proposal."))
            proposal.rejection_reason = reason
            proposal.feedback = feedback.strip()
        if to in (S.SELECTED, S.REJECTED, S.CONTRACTED):
            proposal.decided_at = timezone.now()
        record = ProposalTransition.objects.create(
            proposal=proposal, from_status=proposal.status, to_status=to, actor=actor, comment=comment.strip()
        )
        audit.record(actor, audit.Action.TRANSITION, proposal, {"status": [proposal.status, to]}, note=comment.strip())
        proposal.status = to
        proposal.save()
        enqueue("notify_proposal_transition", transition_id=record.pk)
    return record


def _check_submittable(proposal: Proposal) -> None:
    need = proposal.need
    if need.proposal_deadline and need.proposal_deadline <= timezone.now():
        raise ValidationError(_("The deadline for proposals to this need has passed."))
    if not need_is_open(None, need):
        raise ValidationError(_("This need does not accept proposals any more."))
    if not proposal.summary.strip():
        raise ValidationError(_("Write a summary before submitting."))


def proposal_bulk_transition(*, proposals, to: str, actor, comment: str = "", reason: str = "", feedback: str = ""):
    """Move several proposals at once (all or none): returns the transitions. The first refusal undoes the
    others and is raised again with the refused proposal's title in its message."""
    with transaction.atomic():
        records = []
        for proposal in proposals:
            try:
                records.append(
                    proposal_transition(
                        proposal=proposal, to=to, actor=actor, comment=comment, reason=reason, feedback=feedback
                    )
                )
            except (ValidationError, PermissionDenied) as error:
                messages = error.messages if isinstance(error, ValidationError) else [str(error)]
                text = _("“%(title)s”: %(error)s") % {"title": proposal.title, "error": " ".join(messages)}
                raise type(error)(text) from error
        return records


class ProposalConflict(ValidationError):
    """Two proposals of one startup to one need arrived together; the first is kept. The API answers 409."""


def proposal_create(*, need: Need, startup, data: dict, actor) -> Proposal:
    """A draft proposal of `startup` to `need`; one open proposal per startup and need."""
    if not (is_proposal_owner(actor, Proposal(startup=startup)) and can_view_need(actor, need)):
        raise PermissionDenied(_("Only members of the startup can propose, to needs they may see."))
    if not need_is_open(actor, need):
        raise ValidationError(_("This need does not accept proposals any more."))
    if _has_open_proposal(need, startup):
        # The same conflict as two at once, met a moment later: the API answers 409 either way.
        raise ProposalConflict(_("Your company already has an open proposal for this need."))
    with transaction.atomic():
        proposal = Proposal(need=need, startup=startup, created_by=actor)
        _set_fields(proposal, data)
        _insert_unless_conflicting(proposal)
        ProposalTransition.objects.create(proposal=proposal, from_status="", to_status=S.DRAFT, actor=actor)
        audit.record_created(actor, proposal)
    return proposal


def _has_open_proposal(need: Need, startup) -> bool:
    return Proposal.objects.filter(need=need, startup=startup, status__in=OPEN_PROPOSAL_STATUSES).exists()


def _insert_unless_conflicting(proposal: Proposal) -> None:
    """Insert; ProposalConflict if a colleague's proposal to the same need was stored since the check above
    (the database's unique constraint refuses the second of two at once)."""
    try:
        with transaction.atomic():  # a savepoint: the caller's transaction stays usable after the refusal
            proposal.save()
    except IntegrityError:
        if not _has_open_proposal(proposal.need, proposal.startup):
            raise
        raise ProposalConflict(
            _(
                "Someone at your company created a proposal for this need at the same moment, and a company has "
                "one open proposal per need: yours was not saved."
            ),
            code="conflict",
        ) from None


def proposal_update(*, proposal: Proposal, data: dict, actor) -> Proposal:
    if not is_proposal_owner(actor, proposal) or proposal.status != S.DRAFT:
        raise PermissionDenied(_("Only the startup can edit its proposal, and only while it is a draft."))
    with transaction.atomic():
        before = audit.snapshot(Proposal.objects.get(pk=proposal.pk))  # a form has already changed `proposal`
        _set_fields(proposal, data)
        proposal.save()
        audit.record_changed(actor, proposal, before)
    return proposal


def _set_fields(proposal: Proposal, data: dict) -> None:
    for name in PROPOSAL_FIELDS:
        if name in data:
            setattr(proposal, name, data[name])
    if proposal.cost_min_yen and proposal.cost_max_yen and proposal.cost_min_yen > proposal.cost_max_yen:
        raise ValidationError({"cost_max_yen": _("The upper cost must not be below the lower one.")})
    proposal.full_clean(exclude=["need", "startup"])


def proposal_save_draft(
    *, actor, data: dict, uploads=(), proposal: Proposal | None = None, need: Need | None = None, startup=None
) -> Proposal:
    """Create a draft (`need` and `startup` given) or update one (`proposal` given), and attach `uploads`, in one
    transaction: a refused field or file leaves nothing behind (callers check the files first)."""
    with transaction.atomic():
        if proposal is None:
            proposal = proposal_create(need=need, startup=startup, data=data, actor=actor)
        else:
            proposal = proposal_update(proposal=proposal, data=data, actor=actor)
        for uploaded in uploads:
            proposal_attach(proposal=proposal, uploaded=uploaded, actor=actor)
    return proposal


def proposal_attachment_remove(*, attachment: ProposalAttachment, actor) -> None:
    """Remove an attachment from a draft; the stored file goes once the row is gone for good."""
    if not is_proposal_owner(actor, attachment.proposal) or attachment.proposal.status != S.DRAFT:
        raise PermissionDenied(_("Attachments can be removed while the proposal is a draft."))
    storage, name = attachment.file.storage, attachment.file.name
    with transaction.atomic():
        audit.record(actor, audit.Action.DELETE, attachment, audit.snapshot(attachment), note=str(attachment.proposal))
        attachment.delete()
    transaction.on_commit(lambda: storage.delete(name))


def proposal_attach(*, proposal: Proposal, uploaded, actor) -> ProposalAttachment:
    """Store an uploaded PDF/DOCX/PPTX on a draft proposal after checking its content; nothing on refusal."""
    if not is_proposal_owner(actor, proposal) or proposal.status != S.DRAFT:
        raise PermissionDenied(_("Attachments can be added while the proposal is a draft."))
    content_type = attachment_check(uploaded)
    with transaction.atomic():
        attachment = ProposalAttachment.objects.create(
            proposal=proposal,
            file=uploaded,
            original_name=uploaded.name[:255],
            content_type=content_type,
            size=uploaded.size,
            uploaded_by=actor,
        )
        audit.record_created(actor, attachment, note=str(proposal))
    return attachment


# --- Evaluation --------------------------------------------------------------------------------------------


def designation_bonus_points() -> dict[str, float]:
    """Points added to a proposal's weighted score for its company's designations (the best one counts)."""
    from django.conf import settings

    return dict(settings.NEEDS_DESIGNATION_BONUS)


def evaluation_save(*, proposal: Proposal, evaluator, scores: dict, comment: str = "") -> Evaluation:
    """Record (or revise) an evaluator's 1–5 score on every criterion."""
    if not is_proposal_evaluator(evaluator, proposal):
        raise PermissionDenied(_("You are not an evaluator of this need."))
    if proposal.status not in EVALUATION_STATUSES:
        raise ValidationError(_("Proposals are evaluated while under review, shortlisted or at the pitch."))
    cleaned = {}
    for criterion in Criterion.values:
        value = scores.get(criterion)
        if not isinstance(value, int) or not 1 <= value <= 5:
            raise ValidationError(_("Score “%(criterion)s” from 1 to 5.") % {"criterion": Criterion(criterion).label})
        cleaned[criterion] = value
    with transaction.atomic():
        evaluation, created = Evaluation.objects.get_or_create(
            proposal=proposal, evaluator=evaluator, defaults={"scores": cleaned, "comment": comment.strip()}
        )
        if evaluation.conflict_of_interest:
            raise ValidationError(_("You declared a conflict of interest on this proposal."))
        if created:
            audit.record_created(evaluator, evaluation)
        else:
            before = audit.snapshot(evaluation)
            evaluation.scores, evaluation.comment = cleaned, comment.strip()
            evaluation.save(update_fields=["scores", "comment", "updated_at"])
            audit.record_changed(evaluator, evaluation, before)
    return evaluation


def evaluation_declare_conflict(*, proposal: Proposal, evaluator, note: str = "") -> Evaluation:
    """The evaluator steps aside on this proposal: their scores are removed from its totals."""
    if not is_proposal_evaluator(evaluator, proposal):
        raise PermissionDenied(_("You are not an evaluator of this need."))
    with transaction.atomic():
        evaluation, _created = Evaluation.objects.update_or_create(
            proposal=proposal,
            evaluator=evaluator,
            defaults={"conflict_of_interest": True, "scores": {}, "comment": note.strip()},
        )
        audit.record(evaluator, audit.Action.UPDATE, evaluation, {"conflict_of_interest": [False, True]})
    return evaluation


def need_set_evaluators(*, need: Need, evaluators, actor) -> None:
    """Replace the need's evaluators. Each must be a government user of the owning unit, of ATLA, or an MOD
    reviewer; an evaluator taken off the need leaves the ranking (their scores stay recorded)."""
    from needs.selectors import evaluator_candidates

    if not can_manage_proposals(actor, need):
        raise PermissionDenied(_("Only the owning unit and MOD reviewers choose the evaluators."))
    chosen = list(evaluators)
    allowed = set(evaluator_candidates(need=need).values_list("pk", flat=True))
    refused = [str(user) for user in chosen if user.pk not in allowed]
    if refused:
        raise ValidationError(_("These users cannot evaluate this need: %(names)s.") % {"names": ", ".join(refused)})
    added = sorted({user.pk for user in chosen} - set(need.evaluators.values_list("pk", flat=True)))
    with transaction.atomic():
        before = sorted(need.evaluators.values_list("email", flat=True))
        need.evaluators.set(chosen)
        after = sorted(user.email for user in chosen)
        if before != after:
            audit.record(actor, audit.Action.UPDATE, need, {"evaluators": [before, after]})
        if added:
            enqueue("notify_evaluators", need_id=need.pk, user_ids=added)


def need_set_criterion_weights(*, need: Need, weights: dict, actor) -> Need:
    """Store the weight of each evaluation criterion (a number ≥ 0, at least one above 0); a missing one is 1."""
    if not can_manage_proposals(actor, need):
        raise PermissionDenied(_("Only the owning unit and MOD reviewers set the criterion weights."))
    cleaned = {}
    for criterion in Criterion.values:
        value = float(weights.get(criterion, 1))
        if not math.isfinite(value) or value < 0:
            raise ValidationError({criterion: _("A weight is a number of 0 or more.")})
        cleaned[criterion] = value
    if not any(cleaned.values()):
        raise ValidationError(_("Give at least one criterion a weight above 0."))
    with transaction.atomic():
        before = need.criterion_weights
        need.criterion_weights = cleaned
        need.save(update_fields=["criterion_weights", "updated_at"])
        if before != cleaned:
            audit.record(actor, audit.Action.UPDATE, need, {"criterion_weights": [before, cleaned]})
    return need
