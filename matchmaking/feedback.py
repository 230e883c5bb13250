"""Learning from use: what units do with ranked startups, read as relevance judgements of the ranking.

- Recording: a shortlist entry (gain 1), a submitted proposal (2), a selection or contract (3) and a unit's
  "no thanks" to a meeting about a need (0) become one `MatchJudgement` each, with the rank and score the pair had
  when it happened (judgement_record; the receivers below call it, so every page, API and command that shortlists,
  submits or declines is counted).
- Reporting (feedback_report): per owning unit and month (Asia/Tokyo), the mean over needs of nDCG@10 of the
  judged startups at their recorded ranks: how well the ranking served what people chose.
- Tuning (weight_profile_tune): the relevance weights that rank one unit's judged startups best, chosen and
  measured with each need held out in turn; a profile is used only when that held-out figure beats the shipped
  weights, and only for the needs of that unit (unit_weighted): no unit's choices reach another unit's view.
"""

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from zoneinfo import ZoneInfo

import numpy as np
from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from accounts.models import Organisation
from matchmaking.models import MatchJudgement, MatchScore, Shortlist, WeightProfile
from matchmaking.models.meetings import MeetingRequest
from matchmaking.scoring.matcher import DEFAULT_PARAMS, MODEL_VERSION, RELEVANCE, NeedDoc, combine
from matchmaking.scoring.metrics import weight_grid
from needs.enums import ProposalStatus
from needs.models import Need, Proposal

K = 10
JST = ZoneInfo("Asia/Tokyo")
Kind = MatchJudgement.Kind
GAINS = {Kind.DECLINED: 0, Kind.SHORTLISTED: 1, Kind.PROPOSED: 2, Kind.SELECTED: 3}
PROPOSED_STATUSES = {
    ProposalStatus.SUBMITTED,
    ProposalStatus.UNDER_REVIEW,
    ProposalStatus.SHORTLISTED,
    ProposalStatus.PITCH,
}
SELECTED_STATUSES = {ProposalStatus.SELECTED, ProposalStatus.CONTRACTED}
WITHDRAWN_STATUSES = {ProposalStatus.WITHDRAWN, ProposalStatus.DRAFT}
MIN_NEEDS_TO_TUNE = 5


# --- Recording ------------------------------------------------------------------------------------------


def rank_of(*, need_id: int, startup_id: int) -> tuple[int | None, float | None, str]:
    """The pair's place in the need's stored ranking now (score, then startup id), its score and model version;
    (None, None, current version) when the pair is not among the stored matches."""
    row = MatchScore.objects.filter(need_id=need_id, startup_id=startup_id).values("score", "model_version").first()
    if row is None:
        return None, None, MODEL_VERSION
    above = MatchScore.objects.filter(need_id=need_id).filter(
        Q(score__gt=row["score"]) | Q(score=row["score"], startup_id__lt=startup_id)
    )
    return above.count() + 1, row["score"], row["model_version"]


def judgement_record(*, need: Need, startup_id: int, kind: str) -> MatchJudgement:
    """Record one judgement of the pair with the pair's rank and score at this moment; one already recorded keeps
    the rank it had then (a proposal saved again, say), until it is withdrawn."""
    existing = MatchJudgement.objects.filter(need=need, startup_id=startup_id, kind=kind).first()
    if existing is not None:
        return existing
    rank, score, version = rank_of(need_id=need.pk, startup_id=startup_id)
    judgement, _created = MatchJudgement.objects.get_or_create(
        need=need,
        startup_id=startup_id,
        kind=kind,
        defaults={
            "unit_id": need.owner_unit_id,
            "gain": GAINS[kind],
            "rank": rank,
            "score": score,
            "model_version": version,
        },
    )
    return judgement


def judgement_withdraw(*, need_id: int, startup_id: int, kind: str) -> None:
    MatchJudgement.objects.filter(need_id=need_id, startup_id=startup_id, kind=kind).delete()


@receiver(post_save, sender=Shortlist, dispatch_uid="feedback-shortlist-added")
def _shortlisted(sender, instance: Shortlist, created: bool, **kwargs) -> None:
    if created:
        judgement_record(need=instance.need, startup_id=instance.startup_id, kind=Kind.SHORTLISTED)


@receiver(post_delete, sender=Shortlist, dispatch_uid="feedback-shortlist-removed")
def _unshortlisted(sender, instance: Shortlist, **kwargs) -> None:
    judgement_withdraw(need_id=instance.need_id, startup_id=instance.startup_id, kind=Kind.SHORTLISTED)


