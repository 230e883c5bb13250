"""Learning from use (matchmaking.feedback): shortlists, proposals, selections and "no thanks" are recorded as
judgements with the rank the pair had; the curators' page reports nDCG@10 per unit and month, equal to a direct
computation from the shortlists; weights tuned on one unit's judgements change that unit's needs only."""

from datetime import UTC, datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.enums import OrganisationKind, UnitCode
from accounts.models import Organisation
from matchmaking import feedback, selectors, services
from matchmaking.meetings import services as meetings
from matchmaking.models import MatchJudgement, MatchScore, WeightProfile
from matchmaking.scoring import metrics
from needs.enums import ProposalStatus
from needs.models import Proposal
from tests.matchmaking.conftest import make_need, score_all

pytestmark = pytest.mark.django_db


def ranking(need) -> list[int]:
    return [m.startup_id for m in selectors.need_matches(need=need)]


def shortlist(world, need, *keys) -> None:
    for key in keys:
        services.shortlist_add(need=need, startup=world.startups[key], actor=world.users["owning_author"])


def test_shortlisting_records_a_judgement_with_the_rank_the_startup_had(world):
    order = ranking(world.need)
    shortlist(world, world.need, "rf")
    judgement = MatchJudgement.objects.get(need=world.need, startup=world.startups["rf"])
    assert judgement.kind == MatchJudgement.Kind.SHORTLISTED and judgement.gain == 1
    assert judgement.rank == order.index(world.startups["rf"].pk) + 1
    assert judgement.unit == world.unit
    services.shortlist_remove(need=world.need, startup=world.startups["rf"], actor=world.users["owning_author"])
    assert not MatchJudgement.objects.filter(need=world.need).exists()


def test_the_report_equals_a_direct_computation_from_the_shortlists(world, client):
    shortlist(world, world.need, "rf", "farm")
    shortlist(world, world.government_need, "acoustic")
    expected = []
    for need, keys in ((world.need, ("rf", "farm")), (world.government_need, ("acoustic",))):
        judged = {world.startups[key].pk: 1 for key in keys}
        expected.append(metrics.ndcg(ranking(need), judged, 10))
    (row,) = feedback.feedback_report()
    assert row.unit == world.unit and row.needs == 2 and row.judgements == 3
    assert row.ndcg == pytest.approx(sum(expected) / 2)

    client.force_login(world.users["curator"])
    page = client.get(reverse("matchmaking:feedback")).content.decode()
    assert f'data-ndcg="{row.ndcg:.3f}"' in page


def test_proposals_and_selections_count_more_and_a_later_no_thanks_counts_nothing(world):
    startup = world.startups["radar"]
    proposal = Proposal.objects.create(
        need=world.need, startup=startup, title="提案", summary="概要", status=ProposalStatus.SUBMITTED
    )
    assert MatchJudgement.objects.get(need=world.need, startup=startup).gain == 2
    proposal.status = ProposalStatus.SELECTED
    proposal.save()
    gains = dict(MatchJudgement.objects.filter(need=world.need, startup=startup).values_list("kind", "gain"))
    assert gains == {"proposed": 2, "selected": 3}
    (row,) = feedback.feedback_report()
    rank = ranking(world.need).index(startup.pk) + 1
    assert row.ndcg == pytest.approx(metrics.ndcg([None] * (rank - 1) + [startup.pk], {startup.pk: 3}, 10))

    feedback.judgement_record(need=world.need, startup_id=startup.pk, kind=MatchJudgement.Kind.DECLINED)
    (row,) = feedback.feedback_report()
    assert row.ndcg is None and row.needs == 0  # the unit's latest word on the pair: no thanks


def test_months_are_counted_in_japan_time(world):
    shortlist(world, world.need, "rf")
    MatchJudgement.objects.update(recorded_at=datetime(2026, 1, 31, 15, 30, tzinfo=UTC))  # 00:30 on 1 Feb in Tokyo
    (row,) = feedback.feedback_report(model_version=None)
    assert (row.month.year, row.month.month) == (2026, 2)


def test_the_page_is_for_curators_and_admins(world, client):
    client.force_login(world.users["owning_author"])
    assert client.get(reverse("matchmaking:feedback")).status_code == 403
    client.force_login(world.users["admin"])
    assert client.get(reverse("matchmaking:feedback")).status_code == 200


def other_unit() -> Organisation:
    return Organisation.objects.get_or_create(
        unit_code=UnitCode.MSDF, defaults={"name": "海上幕僚監部", "kind": OrganisationKind.MOD_UNIT}
    )[0]


