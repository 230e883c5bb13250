"""Writing match scores. Tasks, commands and pages call these; scores are keyed by (need, startup), so every
run overwrites and running twice leaves the same rows."""

from collections import defaultdict

import numpy as np
from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Min
from django.utils import timezone

from matchmaking.documents import need_documents, scored_needs
from matchmaking.index import startup_index
from matchmaking.models import MatchRun, MatchScore, Shortlist
from matchmaking.scoring.matcher import MODEL_VERSION, ScoreBlock, iter_scores, pathway_hint, score
from needs.models import Need
from seeds.models import Startup

COMPONENT_DIGITS = 4


def top_k_setting() -> int:
    return int(getattr(settings, "MATCH_TOP_K", 50))


def _rows(block: ScoreBlock, pairs: set[tuple[int, int]], docs) -> list[MatchScore]:
    """MatchScore rows for (need row, startup row) positions of the block."""
    need_docs, startup_docs = docs
    now = timezone.now()
    rows = []
    for i, j in pairs:
        need, startup = need_docs[block.need_keys[i]], startup_docs[block.startup_keys[j]]
        route, why = pathway_hint(need, startup)
        rows.append(
            MatchScore(
                need_id=int(need.key),
                startup_id=int(startup.key),
                score=round(float(block.score[i, j]), 6),
                components={k: round(float(v[i, j]), COMPONENT_DIGITS) for k, v in block.components.items()},
                pathway_hint=route,
                pathway_reason=why,
                model_version=MODEL_VERSION,
                computed_at=now,
            )
        )
    return rows


def _upsert(rows: list[MatchScore]) -> None:
    MatchScore.objects.bulk_create(
        rows,
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["need", "startup"],
        update_fields=["score", "components", "pathway_hint", "pathway_reason", "model_version", "computed_at"],
    )


def _best_columns(row: np.ndarray, k: int) -> np.ndarray:
    if row.size <= k:
        return np.arange(row.size)
    return np.argpartition(-row, k - 1)[:k]


def matches_score_needs(*, need_ids: list[int], run: MatchRun | None = None) -> int:
    """Score these needs against every startup; keep each need's top K, and the pairs that enter a startup's
    own top K (judged against the scores stored for it). Returns the pairs written."""
    k = top_k_setting()
    index = startup_index()
    docs = need_documents(scored_needs().filter(pk__in=need_ids))
    if not docs or not len(index):
        MatchScore.objects.filter(need_id__in=need_ids).delete()
        return 0
    need_by_key = {doc.key: doc for doc in docs}
    startup_by_key = _startup_docs_by_key(index)
    floor = _startup_floors(k) if run is None else {}
    written = 0
    for block in iter_scores(docs, index):
        pairs = {(i, int(j)) for i in range(len(block.need_keys)) for j in _best_columns(block.score[i], k)}
        # A startup's own top K: in a full run, the chunk's best needs per startup (finalised at the end);
        # otherwise any score above the lowest one the startup keeps, or all while it keeps fewer than K.
        scores_t = block.score.T
        for j, key in enumerate(block.startup_keys):
            if run is not None:
                pairs.update((int(i), j) for i in _best_columns(scores_t[j], k))
            else:
                threshold = floor.get(int(key), -1.0)
                pairs.update((int(i), j) for i in np.nonzero(scores_t[j] > threshold)[0])
        with transaction.atomic():
            if run is None:
                kept = {(int(block.need_keys[i]), int(block.startup_keys[j])) for i, j in pairs}
                stale = MatchScore.objects.filter(need_id__in=[int(key) for key in block.need_keys])
                stale_ids = [pk for pk, n, s in stale.values_list("pk", "need_id", "startup_id") if (n, s) not in kept]
                MatchScore.objects.filter(pk__in=stale_ids).delete()
            _upsert(_rows(block, pairs, (need_by_key, startup_by_key)))
        written += len(pairs)
    return written


def _startup_docs_by_key(index) -> dict:
    """Startup documents for pathway hints: the index keeps what they read (TRL, fields, designations)."""
    return {key: index.meta(key) for key in index.keys}


def _startup_floors(k: int) -> dict[int, float]:
    """For startups that already keep K scores or more, the lowest of them; a need must beat it to enter."""
    rows = MatchScore.objects.values("startup_id").annotate(n=Count("pk"), low=Min("score")).filter(n__gte=k)
    return {row["startup_id"]: row["low"] for row in rows}


