"""`load_demo`'s needs and what followed them: every unit, field, pathway and status a visitor may look for."""

from collections import Counter

from accounts.enums import UnitCode
from matchmaking.models import Shortlist
from needs.enums import NeedStatus, Pathway, ProposalStatus
from needs.models import Evaluation, Need, NeedQuestion, NeedTransition, Proposal
from seeds.models import TechField


def test_the_needs_span_every_unit_field_and_pathway_in_each_status(demo):
    needs = Need.objects.prefetch_related("tech_fields").select_related("owner_unit")
    assert 15 <= len(needs) <= 20
    assert {need.owner_unit.unit_code for need in needs} == set(UnitCode.values)
    assert {field.code for need in needs for field in need.tech_fields.all()} == set(
        TechField.objects.values_list("code", flat=True)
    )
    assert {need.pathway for need in needs} == set(Pathway.values)
    statuses = Counter(need.status for need in needs)
    assert statuses[NeedStatus.SUBMITTED] == 1 and statuses[NeedStatus.CLOSED] == 1
    assert statuses[NeedStatus.DRAFT] >= 2 and statuses[NeedStatus.PUBLISHED] > len(needs) / 2
    returned = NeedTransition.objects.filter(from_status=NeedStatus.SUBMITTED, to_status=NeedStatus.DRAFT)
    assert returned.exclude(comment="").exists()  # a reviewer sent one back, saying why


def test_proposals_stand_at_every_stage_and_were_evaluated(demo):
    assert set(Proposal.objects.values_list("status", flat=True)) == set(ProposalStatus.values)
    assert Evaluation.objects.filter(conflict_of_interest=False).exclude(scores={}).count() >= 10
    conflict = Evaluation.objects.get(conflict_of_interest=True)
    assert conflict.comment and conflict.scores == {}
    rejected = Proposal.objects.filter(status=ProposalStatus.REJECTED)
    assert all(proposal.rejection_reason and proposal.feedback for proposal in rejected)


def test_startups_asked_questions_and_units_shortlisted_startups(demo):
    questions = NeedQuestion.objects.all()
    assert questions.exclude(answer="").exists() and questions.filter(answer="").exists()
    assert Shortlist.objects.values("need").distinct().count() >= 10
