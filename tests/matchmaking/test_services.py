"""Scores stored per pair: written on change, idempotent, pruned to the top K, refreshed incrementally."""

import pytest

from accounts.services import organisation_for_unit
from matchmaking import services
from matchmaking.index import startup_index
from matchmaking.models import MatchRun, MatchScore
from needs.enums import NeedStatus, Pathway
from needs.models import Need
from seeds.models import Startup, TechField
from tests.factories import make_corporate_number

NEED_TEXT = {
    "title": "基地周辺の小型無人機の早期探知",
    "description": "駐屯地の周辺で小型の無人航空機が許可なく飛行する事案が増えている。夜間も接近を早く知りたい。",
    "desired_capabilities": "数キロメートル先の小型無人機を探知・識別し、位置を追跡できること。",
}
STARTUPS = [
    ("UAV detection radar", "Compact radar that detects and tracks small UAVs and drones at night.", ["unmanned"], 7),
    ("農業用ドローン散布", "農薬散布用のドローンを販売しています。", ["unmanned"], 8),
    ("量子鍵配送", "量子鍵配送（QKD）の装置を開発しています。", ["quantum"], 4),
]


@pytest.fixture
def registry(db):
    startups = []
    for n, (name, description, fields, trl) in enumerate(STARTUPS, 1):
        startup = Startup.objects.create(
            corporate_number=make_corporate_number(900 + n), name=name, description=description, trl=trl
        )
        startup.tech_fields.set(TechField.objects.filter(code__in=fields))
        startups.append(startup)
    need = Need.objects.create(
        ref="M-0001",
        owner_unit=organisation_for_unit("asdf"),
        pathway=Pathway.EARLY_EQUIPMENT,
        status=NeedStatus.PUBLISHED,
        min_trl=6,
        **NEED_TEXT,
    )
    need.tech_fields.set(TechField.objects.filter(code__in=["unmanned", "sensing"]))
    return need, startups


def ranking(need) -> list[str]:
    return list(MatchScore.objects.filter(need=need).order_by("-score").values_list("startup__name", flat=True))


def test_scoring_a_need_ranks_the_english_radar_first_and_stores_components(registry):
    need, _startups = registry
    services.matches_score_needs(need_ids=[need.pk])
    assert ranking(need)[0] == "UAV detection radar"
    best = MatchScore.objects.filter(need=need).order_by("-score").first()
    assert 0 <= best.score <= 1
    assert set(best.components) >= {"text", "concepts", "fields", "maturity"}
    assert best.pathway_hint == "early_equipment"


def recompute(capture):
    with capture(execute=True):
        return services.matches_recompute_start()


def test_running_the_full_recompute_twice_leaves_identical_scores(registry, django_capture_on_commit_callbacks):
    first = recompute(django_capture_on_commit_callbacks)
    snapshot = sorted(MatchScore.objects.values_list("need_id", "startup_id", "score", "components"))
    recompute(django_capture_on_commit_callbacks)
    again = sorted(MatchScore.objects.values_list("need_id", "startup_id", "score", "components"))
    assert snapshot and snapshot == again
    first.refresh_from_db()
    # One chunk of needs (each need's top K) and one of startups (each startup's top K) at this size.
    assert (first.status, first.done_chunks, first.total_chunks) == (MatchRun.Status.DONE, 2, 2)


