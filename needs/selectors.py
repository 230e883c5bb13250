"""Reads on needs and proposals, filtered by the visibility rules of needs/rules.py."""

from dataclasses import dataclass
from statistics import mean, pstdev

from django.db.models import Count, Prefetch, QuerySet

from needs.enums import PUBLISHED_RESULT_STATUSES, Criterion, ProposalStatus
from needs.models import Need, NeedQuestion, Proposal
from needs.rules import need_visibility_q, proposal_visibility_q
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
            Prefetch("evaluations", queryset=Evaluation.objects.filter(conflict_of_interest=False)),
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


def consultation_open_count() -> int:
    from needs.enums import ConsultationStatus
    from needs.models import ConsultationRequest

    return ConsultationRequest.objects.filter(status=ConsultationStatus.NEW).count()
