"""Writing match scores. Tasks, commands and pages call these; scores are keyed by (need, startup), so every
run overwrites and running twice leaves the same rows."""

import threading
import time
import weakref
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max, Min
from django.utils import timezone

from config import page_cache
from matchmaking.documents import need_documents, scored_needs
from matchmaking.feedback import unit_weighted
from matchmaking.index import startup_index
from matchmaking.models import MatchRun, MatchScore, Shortlist, WeightProfile
from matchmaking.scoring.matcher import MODEL_VERSION, MatcherIndex, NeedBatch, iter_scores, prepare_needs, score
from matchmaking.top_k import one_pass_rows
from matchmaking.writing import pair_rows, replace_all_rows, upsert_rows
from needs.models import Need
from seeds.models import Startup


def top_k_setting() -> int:
    return int(getattr(settings, "MATCH_TOP_K", 50))


def _best_columns(row: np.ndarray, k: int) -> np.ndarray:
    if row.size <= k:
        return np.arange(row.size)
    return np.argpartition(-row, k - 1)[:k]


def _best_rows(scores: np.ndarray, k: int):
    """(row, column) of each column's k best rows: _best_columns() for every column at once."""
    n_rows, n_cols = scores.shape
    if n_rows <= k:
        best = np.repeat(np.arange(n_rows)[:, None], n_cols, axis=1)
    else:
        best = np.argpartition(-scores, k - 1, axis=0)[:k]
    return zip(best.ravel().tolist(), np.broadcast_to(np.arange(n_cols), best.shape).ravel().tolist(), strict=True)


def matches_score_needs(*, need_ids: list[int], run: MatchRun | None = None) -> int:
    """Score these needs against every startup; keep each need's top K and, outside a full run, the pairs that
    enter a startup's own top K (judged against the scores stored for it). A full run finds the startups' top
    Ks in chunks of its own (matches_score_startup_tops). Returns the pairs written."""
    k = top_k_setting()
    index = startup_index()
    docs = unit_weighted(need_documents(scored_needs().filter(pk__in=need_ids)))
    if not docs or not len(index):
        MatchScore.objects.filter(need_id__in=need_ids).delete()
        page_cache.bump("matches")
        return 0
    need_by_key = {doc.key: doc for doc in docs}
    startup_by_key = _startup_docs_by_key(index)
    floor = _startup_floors(k) if run is None else {}
    written = 0
    for block in iter_scores(docs, index):
        pairs = {(i, int(j)) for i in range(len(block.need_keys)) for j in _best_columns(block.score[i], k)}
        # A startup's own top K, outside a full run: any score above the lowest one the startup keeps, or all
        # while it keeps fewer than K.
        if run is None:
            # Compared in the scores' own dtype, as a Python float threshold per column would be.
            thresholds = np.array([floor.get(int(key), -1.0) for key in block.startup_keys], dtype=block.score.dtype)
            rows_i, cols_j = np.nonzero(block.score > thresholds)
            pairs.update(zip(rows_i.tolist(), cols_j.tolist(), strict=True))
        with transaction.atomic():
            if run is None:
                kept = {(int(block.need_keys[i]), int(block.startup_keys[j])) for i, j in pairs}
                stale = MatchScore.objects.filter(need_id__in=[int(key) for key in block.need_keys])
                stale_ids = [pk for pk, n, s in stale.values_list("pk", "need_id", "startup_id") if (n, s) not in kept]
                MatchScore.objects.filter(pk__in=stale_ids).delete()
                page_cache.bump("matches")
            upsert_rows(pair_rows(block, pairs, (need_by_key, startup_by_key)))
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
    batch = _open_needs(index) if key in index else None
    if batch is None or not len(batch):
        MatchScore.objects.filter(startup_id=startup_id).delete()
        page_cache.bump("matches")
        return 0
    block = score(batch, index, startups=[key])
    column = block.score[:, 0]
    best = {int(i) for i in _best_columns(column, k)}
    floors = _need_floors(k)
    best.update(i for i, need_key in enumerate(block.need_keys) if column[i] > floors.get(int(need_key), -1.0))
    need_by_key = {doc.key: doc for doc in batch.needs}
    rows = pair_rows(block, {(i, 0) for i in best}, (need_by_key, {key: index.meta(key)}))
    # Replaced in one transaction: a worker killed half way leaves the old column, not half of the new one.
    with transaction.atomic():
        MatchScore.objects.filter(startup_id=startup_id).delete()
        page_cache.bump("matches")
        upsert_rows(rows)
    return len(rows)


