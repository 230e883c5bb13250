"""Reads on match scores for the pages and the API: ranked lists filtered by the visibility rules, the reasons of
the rows on a page (explained in one batch), the shortlist and the curators' overview."""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, Max, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.expressions import Window
from django.db.models.functions import Coalesce, RowNumber

from matchmaking.documents import need_documents, startup_documents
from matchmaking.index import startup_index
from matchmaking.models import MatchRun, MatchScore, Shortlist
from matchmaking.reasons import ReasonText, component_label, pathway_hint_text, reason_texts, tech_field_labels
from matchmaking.rules import recommended_needs_q
from matchmaking.scoring.matcher import Reason, explain
from needs.enums import NeedStatus
from needs.models import Need
from needs.rules import need_visibility_q
from seeds.models import Designation, Startup

GOOD_SCORE = 0.3  # a "good" match on the overview
TOP_OF_NEED = 10  # a startup "matches" a need on the overview when it is in the need's top 10 with a good score
FEW_GOOD_MATCHES = 3  # a need with fewer good matches than this needs attention
RECOMMEND_MIN_SCORE = 0.15  # below this a need is not worth recommending to a startup


@dataclass(frozen=True)
class MatchFilters:
    min_trl: int | None = None
    designation: str = ""
    prefecture: str = ""


@dataclass
class MatchRow:
    """A ranked match as the pages and the API show it."""

    match: MatchScore
    rank: int
    reasons: list[ReasonText] = field(default_factory=list)
    pathway: dict = field(default_factory=dict)

    @property
    def components(self) -> list[dict]:
        return [
            {"name": name, "label": component_label(name), "value": value}
            for name, value in (self.match.components or {}).items()
        ]


# --- Ranked lists ---------------------------------------------------------------------------------------


def _need_rank():
    """1 + the startups ranked above in the same need (higher score, or the same score and a lower id)."""
    above = (
        MatchScore.objects.filter(need_id=OuterRef("need_id"))
        .filter(Q(score__gt=OuterRef("score")) | Q(score=OuterRef("score"), startup_id__lt=OuterRef("startup_id")))
        .order_by()
        .values("need_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(above), Value(0)) + 1


def need_matches(*, need: Need, filters: MatchFilters = MatchFilters()) -> QuerySet[MatchScore]:
    """The need's ranked startups (best first), each with `rank`, its place in the need's whole ranking."""
    matches = MatchScore.objects.filter(need=need).annotate(rank=_need_rank())
    if filters.min_trl is not None:
        matches = matches.filter(startup__trl__gte=filters.min_trl)
    if filters.designation:
        designated = Designation.objects.filter(startup_id=OuterRef("startup_id"), program=filters.designation)
        matches = matches.filter(Exists(designated))
    if filters.prefecture:
        matches = matches.filter(startup__prefecture=filters.prefecture)
    return matches.select_related("startup").prefetch_related("startup__designations").order_by("-score", "startup_id")


def startup_matches(*, user, startup: Startup, with_scores: bool) -> QuerySet[MatchScore]:
    """The needs matched to a startup, best first, among the needs the viewer may see; without scores (the
    startup's own members) only published needs still open for proposals, and only fair matches."""
    if with_scores:
        matches = MatchScore.objects.filter(need__in=Need.objects.filter(need_visibility_q(user)))
    else:
        matches = MatchScore.objects.filter(
            need__in=Need.objects.filter(recommended_needs_q(user)), score__gte=RECOMMEND_MIN_SCORE
        )
    return (
        matches.filter(startup=startup)
        .select_related("need", "need__owner_unit", "startup")
        .order_by("-score", "need_id")
    )


def need_shortlist(*, need: Need) -> QuerySet[Shortlist]:
    return Shortlist.objects.filter(need=need).select_related("startup", "added_by")


# --- Reasons of the rows on a page ----------------------------------------------------------------------


def explain_matches(matches: Sequence[MatchScore]) -> dict[int, list[Reason]]:
    """Each match's reasons (match pk → reasons), computed with the scorer for these rows only: one index, and
    the documents of just their needs and startups read in one batch."""
    if not matches:
        return {}
    index = startup_index()
    needs = need_documents(Need.objects.filter(pk__in={match.need_id for match in matches}))
    startups = startup_documents(Startup.objects.filter(pk__in={match.startup_id for match in matches}))
    need_by_key = {doc.key: doc for doc in needs}
    startup_by_key = {doc.key: doc for doc in startups}
    explained = {}
    for match in matches:
        need_doc = need_by_key.get(str(match.need_id))
        startup_doc = startup_by_key.get(str(match.startup_id))
        if need_doc is not None and startup_doc is not None:
            explained[match.pk] = explain(need_doc, startup_doc, index)
    return explained


def match_rows(matches: Sequence[MatchScore], *, first_rank: int = 1) -> list[MatchRow]:
    """Rows with their reasons and pathway hint in the active language; the rank is the annotated one (a need's
    whole ranking) or else the row's place in the list, counting from `first_rank`."""
    matches = list(matches)
    explained = explain_matches(matches)
    labels = tech_field_labels() if matches else {}
    return [
        MatchRow(
            match=match,
            rank=getattr(match, "rank", None) or first_rank + position,
            reasons=reason_texts(explained.get(match.pk, []), field_labels=labels),
            pathway=pathway_hint_text(match.pathway_hint, match.pathway_reason),
        )
        for position, match in enumerate(matches)
    ]


# --- The curators' overview -----------------------------------------------------------------------------


def overview_needs(*, user) -> QuerySet[Need]:
    """The published needs the viewer may see: those the overview counts."""
    return Need.objects.filter(need_visibility_q(user), status=NeedStatus.PUBLISHED)


def startups_matching_many(
    *, user, threshold: float = GOOD_SCORE, top: int = TOP_OF_NEED, limit: int = 20
) -> list[tuple[Startup, int]]:
    """Startups in the top `top` of many needs with a score ≥ threshold: (startup, number of needs), most first."""
    ranked = (
        MatchScore.objects.filter(score__gte=threshold, need__in=overview_needs(user=user))
        .annotate(
            place=Window(RowNumber(), partition_by=[F("need_id")], order_by=[F("score").desc(), F("startup_id").asc()])
        )
        .filter(place__lte=top)
        .values_list("startup_id", flat=True)
    )
    counts = Counter(ranked).most_common()
    counts.sort(key=lambda item: (-item[1], item[0]))
    best = counts[:limit]
    startups = Startup.objects.in_bulk([pk for pk, _n in best])
    return [(startups[pk], n) for pk, n in best if pk in startups]


def needs_with_few_matches(
    *, user, threshold: float = GOOD_SCORE, fewer_than: int = FEW_GOOD_MATCHES, limit: int = 50
) -> QuerySet[Need]:
    """Published needs with fewer than `fewer_than` startups scoring ≥ threshold (`good` on each), fewest first."""
    return (
        overview_needs(user=user)
        .annotate(good=Count("match_scores", filter=Q(match_scores__score__gte=threshold)))
        .filter(good__lt=fewer_than)
        .select_related("owner_unit")
        .order_by("good", "ref")[:limit]
    )


def latest_match_run() -> MatchRun | None:
    return MatchRun.objects.order_by("-started_at", "-pk").first()


def scores_now() -> dict:
    """The scores kept now, whichever way they were computed (a full recompute, or a need or startup rescored
    when it changed): {"pairs": count, "computed_at": latest or None}."""
    return MatchScore.objects.aggregate(pairs=Count("pk"), computed_at=Max("computed_at"))
