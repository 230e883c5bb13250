"""Reads on needs and proposals, filtered by the visibility rules of needs/rules.py."""

from dataclasses import dataclass
from statistics import mean, pstdev

from django.db.models import Count, F, Max, Prefetch, Q, QuerySet

from needs.enums import PUBLISHED_RESULT_STATUSES, Criterion, NeedStatus, ProposalStatus
from needs.models import Need, NeedQuestion, Proposal
from needs.rules import can_view_need_workflow, need_visibility_q, proposal_visibility_q
from seeds.models import normalise_for_search


@dataclass(frozen=True)
class NeedFilters:
    q: str = ""
    tech_field: str = ""
    unit: str = ""
    pathway: str = ""
    status: str = ""
    deadline_after: object = None  # date
    deadline_before: object = None


def need_list(*, user, filters: NeedFilters = NeedFilters()) -> QuerySet[Need]:
    needs = Need.objects.filter(need_visibility_q(user))
    for term in normalise_for_search(filters.q).split():
        needs = needs.filter(search_text__contains=term)
    if filters.tech_field:
        needs = needs.filter(tech_fields__code=filters.tech_field).distinct()
    if filters.unit:
        needs = needs.filter(owner_unit__unit_code=filters.unit)
    if filters.pathway:
        needs = needs.filter(pathway=filters.pathway)
    if filters.status:
        needs = needs.filter(status=filters.status)
    if filters.deadline_after:
        needs = needs.filter(proposal_deadline__date__gte=filters.deadline_after)
    if filters.deadline_before:
        needs = needs.filter(proposal_deadline__date__lte=filters.deadline_before)
    return needs.select_related("owner_unit").prefetch_related("tech_fields")


REVIEW_TABS = (NeedStatus.SUBMITTED, NeedStatus.PUBLISHED, NeedStatus.DRAFT)


def need_review_queue(*, status: str = NeedStatus.SUBMITTED) -> QuerySet[Need]:
    """Needs for the reviewers, by status: those under review oldest submission first, published ones by the
    nearest deadline (to close), drafts most recently changed first. Reviewers see every need (needs/rules.py)."""
    needs = Need.objects.filter(status=status).select_related("owner_unit")
    if status == NeedStatus.SUBMITTED:
        submitted = Max("transitions__at", filter=Q(transitions__to_status=NeedStatus.SUBMITTED))
        return needs.annotate(submitted_at=submitted).order_by("submitted_at", "pk")
    if status == NeedStatus.PUBLISHED:
        return needs.order_by(F("proposal_deadline").asc(nulls_last=True), "pk")
    return needs.order_by("-updated_at", "pk")


def need_review_counts() -> dict[str, int]:
    """How many needs each tab of the review queue holds, in one query."""
    return Need.objects.aggregate(**{status: Count("pk", filter=Q(status=status)) for status in REVIEW_TABS})


def need_questions_for(*, need: Need, user) -> QuerySet[NeedQuestion]:
    """The unit sees every question; everyone else only the answered ones (never who asked)."""
    from needs.rules import is_owning_unit_staff

    questions = need.questions.all()
    if not is_owning_unit_staff(user, need):
        questions = questions.exclude(answer="")
    return questions


def proposal_list(*, user, need: Need | None = None) -> QuerySet[Proposal]:
    proposals = Proposal.objects.filter(proposal_visibility_q(user)).distinct()
    if need is not None:
        proposals = proposals.filter(need=need)
    return proposals.select_related("need", "startup")


def need_funnel(*, need: Need) -> dict[str, int]:
    """Proposals at each stage of the pipeline, drafts excluded."""
    counts = dict(need.proposals.exclude(status=ProposalStatus.DRAFT).values_list("status").annotate(n=Count("pk")))
    return {status: counts.get(status, 0) for status in ProposalStatus.values if status != ProposalStatus.DRAFT}


def published_results() -> QuerySet[Proposal]:
    return (
        Proposal.objects.filter(status__in=PUBLISHED_RESULT_STATUSES)
        .select_related("need", "startup")
        .order_by("-decided_at")
    )


@dataclass
class RankedProposal:
    proposal: Proposal
    evaluator_count: int
    weighted_score: float | None  # 1–5, weighted mean over criteria of the evaluators' mean
    spread: float | None  # standard deviation of the evaluators' weighted scores
    bonus: float
    total: float | None


def need_ranking(*, need: Need, bonus_points: dict[str, float]) -> list[RankedProposal]:
    """Proposals under evaluation ranked by weighted score plus designation bonus (evaluators who declared a
    conflict of interest are left out)."""
    from needs.models import Evaluation

    weights = {c: float(need.criterion_weights.get(c, 1)) for c in Criterion.values}
    weight_sum = sum(weights.values()) or 1.0
    proposals = (
        need.proposals.exclude(status__in=[ProposalStatus.DRAFT, ProposalStatus.WITHDRAWN])
        .select_related("startup")
        .prefetch_related(
            # Only the need's current evaluators count, and none who declared a conflict of interest.
            Prefetch(
                "evaluations",
                queryset=Evaluation.objects.filter(conflict_of_interest=False, evaluator__needs_to_evaluate=need),
            ),
            "startup__designations",
        )
    )
    ranked = []
    for proposal in proposals:
        per_evaluator = [
            sum(weights[c] * evaluation.scores[c] for c in Criterion.values if c in evaluation.scores) / weight_sum
            for evaluation in proposal.evaluations.all()
        ]
        programs = {designation.program for designation in proposal.startup.designations.all()}
        bonus = max((bonus_points.get(program, 0.0) for program in programs), default=0.0)
        score = mean(per_evaluator) if per_evaluator else None
        ranked.append(
            RankedProposal(
                proposal=proposal,
                evaluator_count=len(per_evaluator),
                weighted_score=score,
                spread=pstdev(per_evaluator) if len(per_evaluator) > 1 else (0.0 if per_evaluator else None),
                bonus=bonus,
                total=None if score is None else score + bonus,
            )
        )
    ranked.sort(key=lambda item: (item.total is None, -(item.total or 0), item.proposal.pk))
    return ranked


