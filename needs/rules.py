"""Who may see and move needs and proposals (DESIGN.md §3).

Each visibility rule exists twice, side by side: as an object predicate (detail pages, downloads, API items)
and as a queryset filter (lists, search, exports, API lists). tests/needs/test_rules.py checks that the two
agree for every role, status and visibility.
"""

import rules
from django.db.models import Q

from accounts.enums import OrganisationKind
from accounts.rules import (
    is_curator,
    is_government_user,
    is_need_author,
    is_need_reviewer,
    is_portal_admin,
    is_startup_member,
    is_verified,
)
from needs.enums import NeedStatus, ProposalStatus, Visibility

PUBLIC_STATUSES = (NeedStatus.PUBLISHED, NeedStatus.CLOSED)
NEED_OWNER_KINDS = (OrganisationKind.MOD_UNIT, OrganisationKind.ATLA)


def _unit_id(user):
    return getattr(user, "organisation_id", None)


@rules.predicate
def is_owning_unit_staff(user, need) -> bool:
    """A need author or reviewer of the unit that owns the need."""
    return bool(
        need is not None and (is_need_author(user) or is_need_reviewer(user)) and _unit_id(user) == need.owner_unit_id
    )


def visibilities_for(*, verified: bool, government: bool) -> tuple[str, ...]:
    """The visibilities of the published needs an audience sees by visibility alone (no unit or reviewer rights)."""
    return (
        Visibility.PUBLIC,
        *((Visibility.REGISTERED,) if verified else ()),
        *((Visibility.GOVERNMENT,) if government else ()),
    )


def _audience(user) -> tuple[str, ...]:
    return visibilities_for(verified=bool(is_verified(user)), government=bool(is_government_user(user)))


@rules.predicate
def is_need_owner_member(user) -> bool:
    """A verified member of an active MOD unit or ATLA: the only organisations that own needs."""
    organisation = getattr(user, "organisation", None) if is_verified(user) else None
    return bool(
        organisation and organisation.is_active and organisation.kind in NEED_OWNER_KINDS and organisation.unit_code
    )


# Posting a need, on its page and through the API alike: a need author of an MOD unit or ATLA, for that unit.
can_create_need = is_need_author & is_need_owner_member


@rules.predicate
def can_view_need(user, need) -> bool:
    if need is None:
        return False
    if is_need_reviewer(user) or is_owning_unit_staff(user, need):
        return True
    return need.status in PUBLIC_STATUSES and need.visibility in _audience(user)


# Who follows a need's workflow (drafts, review, returns to draft, comments): those who may see its drafts.
# Everyone else sees only its public milestones (`selectors.need_history`).
can_view_need_workflow = is_need_reviewer | is_owning_unit_staff


def need_visibility_q(user) -> Q:
    """The queryset form of `can_view_need`."""
    if is_need_reviewer(user):
        return Q()
    allowed = Q(status__in=PUBLIC_STATUSES, visibility__in=_audience(user))
    if is_need_author(user) and _unit_id(user):
        allowed |= Q(owner_unit_id=_unit_id(user))
    return allowed


def startup_needs_q() -> Q:
    """The needs any startup may see, whoever of its members looks: what `need_visibility_q` gives a verified,
    non-government viewer (published, public or registered). For choices made on a startup's behalf, e.g. the
    need a meeting request names."""
    return Q(status__in=PUBLIC_STATUSES, visibility__in=visibilities_for(verified=True, government=False))


@rules.predicate
def need_is_draft(user, need) -> bool:
    """Only a draft is ever changed: on its edit page, through the API or by an import."""
    return bool(need is not None and need.status == NeedStatus.DRAFT)


@rules.predicate
def can_edit_need(user, need) -> bool:
    return bool(need_is_draft(user, need) and is_need_author(user) and is_owning_unit_staff(user, need))


@rules.predicate
def need_is_open(user, need) -> bool:
    from django.utils import timezone

    return bool(
        need
        and need.status == NeedStatus.PUBLISHED
        and (need.proposal_deadline is None or need.proposal_deadline > timezone.now())
    )


# --- Proposals -------------------------------------------------------------------------------------------