@dataclass
class _HeldNeeds:
    stamp: tuple
    index: weakref.ref  # the index the batch's query matrices were built against
    entries: dict  # need pk → (updated_at, NeedDoc, NeedFeatures)
    batch: NeedBatch


_local = threading.local()


def _open_needs(index: MatcherIndex) -> NeedBatch:
    """The scored needs, featurised (prepare_needs), kept by the process while they stay the same, so that a
    startup's column is scored without reading and featurising every need again. When the needs' stamp
    changes, only the needs added or saved since (by updated_at) are read again; the batch's query matrices
    are rebuilt when the index is another object."""
    state = scored_needs().aggregate(count=Count("pk"), latest=Max("updated_at"))
    tuned = WeightProfile.objects.aggregate(latest=Max("tuned_at"), count=Count("pk"))  # a unit's weights changed
    stamp = (state["count"], state["latest"], index.params, index.dictionary_path, tuned["latest"], tuned["count"])
    held = getattr(_local, "needs", None)
    if held is not None and held.stamp == stamp and held.index() is index:
        return held.batch
    entries = {}
    if held is not None and held.stamp[2:] == stamp[2:]:
        entries = held.entries
        if held.stamp != stamp:
            seen = dict(scored_needs().values_list("pk", "updated_at"))
            entries = {pk: entry for pk, entry in entries.items() if seen.get(pk) == entry[0]}
            missing = [pk for pk in seen if pk not in entries]
            docs = unit_weighted(need_documents(scored_needs().filter(pk__in=missing))) if missing else []
            entries.update(_prepared_entries(docs, index, seen))
    else:
        seen = dict(scored_needs().values_list("pk", "updated_at"))
        entries = _prepared_entries(unit_weighted(need_documents(scored_needs())), index, seen)
    order = sorted(entries)
    batch = NeedBatch([entries[pk][1] for pk in order], index.params, [entries[pk][2] for pk in order])
    _local.needs = _HeldNeeds(stamp, weakref.ref(index), entries, batch)
    return batch


def _prepared_entries(docs, index: MatcherIndex, seen: dict) -> dict:
    prepared = prepare_needs(docs, index)
    return {
        int(doc.key): (seen.get(int(doc.key)), doc, features)
        for doc, features in zip(prepared.needs, prepared.features, strict=True)
    }


def _need_floors(k: int) -> dict[int, float]:
    rows = MatchScore.objects.values("need_id").annotate(n=Count("pk"), low=Min("score")).filter(n__gte=k)
    return {row["need_id"]: row["low"] for row in rows}


# --- Full recompute ---------------------------------------------------------------------------------------


def matches_recompute_start(*, chunk_size: int = 200) -> MatchRun:
    """Start a full recompute: rebuild the index, split the work into chunks and enqueue one task per chunk
    (after commit), so that more workers finish sooner. Progress: the run's done/total chunks."""
    run, chunks = _new_run(chunk_size)
    if not chunks:
        matches_recompute_finish(run=run)
    return run


def matches_recompute_sync() -> MatchRun:
    """The full recompute in this process (the `--sync` command, benchmarks): one scoring pass over the needs
    that keeps each need's top K and, as it goes, each startup's running top K; then every score is replaced in
    one transaction. The same rows as the chunked run, with the matrix scored once instead of twice."""
    index = startup_index(rebuild=True)
    run = MatchRun.objects.create(model_version=MODEL_VERSION, total_chunks=1)
    batch = _open_needs(index)
    rows = one_pass_rows(batch, index, top_k_setting()) if len(batch) and len(index) else []
    with transaction.atomic():
        replace_all_rows(rows)
        MatchRun.objects.filter(pk=run.pk).update(done_chunks=1, pairs_scored=len(rows))
    matches_recompute_finish(run=run)
    run.refresh_from_db()
    return run