def matches_score_startup(*, startup_id: int) -> int:
    """Re-score one startup against every need (its column of the matrix): keep its own top K, and each need
    whose top K it now enters (judged against the lowest score that need keeps)."""
    k = top_k_setting()
    index = startup_index()
    key = str(startup_id)
    MatchScore.objects.filter(startup_id=startup_id).delete()
    if key not in index:
        return 0
    docs = need_documents(scored_needs())
    if not docs:
        return 0
    block = score(docs, index, startups=[key])
    column = block.score[:, 0]
    best = {int(i) for i in _best_columns(column, k)}
    floors = _need_floors(k)
    best.update(i for i, need_key in enumerate(block.need_keys) if column[i] > floors.get(int(need_key), -1.0))
    need_by_key = {doc.key: doc for doc in docs}
    rows = _rows(block, {(i, 0) for i in best}, (need_by_key, {key: index.meta(key)}))
    _upsert(rows)
    return len(rows)


def _need_floors(k: int) -> dict[int, float]:
    rows = MatchScore.objects.values("need_id").annotate(n=Count("pk"), low=Min("score")).filter(n__gte=k)
    return {row["need_id"]: row["low"] for row in rows}


# --- Full recompute ---------------------------------------------------------------------------------------


def matches_recompute_start(*, chunk_size: int = 200) -> MatchRun:
    """Start a full recompute: rebuild the index, split the needs into chunks and enqueue one task per chunk
    (after commit), so that more workers finish sooner. Progress: the run's done/total chunks."""
    startup_index(rebuild=True)
    need_ids = list(scored_needs().order_by("pk").values_list("pk", flat=True))
    chunks = [need_ids[start : start + chunk_size] for start in range(0, len(need_ids), chunk_size)]
    run = MatchRun.objects.create(model_version=MODEL_VERSION, total_chunks=len(chunks))
    if not chunks:
        matches_recompute_finish(run=run)
        return run
    from matchmaking.tasks import score_chunk

    transaction.on_commit(lambda: [score_chunk.delay(run_id=run.pk, need_ids=chunk) for chunk in chunks])
    return run


def matches_recompute_chunk(*, run: MatchRun, need_ids: list[int]) -> None:
    pairs = matches_score_needs(need_ids=need_ids, run=run)
    MatchRun.objects.filter(pk=run.pk).update(done_chunks=F("done_chunks") + 1, pairs_scored=F("pairs_scored") + pairs)
    run.refresh_from_db()
    if run.done_chunks >= run.total_chunks and run.status == MatchRun.Status.RUNNING:
        matches_recompute_finish(run=run)


def matches_recompute_finish(*, run: MatchRun) -> None:
    """Keep each need's and each startup's top K; drop pairs of earlier runs and other model versions."""
    k = top_k_setting()
    with transaction.atomic():
        claimed = MatchRun.objects.filter(pk=run.pk, status=MatchRun.Status.RUNNING).update(
            status=MatchRun.Status.DONE, finished_at=timezone.now()
        )
        if not claimed:
            return  # another worker finished it
        MatchScore.objects.exclude(model_version=MODEL_VERSION).delete()
        MatchScore.objects.filter(computed_at__lt=run.started_at).delete()
        keep: set[int] = set()
        for owner in ("need_id", "startup_id"):
            ranked = defaultdict(list)
            for pk, owner_id, score in MatchScore.objects.values_list("pk", owner, "score").iterator(chunk_size=20000):
                ranked[owner_id].append((score, pk))
            for entries in ranked.values():
                entries.sort(key=lambda item: (-item[0], item[1]))
                keep.update(pk for _score, pk in entries[:k])
        all_ids = MatchScore.objects.values_list("pk", flat=True)
        drop = [pk for pk in all_ids.iterator(chunk_size=20000) if pk not in keep]
        for start in range(0, len(drop), 5000):
            MatchScore.objects.filter(pk__in=drop[start : start + 5000]).delete()


# --- Shortlist ------------------------------------------------------------------------------------------


def shortlist_add(*, need: Need, startup: Startup, actor, note: str = "") -> Shortlist:
    entry, _created = Shortlist.objects.get_or_create(
        need=need, startup=startup, defaults={"added_by": actor, "note": note.strip()}
    )
    return entry


def shortlist_remove(*, need: Need, startup: Startup, actor) -> None:
    Shortlist.objects.filter(need=need, startup=startup).delete()


def matches_recompute_sync(*, chunk_size: int = 200) -> MatchRun:
    """The full recompute in this process, chunk after chunk (the `--sync` command, benchmarks)."""
    startup_index(rebuild=True)
    need_ids = list(scored_needs().order_by("pk").values_list("pk", flat=True))
    chunks = [need_ids[start : start + chunk_size] for start in range(0, len(need_ids), chunk_size)]
    run = MatchRun.objects.create(model_version=MODEL_VERSION, total_chunks=len(chunks))
    for chunk in chunks:
        matches_recompute_chunk(run=run, need_ids=chunk)
    if not chunks:
        matches_recompute_finish(run=run)
    return run
