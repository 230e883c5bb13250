"""Demo needs and what followed them, for `load_demo` (data in `demo.needs_data`): each step goes through the
needs services as the unit, the MOD reviewer and the startups would take it on the pages, so the demo obeys the
same rules. Idempotent: a need already there (its unit and title) is left as it is, with all that followed it,
since the demo's users may have moved it on since."""

from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from accounts.models import Organisation
from demo import people, registry
from demo.needs_data import NEEDS, PROPOSALS, QUESTIONS, SHORTLISTS, DemoNeed, DemoProposal
from demo.workdays import office_day_from
from matchmaking.services import shortlist_add
from needs.enums import Criterion, NeedStatus
from needs.enums import ProposalStatus as S
from needs.models import Need, Proposal
from needs.services import needs as need_services
from needs.services import proposals as proposal_services
from seeds.models import TechField

FORWARD = [S.SUBMITTED, S.UNDER_REVIEW, S.SHORTLISTED, S.PITCH, S.SELECTED, S.CONTRACTED]
# The moves from a new draft to where the demo leaves a proposal.
PATHS = {
    S.DRAFT: [],
    **{status: FORWARD[: FORWARD.index(status) + 1] for status in FORWARD},
    S.REJECTED: [S.SUBMITTED, S.UNDER_REVIEW, S.REJECTED],
    S.WITHDRAWN: [S.SUBMITTED, S.WITHDRAWN],
}
BY_STARTUP, BY_REVIEWER = {S.SUBMITTED, S.WITHDRAWN}, {S.SELECTED, S.CONTRACTED, S.REJECTED}
COMMENTS = {
    S.UNDER_REVIEW: "書類審査を始めます。",
    S.SHORTLISTED: "書類審査を通過しました。",
    S.PITCH: "面談（ピッチ）にお招きします。",
    S.SELECTED: "評価の結果、採択します。",
    S.CONTRACTED: "試作・実証の契約を締結しました。",
    S.WITHDRAWN: "社内の体制が整わないため、取り下げます。",
}


def load() -> int:
    """Create the demo needs that are not there yet, with their proposals, evaluations, questions and
    shortlists; returns how many were created."""
    created = 0
    for demo in NEEDS:
        unit = Organisation.objects.get(unit_code=demo.unit)
        if Need.objects.filter(owner_unit=unit, title=demo.title).exists():
            continue
        need = _need_put(demo, unit)
        for proposal in PROPOSALS:
            if proposal.need == demo.key:
                _proposal_put(proposal, need, demo)
        for key, asker, question, answer in QUESTIONS:
            if key == demo.key:
                _question_put(need, demo, asker, question, answer)
        for key, slug, note in SHORTLISTS:
            if key == demo.key:
                shortlist_add(
                    need=need, startup=registry.company(slug), actor=_user(people.AUTHORS[demo.unit]), note=note
                )
        if demo.status == NeedStatus.CLOSED:
            comment = "評価に移るため、公募を締め切りました。"
            need_services.need_transition(
                need=need, to=NeedStatus.CLOSED, actor=_user(people.REVIEWER), comment=comment
            )
        created += 1
    return created


def need(key: str) -> Need:
    demo = next(demo for demo in NEEDS if demo.key == key)
    return Need.objects.get(owner_unit__unit_code=demo.unit, title=demo.title)


def _user(email: str):
    return get_user_model().objects.get(email=email)


def _need_put(demo: DemoNeed, unit: Organisation) -> Need:
    author, reviewer = _user(people.AUTHORS[demo.unit]), _user(people.REVIEWER)
    deadline = office_day_from(timezone.localdate() + timedelta(days=demo.deadline_days))
    data = {
        "title": demo.title,
        "description": demo.description,
        "desired_capabilities": demo.capabilities,
        "min_trl": demo.min_trl,
        "pathway": demo.pathway,
        "visibility": demo.visibility,
        "proposal_deadline": timezone.make_aware(datetime.combine(deadline, time(17))),
    }
    tech_fields = list(TechField.objects.filter(code__in=demo.tech_fields))
    need = need_services.need_create(data=data, tech_fields=tech_fields, owner_unit=unit, actor=author)
    moves = [(NeedStatus.SUBMITTED, author, ""), (NeedStatus.DRAFT, reviewer, demo.returned)] if demo.returned else []
    if demo.status != NeedStatus.DRAFT:
        moves.append((NeedStatus.SUBMITTED, author, ""))
    if demo.status in (NeedStatus.PUBLISHED, NeedStatus.CLOSED):
        moves.append((NeedStatus.PUBLISHED, reviewer, ""))
    for to, actor, comment in moves:
        need_services.need_transition(need=need, to=to, actor=actor, comment=comment)
    need.refresh_from_db()  # the transitions saved their own copy
    if demo.evaluators:
        evaluators = [_user(email) for email in demo.evaluators]
        proposal_services.need_set_evaluators(need=need, evaluators=evaluators, actor=author)
    return need


def _proposal_put(demo: DemoProposal, need: Need, demo_need: DemoNeed) -> Proposal:
    member = _user(registry.member_email(demo.startup))
    data = {
        "title": demo.title,
        "summary": demo.summary,
        "technical_approach": demo.approach,
        "current_trl": demo.trl,
        "schedule": f"契約から{demo.months}か月で試作・実証を終えます。",
        "cost_min_yen": demo.cost[0] * 1_000_000,
        "cost_max_yen": demo.cost[1] * 1_000_000,
    }
    proposal = proposal_services.proposal_create(
        need=need, startup=registry.company(demo.startup), data=data, actor=member
    )
    unit, reviewer = _user(people.AUTHORS[demo_need.unit]), _user(people.REVIEWER)
    for to in PATHS[demo.status]:
        actor = member if to in BY_STARTUP else reviewer if to in BY_REVIEWER else unit
        proposal_services.proposal_transition(
            proposal=proposal,
            to=to,
            actor=actor,
            comment=COMMENTS.get(to, ""),
            reason=demo.reason,
            feedback=demo.feedback,
        )
        if to == S.UNDER_REVIEW:
            proposal.refresh_from_db()
            _evaluations_put(demo, proposal, demo_need.evaluators)
    return proposal


def _evaluations_put(demo: DemoProposal, proposal: Proposal, evaluators: tuple[str, ...]) -> None:
    for position, email in enumerate(evaluators):
        evaluator = _user(email)
        if demo.conflict and position == len(evaluators) - 1:
            proposal_services.evaluation_declare_conflict(proposal=proposal, evaluator=evaluator, note=demo.conflict)
        elif position < len(demo.scores):
            scores = dict(zip(Criterion.values, demo.scores[position], strict=True))
            proposal_services.evaluation_save(proposal=proposal, evaluator=evaluator, scores=scores)


def _question_put(need: Need, demo: DemoNeed, asker: str, question: str, answer: str) -> None:
    asked = need_services.question_ask(need=need, question=question, actor=_user(registry.member_email(asker)))
    if answer:
        need_services.question_answer(question=asked, answer=answer, actor=_user(people.AUTHORS[demo.unit]))