@rules.predicate
def is_proposal_owner(user, proposal) -> bool:
    """A member of the startup that submitted the proposal."""
    startup = getattr(proposal, "startup", None)
    return bool(
        startup is not None
        and startup.organisation_id is not None
        and is_startup_member(user)
        and _unit_id(user) == startup.organisation_id
    )


@rules.predicate
def is_proposal_evaluator(user, proposal) -> bool:
    return bool(
        proposal
        and proposal.status != ProposalStatus.DRAFT
        and is_verified(user)
        and proposal.need.evaluators.filter(pk=user.pk).exists()
    )


@rules.predicate
def is_proposal_unit(user, proposal) -> bool:
    """The owning unit's authors and reviewers, and MOD reviewers, once the proposal has left its draft."""
    if proposal is None or proposal.status == ProposalStatus.DRAFT:
        return False
    return bool(is_need_reviewer(user) or is_owning_unit_staff(user, proposal.need))


@rules.predicate
def is_admin_for_proposal(user, proposal) -> bool:
    return bool(proposal and proposal.status != ProposalStatus.DRAFT and is_portal_admin(user))


can_view_proposal = is_proposal_owner | is_proposal_unit | is_proposal_evaluator | is_admin_for_proposal


@rules.predicate
def can_read_internal_comments(user, proposal) -> bool:
    """Transition comments are the government side's notes: whoever may see the proposal reads them, except its
    startup, which reads the status, the rejection reason and the feedback written for it."""
    return bool(can_view_proposal(user, proposal) and not is_proposal_owner(user, proposal))


def proposal_visibility_q(user) -> Q:
    """The queryset form of `can_view_proposal`."""
    if not is_verified(user):
        return Q(pk__in=[])
    submitted = ~Q(status=ProposalStatus.DRAFT)
    allowed = Q(pk__in=[])
    if is_startup_member(user) and _unit_id(user):
        allowed |= Q(startup__organisation_id=_unit_id(user))
    if is_need_reviewer(user) or is_portal_admin(user):
        allowed |= submitted
    elif is_need_author(user) and _unit_id(user):
        allowed |= submitted & Q(need__owner_unit_id=_unit_id(user))
    allowed |= submitted & Q(need__evaluators=user)
    return allowed


@rules.predicate
def can_manage_proposals(user, need) -> bool:
    """The need's proposal list, evaluators, ranking and criterion weights: its owning unit and MOD reviewers."""
    return bool(need is not None and (is_need_reviewer(user) or is_owning_unit_staff(user, need)))


@rules.predicate
def can_evaluate_proposal(user, proposal) -> bool:
    """An evaluator assigned to the need, once the proposal has left its draft."""
    return bool(
        proposal is not None and proposal.status != ProposalStatus.DRAFT and is_proposal_evaluator(user, proposal)
    )


rules.add_perm("needs.view_need", can_view_need)
rules.add_perm("needs.view_need_workflow", can_view_need_workflow)
rules.add_perm("needs.create_need", can_create_need)
rules.add_perm("needs.edit_need", can_edit_need)
rules.add_perm("needs.review_needs", is_need_reviewer)
rules.add_perm("needs.import_needs", is_need_reviewer)
rules.add_perm("needs.answer_questions", is_owning_unit_staff)
rules.add_perm("needs.ask_question", is_startup_member & can_view_need & need_is_open)
rules.add_perm("needs.propose", is_startup_member & can_view_need & need_is_open)
rules.add_perm("needs.view_proposal", can_view_proposal)
rules.add_perm("needs.read_internal_comments", can_read_internal_comments)
rules.add_perm("needs.evaluate", is_government_user)
rules.add_perm(
    "needs.evaluate_nav", is_need_author | is_need_reviewer
)  # the evaluator's worklist; evaluators are government staff
rules.add_perm("needs.view_proposal_counts", is_curator | is_government_user | is_portal_admin)
rules.add_perm("needs.manage_proposals", can_manage_proposals)
rules.add_perm("needs.evaluate_proposal", can_evaluate_proposal)
rules.add_perm("needs.triage_consultations", is_portal_admin | is_curator)