def test_a_chunked_full_run_keeps_exactly_each_needs_and_each_startups_top_k(
    registry, settings, django_capture_on_commit_callbacks
):
    _need, _startups = registry
    texts = [
        ("早期警戒レーダーの小型化", "レーダーで無人機を探知したい。"),
        ("量子暗号通信", "量子鍵配送の試験を行いたい。"),
    ]
    for n, (title, description) in enumerate(texts, 2):
        Need.objects.create(
            ref=f"M-000{n}",
            owner_unit=organisation_for_unit("gsdf"),
            status=NeedStatus.PUBLISHED,
            title=title,
            description=description,
        )
    services.matches_recompute_sync()  # K = 50: every one of the 3 × 3 pairs is kept
    every = {(n, s): score for n, s, score in MatchScore.objects.values_list("need_id", "startup_id", "score")}
    assert len(every) == 9

    settings.MATCH_TOP_K = 2
    with django_capture_on_commit_callbacks(execute=True):
        run = services.matches_recompute_start(chunk_size=1)  # 3 need chunks, 1 startup chunk of 5
    run.refresh_from_db()
    assert (run.status, run.total_chunks, run.done_chunks) == (MatchRun.Status.DONE, 4, 4)
    kept = set(MatchScore.objects.values_list("need_id", "startup_id"))

    def best_two(pairs, side):
        groups = {}
        for pair in pairs:
            groups.setdefault(pair[side], []).append(every[pair])
        return {owner: sorted(values, reverse=True)[:2] for owner, values in groups.items()}

    for side in (0, 1):  # each need's and each startup's two best scores are among the kept rows
        assert best_two(kept, side) == best_two(every, side)
    floors = [{owner: values[-1] for owner, values in best_two(every, side).items()} for side in (0, 1)]
    assert all(every[pair] >= floors[0][pair[0]] or every[pair] >= floors[1][pair[1]] for pair in kept)

    # The one-process pass (`score_matches --sync`) keeps the same rows with the same values.
    chunked = sorted(MatchScore.objects.values_list("need_id", "startup_id", "score", "components", "pathway_hint"))
    run = services.matches_recompute_sync()
    assert sorted(MatchScore.objects.values_list("need_id", "startup_id", "score", "components", "pathway_hint")) == (
        chunked
    )
    assert run.status == MatchRun.Status.DONE


def test_a_startup_edit_is_picked_up_by_the_index_and_its_column_rescored(registry):
    need, startups = registry
    services.matches_score_needs(need_ids=[need.pk])
    quantum = startups[2]
    low = MatchScore.objects.get(need=need, startup=quantum).score
    quantum.description = "小型無人機（ドローン）を夜間に探知するレーダーを開発しています。"
    quantum.save()
    assert str(quantum.pk) in startup_index().keys  # the index catches up with the edit on next use
    services.matches_score_startup(startup_id=quantum.pk)
    assert MatchScore.objects.get(need=need, startup=quantum).score > low


def test_top_k_keeps_only_the_best_pairs_per_need(registry, settings, django_capture_on_commit_callbacks):
    settings.MATCH_TOP_K = 1
    need, _startups = registry
    recompute(django_capture_on_commit_callbacks)
    # K = 1 per need and per startup: the need's best, plus each startup's own best need (the only need).
    assert MatchScore.objects.filter(need=need).count() == 3
    assert ranking(need)[0] == "UAV detection radar"


def test_a_withdrawn_need_loses_its_scores(registry):
    need, _startups = registry
    services.matches_score_needs(need_ids=[need.pk])
    Need.objects.filter(pk=need.pk).update(status=NeedStatus.WITHDRAWN)
    services.matches_score_needs(need_ids=[need.pk])
    assert not MatchScore.objects.filter(need=need).exists()


def test_deleting_a_need_or_a_startup_deletes_its_scores_and_a_run_drops_orphans(registry):
    need, startups = registry
    services.matches_score_needs(need_ids=[need.pk])
    assert MatchScore.objects.filter(startup=startups[0]).exists()
    startups[0].delete()  # scores carry no database constraint: Django's CASCADE still removes them
    assert not MatchScore.objects.filter(startup_id=startups[0].pk).exists()
    kept = MatchScore.objects.filter(need=need).first()
    MatchScore.objects.filter(pk=kept.pk).update(need_id=need.pk + 10_000)  # a row whose need went mid-run
    services.matches_recompute_sync()
    assert not MatchScore.objects.exclude(need_id__in=Need.objects.values("pk")).exists()
    assert MatchScore.objects.filter(need=need).exists()