@receiver(post_save, sender=Proposal, dispatch_uid="feedback-proposal")
def _proposal_moved(sender, instance: Proposal, **kwargs) -> None:
    kind = (
        Kind.SELECTED
        if instance.status in SELECTED_STATUSES
        else Kind.PROPOSED
        if instance.status in PROPOSED_STATUSES
        else None
    )
    if kind is not None:  # inside the transition's transaction: rolled back with it
        judgement_record(need=instance.need, startup_id=instance.startup_id, kind=kind)
    elif instance.status in WITHDRAWN_STATUSES:  # the company took it back: no longer a judgement of the ranking
        for taken_back in (Kind.PROPOSED, Kind.SELECTED):
            judgement_withdraw(need_id=instance.need_id, startup_id=instance.startup_id, kind=taken_back)


@receiver(post_save, sender=MeetingRequest, dispatch_uid="feedback-no-thanks")
def _no_thanks(sender, instance: MeetingRequest, **kwargs) -> None:
    startup_id = instance.invitation.startup_id if instance.invitation_id else None
    if instance.need_id is None or startup_id is None:
        return
    if instance.declined_at is not None:
        judgement_record(need=instance.need, startup_id=startup_id, kind=Kind.DECLINED)
    else:
        judgement_withdraw(need_id=instance.need_id, startup_id=startup_id, kind=Kind.DECLINED)


# --- Reporting ------------------------------------------------------------------------------------------


def ndcg_at_ranks(judged: dict[int, tuple[int, int | None]], k: int = K) -> float | None:
    """nDCG@k of judged startups (startup → (gain, rank or None)) at their ranks; None when no gain is positive."""
    ideal = sorted((gain for gain, _rank in judged.values()), reverse=True)[:k]
    idcg = sum(gain / math.log2(i + 2) for i, gain in enumerate(ideal))
    if not idcg:
        return None
    dcg = sum(gain / math.log2(rank + 1) for gain, rank in judged.values() if rank is not None and rank <= k)
    return dcg / idcg


def _latest_per_pair(judgements: Iterable[MatchJudgement]) -> dict[int, tuple[int, int | None]]:
    """startup → (gain, rank) of the pair's latest judgement (a later "no thanks" overrides a shortlist)."""
    latest: dict[int, MatchJudgement] = {}
    for judgement in sorted(judgements, key=lambda j: (j.recorded_at, j.pk)):
        latest[judgement.startup_id] = judgement
    return {sid: (j.gain, j.rank) for sid, j in latest.items()}


@dataclass(frozen=True)
class FeedbackRow:
    unit: Organisation | None
    month: date  # first day of the month, Asia/Tokyo
    needs: int  # needs with at least one positive judgement that month
    judgements: int
    ndcg: float | None  # mean over those needs


def feedback_report(*, model_version: str | None = None) -> list[FeedbackRow]:
    """Per unit and month: how well the ranking (as it was when people chose) placed what they chose."""
    judgements = MatchJudgement.objects.select_related("unit").order_by("recorded_at", "pk")
    if model_version:
        judgements = judgements.filter(model_version=model_version)
    groups: dict[tuple, dict[int, list[MatchJudgement]]] = defaultdict(lambda: defaultdict(list))
    units: dict[int | None, Organisation | None] = {}
    for judgement in judgements:
        month = judgement.recorded_at.astimezone(JST).date().replace(day=1)
        groups[(judgement.unit_id, month)][judgement.need_id].append(judgement)
        units[judgement.unit_id] = judgement.unit
    rows = []
    for (unit_id, month), by_need in groups.items():
        figures = [f for f in (ndcg_at_ranks(_latest_per_pair(js)) for js in by_need.values()) if f is not None]
        rows.append(
            FeedbackRow(
                units[unit_id],
                month,
                len(figures),
                sum(map(len, by_need.values())),
                sum(figures) / len(figures) if figures else None,
            )
        )
    return sorted(rows, key=lambda r: (r.unit.name if r.unit else "", r.month))


# --- Tuning ---------------------------------------------------------------------------------------------


@dataclass
class _JudgedNeed:
    startup_ids: list[int]
    components: dict[str, np.ndarray]  # name → (1, startups) of the stored rows
    gains: np.ndarray  # (startups,)