def proposal_visible(*, user, pk: int) -> Proposal | None:
    """One proposal with what its page shows, or None when it does not exist or `user` may not see it (the
    list rule decides, so a page and a list never disagree)."""
    return (
        Proposal.objects.filter(proposal_visibility_q(user), pk=pk)
        .distinct()
        .select_related("need__owner_unit", "startup")
        .first()
    )


# The steps of a need anyone who may see it may know of: when it was published, closed or withdrawn.
PUBLIC_MILESTONES = (NeedStatus.PUBLISHED, NeedStatus.CLOSED, NeedStatus.WITHDRAWN)


def need_history(*, need: Need, user) -> QuerySet:
    """The need's status changes in time order: every step for those who follow its workflow
    (`rules.can_view_need_workflow`), the public milestones only for everyone else."""
    steps = need.transitions.select_related("actor").order_by("at", "pk")
    return steps if can_view_need_workflow(user, need) else steps.filter(to_status__in=PUBLIC_MILESTONES)


def proposal_history(*, proposal: Proposal) -> QuerySet:
    return proposal.transitions.select_related("actor").order_by("at", "pk")


def need_proposal_rows(*, user, need: Need) -> QuerySet[Proposal]:
    """The need's proposals `user` may see, with how many evaluators scored each (conflicts left out)."""
    scored = Q(evaluations__conflict_of_interest=False, evaluations__evaluator__needs_to_evaluate=need)
    return (
        proposal_list(user=user, need=need)
        .annotate(evaluator_count=Count("evaluations", filter=scored, distinct=True))
        .order_by("-submitted_at", "pk")
    )


def proposals_of_member(*, user) -> QuerySet[Proposal]:
    """The proposals of the startup the member's organisation manages (their own company only)."""
    organisation_id = getattr(user, "organisation_id", None)
    if organisation_id is None:
        return Proposal.objects.none()
    return (
        proposal_list(user=user)
        .filter(startup__organisation_id=organisation_id)
        .select_related("need__owner_unit")
        .order_by("-updated_at", "-pk")
    )


def open_proposal_of(*, need: Need, startup) -> Proposal | None:
    from needs.enums import OPEN_PROPOSAL_STATUSES

    return Proposal.objects.filter(need=need, startup=startup, status__in=OPEN_PROPOSAL_STATUSES).first()


def earlier_proposals_of(*, startup) -> QuerySet[Proposal]:
    """A startup's proposals to start a new one from, newest first."""
    return startup.proposals.select_related("need").order_by("-created_at")


def result_list(*, user) -> QuerySet[Proposal]:
    """Published results (selected and contracted proposals) of the needs `user` may see."""
    return published_results().filter(need__in=Need.objects.filter(need_visibility_q(user)))


def evaluator_candidates(*, need: Need) -> QuerySet:
    """Who may evaluate a need's proposals: active, verified government users of the owning unit or of ATLA,
    and MOD reviewers."""
    from django.contrib.auth import get_user_model

    from accounts.enums import GOVERNMENT_KINDS, OrganisationKind, RoleCode

    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            email_verified_at__isnull=False,
            organisation__is_active=True,
            organisation__kind__in=sorted(GOVERNMENT_KINDS),
        )
        .filter(
            Q(organisation_id=need.owner_unit_id)
            | Q(organisation__kind=OrganisationKind.ATLA)
            | Q(roles__code=RoleCode.NEED_REVIEWER)
        )
        .distinct()
        .select_related("organisation")
        .order_by("organisation__kind", "organisation__name", "full_name", "email")
    )


def consultation_open_count() -> int:
    from needs.enums import ConsultationStatus
    from needs.models import ConsultationRequest

    return ConsultationRequest.objects.filter(status=ConsultationStatus.NEW).count()


def proposals_to_evaluate(*, user) -> QuerySet[Proposal]:
    """Proposals of the needs this user evaluates that are open for scores, with the user's own evaluation."""
    from needs.models import Evaluation
    from needs.services.proposals import EVALUATION_STATUSES

    return (
        Proposal.objects.filter(need__evaluators=user, status__in=EVALUATION_STATUSES)
        .select_related("need", "startup")
        .prefetch_related(Prefetch("evaluations", queryset=Evaluation.objects.filter(evaluator=user), to_attr="mine"))
        .order_by("need__proposal_deadline", "need__ref", "pk")
    )