def test_a_units_tuned_weights_change_its_own_needs_and_no_other_units(world):
    theirs = make_need(other_unit(), "M-0001")
    score_all()
    before = dict(MatchScore.objects.filter(need=theirs).values_list("startup_id", "score"))
    WeightProfile.objects.create(
        unit=world.unit,
        model_version=MatchScore.objects.first().model_version,
        weights={"text": 1.0, "concepts": 0.0, "solves": 0.0, "fields": 0.0},
        active=True,
    )
    score_all()
    assert dict(MatchScore.objects.filter(need=theirs).values_list("startup_id", "score")) == pytest.approx(before)
    for match in MatchScore.objects.filter(need=world.need):
        c = match.components
        expected = c["text"] * c["maturity"] * (1 - 0.6 * c["exclusion"])
        assert match.score == pytest.approx(expected, abs=1e-3)


def test_tuning_uses_one_units_judgements_and_is_shown_on_the_page(world, client):
    needs = [make_need(world.unit, f"G-01{n:02d}") for n in range(5)]
    score_all()
    for need in needs:
        shortlist(world, need, "radar", "rf")
    profile = feedback.weight_profile_tune(unit=world.unit)
    assert profile is not None and profile.needs_used == 5
    assert sum(profile.weights.values()) == pytest.approx(1.0)
    assert 0 <= profile.ndcg_before <= 1 and 0 <= profile.ndcg_after <= 1
    assert profile.active == (profile.ndcg_after > profile.ndcg_before)
    assert feedback.weight_profile_tune(unit=other_unit()) is None  # no judgements of its own: nothing to learn

    client.force_login(world.users["curator"])
    response = client.post(reverse("matchmaking:feedback_tune"), follow=True)
    assert response.status_code == 200
    assert world.unit.name in response.content.decode()


def test_a_units_no_thanks_to_a_meeting_about_a_need_is_recorded_and_taken_back(world):
    admin, startup = world.users["admin"], world.startups["radar"]
    meeting = meetings.meeting_create(
        actor=admin,
        number=1,
        title="合同推進会",
        days=[(timezone.localdate() + timedelta(days=14), time(10, 0), time(12, 0))],
        rooms=["A"],
        reply_by=timezone.localdate() + timedelta(days=7),
        units=[world.unit],
    )
    (invitation,) = meetings.invitation_create(meeting=meeting, actor=admin, startups=[startup])
    request = meetings.request_set(
        meeting=meeting, invitation=invitation, unit=world.unit, actor=admin, need=world.need
    )
    meetings.request_decline(request=request, actor=admin)
    judgement = MatchJudgement.objects.get(need=world.need, startup=startup)
    assert (judgement.kind, judgement.gain) == (MatchJudgement.Kind.DECLINED, 0)
    meetings.request_decline(request=request, actor=admin, declined=False)
    assert not MatchJudgement.objects.filter(need=world.need, startup=startup).exists()


def test_a_judgement_keeps_the_rank_it_had_when_it_happened(world):
    startup = world.startups["rf"]
    proposal = Proposal.objects.create(
        need=world.need, startup=startup, title="提案", summary="概要", status=ProposalStatus.SUBMITTED
    )
    rank = MatchJudgement.objects.get(need=world.need, startup=startup).rank
    MatchScore.objects.filter(need=world.need, startup=startup).update(score=0.0)  # the ranking moves on
    assert feedback.rank_of(need_id=world.need.pk, startup_id=startup.pk)[0] != rank
    proposal.summary = "概要（改訂）"
    proposal.save()  # saved again, same status
    assert MatchJudgement.objects.get(need=world.need, startup=startup).rank == rank


def test_a_proposal_taken_back_is_no_longer_a_judgement(world):
    startup = world.startups["radar"]
    proposal = Proposal.objects.create(
        need=world.need, startup=startup, title="提案", summary="概要", status=ProposalStatus.SUBMITTED
    )
    assert MatchJudgement.objects.filter(need=world.need, startup=startup).exists()
    proposal.status = ProposalStatus.WITHDRAWN
    proposal.save()
    assert not MatchJudgement.objects.filter(need=world.need, startup=startup).exists()


def test_tuning_again_renews_the_profile_and_rescores_the_stored_matches(
    world, client, django_capture_on_commit_callbacks
):
    needs = [make_need(world.unit, f"G-02{n:02d}") for n in range(5)]
    score_all()
    for need in needs:
        shortlist(world, need, "radar", "rf")
    first = feedback.weight_profile_tune(unit=world.unit)
    WeightProfile.objects.filter(pk=first.pk).update(tuned_at=timezone.now() - timedelta(days=1))
    again = feedback.weight_profile_tune(unit=world.unit)
    assert again.pk == first.pk and again.tuned_at > timezone.now() - timedelta(minutes=1)  # workers see new weights

    client.force_login(world.users["curator"])
    MatchScore.objects.filter(need__in=needs).update(score=0.0)  # stale rows: the recompute must write them anew
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("matchmaking:feedback_tune"))
    assert MatchScore.objects.filter(need__in=needs, score__gt=0).exists()