def _judged_needs(unit: Organisation, model_version: str) -> list[_JudgedNeed]:
    judged = MatchJudgement.objects.filter(unit=unit, model_version=model_version)
    by_need: dict[int, list[MatchJudgement]] = defaultdict(list)
    for judgement in judged:
        by_need[judgement.need_id].append(judgement)
    result = []
    rows = MatchScore.objects.filter(need_id__in=list(by_need), model_version=model_version)
    stored: dict[int, list[tuple[int, dict]]] = defaultdict(list)
    for need_id, startup_id, comps in rows.order_by("startup_id").values_list("need_id", "startup_id", "components"):
        stored[need_id].append((startup_id, comps))
    for need_id, judgements in by_need.items():
        gains = {sid: gain for sid, (gain, _rank) in _latest_per_pair(judgements).items()}
        pairs = stored.get(need_id, [])
        if not pairs or not any(gains.get(sid) for sid, _c in pairs):
            continue
        comps = {
            name: np.array([[float(c.get(name, 1.0 if name == "maturity" else 0.0)) for _sid, c in pairs]])
            for name in (*RELEVANCE, "maturity", "exclusion")
        }
        ids = [sid for sid, _c in pairs]
        result.append(_JudgedNeed(ids, comps, np.array([gains.get(sid, 0) for sid in ids], dtype=float)))
    return result


def _ndcg(need: _JudgedNeed, weights: Sequence[float]) -> float:
    scores = combine(need.components, DEFAULT_PARAMS, row_weights=[weights])[0]
    order = np.lexsort((np.array(need.startup_ids), -scores))
    ranks = {need.startup_ids[j]: r + 1 for r, j in enumerate(order)}
    figure = ndcg_at_ranks({sid: (int(g), ranks[sid]) for sid, g in zip(need.startup_ids, need.gains, strict=True)})
    return figure or 0.0


def weight_profile_tune(*, unit: Organisation, actor=None, model_version: str = MODEL_VERSION) -> WeightProfile | None:
    """Tune the relevance weights on this unit's judgements of this model version (needs whose stored matches
    contain a judged startup). Writes the unit's profile; None when fewer than MIN_NEEDS_TO_TUNE needs qualify.
    The profile is active only if choosing on the other needs and measuring on each one in turn beats the
    shipped weights on the same needs."""
    needs = _judged_needs(unit, model_version)
    if len(needs) < MIN_NEEDS_TO_TUNE:
        return None
    grid = list(weight_grid(len(RELEVANCE)))
    shipped = tuple(getattr(DEFAULT_PARAMS, f"w_{name}") for name in RELEVANCE)
    before = sum(_ndcg(n, shipped) for n in needs) / len(needs)
    # Each need under each weight setting, once: the held-out figure picks, for each need, the setting best on
    # the others (their column sums less its own row) and reads that need's figure under it.
    figures = np.array([[_ndcg(n, w) for w in grid] for n in needs])
    totals = figures.sum(axis=0)
    held_out = float(np.mean([row[int(np.argmax(totals - row))] for row in figures]))
    chosen = grid[int(np.argmax(totals))]
    profile, _created = WeightProfile.objects.update_or_create(
        unit=unit,
        model_version=model_version,
        defaults={
            "weights": dict(zip(RELEVANCE, chosen, strict=True)),
            "needs_used": len(needs),
            "ndcg_before": before,
            "ndcg_after": held_out,
            "active": held_out > before,
            "tuned_by": actor,
            "tuned_at": timezone.now(),  # what processes holding the old weights look at to renew them
        },
    )
    return profile


def weight_profiles() -> list[WeightProfile]:
    return list(WeightProfile.objects.select_related("unit").order_by("unit__name", "-tuned_at"))


def unit_weighted(docs: list[NeedDoc]) -> list[NeedDoc]:
    """The needs' documents with their owning unit's active weights for this model version, if it has some."""
    profiles = dict(
        WeightProfile.objects.filter(model_version=MODEL_VERSION, active=True).values_list("unit_id", "weights")
    )
    if not profiles or not docs:
        return docs
    owners = dict(Need.objects.filter(pk__in=[int(d.key) for d in docs]).values_list("pk", "owner_unit_id"))
    weighted = []
    for doc in docs:
        weights = profiles.get(owners.get(int(doc.key)))
        if weights:  # a component the profile does not name keeps the shipped weight
            doc = replace(doc, weights=tuple(weights.get(n, getattr(DEFAULT_PARAMS, f"w_{n}")) for n in RELEVANCE))
        weighted.append(doc)
    return weighted