def _new_run(chunk_size: int) -> tuple[MatchRun, list[dict]]:
    """Two kinds of chunk: needs (each need's top K over every startup) and startups (each startup's top K
    over every need). Their union is exactly what a run keeps, so no chunk writes pairs that are dropped later."""
    from accounts import outbox

    index = startup_index(rebuild=True)
    need_ids = list(scored_needs().order_by("pk").values_list("pk", flat=True))
    chunks = [{"need_ids": need_ids[start : start + chunk_size]} for start in range(0, len(need_ids), chunk_size)]
    if need_ids:
        startup_ids = sorted(int(key) for key in index.keys)
        size = chunk_size * 5  # a startup chunk scores every need: as much work as a need chunk of chunk_size
        chunks += [{"startup_ids": startup_ids[start : start + size]} for start in range(0, len(startup_ids), size)]
    with transaction.atomic():  # the run and its chunks' tasks (in the outbox) together, or neither
        run = MatchRun.objects.create(model_version=MODEL_VERSION, total_chunks=len(chunks))
        for chunk in chunks:
            outbox.enqueue("matchmaking.score_chunk", {"run_id": run.pk, **chunk})
    return run, chunks


def matches_recompute_chunk(*, run: MatchRun, need_ids: list[int] = (), startup_ids: list[int] = ()) -> None:
    """Score one chunk of a full run and count it, once: scores are upserts, and a chunk delivered again
    (its worker was killed before acknowledging it) is scored again but not counted twice."""
    pairs = 0
    if need_ids:
        pairs += matches_score_needs(need_ids=list(need_ids), run=run)
    if startup_ids:
        pairs += matches_score_startup_tops(startup_ids=list(startup_ids))
    if settings.MATCH_CHUNK_PAUSE:
        time.sleep(settings.MATCH_CHUNK_PAUSE)  # tests only: a window to kill the worker mid-task
    key = f"n{need_ids[0]}" if need_ids else f"s{startup_ids[0]}" if startup_ids else ""
    with transaction.atomic():
        run = MatchRun.objects.select_for_update().get(pk=run.pk)
        if key in run.done_keys:
            return
        run.done_keys.append(key)
        run.done_chunks += 1
        run.pairs_scored += pairs
        run.save(update_fields=["done_keys", "done_chunks", "pairs_scored"])
    if run.done_chunks >= run.total_chunks and run.status == MatchRun.Status.RUNNING:
        matches_recompute_finish(run=run)


def matches_score_startup_tops(*, startup_ids: list[int]) -> int:
    """Every scored need against these startups; write each startup's top K. Returns the pairs written."""
    index = startup_index()
    keys = [str(pk) for pk in startup_ids if str(pk) in index]
    batch = _open_needs(index) if keys else None
    if batch is None or not len(batch):
        return 0
    block = score(batch, index, startups=keys)
    need_by_key = {doc.key: doc for doc in batch.needs}
    rows = pair_rows(block, set(_best_rows(block.score, top_k_setting())), (need_by_key, _startup_docs_by_key(index)))
    with transaction.atomic():
        upsert_rows(rows)
    return len(rows)


def matches_recompute_finish(*, run: MatchRun) -> None:
    """Drop pairs that this run did not write (earlier runs, other model versions): what stays is each need's
    and each startup's top K, and whatever single-need or single-startup updates wrote since the run began."""
    with transaction.atomic():
        claimed = MatchRun.objects.filter(pk=run.pk, status=MatchRun.Status.RUNNING).update(
            status=MatchRun.Status.DONE, finished_at=timezone.now()
        )
        if not claimed:
            return  # another worker finished it
        page_cache.bump("matches")
        MatchScore.objects.exclude(model_version=MODEL_VERSION).delete()
        MatchScore.objects.filter(computed_at__lt=run.started_at).delete()
        # No database constraint keeps a score's need and startup (models.MatchScore): drop rows whose record
        # went while the run was writing.
        MatchScore.objects.exclude(need_id__in=Need.objects.values("pk")).delete()
        MatchScore.objects.exclude(startup_id__in=Startup.objects.values("pk")).delete()


# --- Shortlist ------------------------------------------------------------------------------------------


def shortlist_add(*, need: Need, startup: Startup, actor, note: str = "") -> tuple[Shortlist, bool]:
    """The need's shortlist entry for `startup`, and whether this call added it (False: it was there already)."""
    return Shortlist.objects.get_or_create(
        need=need, startup=startup, defaults={"added_by": actor, "note": note.strip()}
    )


def shortlist_remove(*, need: Need, startup: Startup, actor) -> None:
    Shortlist.objects.filter(need=need, startup=startup).delete()
