"""Each need's and each startup's top K in one pass over the score matrix, for a full recompute in one process.

Needs are scored a block at a time (iter_scores); a need's top K is final within its block, a startup's is
carried from block to block as K running best entries per column (score, components, need row)."""

import numpy as np

from matchmaking.scoring.matcher import MatcherIndex, NeedBatch, iter_scores
from matchmaking.writing import value_rows


def one_pass_rows(batch: NeedBatch, index: MatcherIndex, k: int) -> list[tuple]:
    startup_keys = np.array(index.keys, dtype=object)
    n_startups = len(startup_keys)
    names: list[str] = []
    best: dict[str, np.ndarray] | None = None  # "score", "need" (row in batch) and each component: (≤ K, startups)
    parts: dict[str, list[np.ndarray]] = {"need": [], "startup": [], "score": []}
    offset = 0
    for block in iter_scores(batch, index):
        names = list(block.components)
        rows = np.arange(len(block.need_keys))
        # The need's own top K (a whole row of the matrix is in this block).
        if n_startups > k:
            cols = np.argpartition(-block.score, k - 1, axis=1)[:, :k]
        else:
            cols = np.broadcast_to(np.arange(n_startups), (len(rows), n_startups))
        pick_rows = np.repeat(rows, cols.shape[1])
        pick_cols = cols.ravel()
        parts["need"].append(pick_rows + offset)
        parts["startup"].append(pick_cols)
        parts["score"].append(block.score[pick_rows, pick_cols])
        for name in names:
            parts.setdefault(name, []).append(block.components[name][pick_rows, pick_cols])
        # Each startup's running top K: the K best of (carried K ∪ this block's rows), per column.
        incoming = {"score": block.score, "need": np.repeat((rows + offset)[:, None], n_startups, axis=1)}
        incoming.update(block.components)
        merged = incoming if best is None else {key: np.vstack([best[key], incoming[key]]) for key in incoming}
        if len(merged["score"]) > k:
            keep = np.argpartition(-merged["score"], k - 1, axis=0)[:k]
            merged = {key: np.take_along_axis(values, keep, axis=0) for key, values in merged.items()}
        best = merged
        offset += len(rows)
    if best is None:
        return []
    columns = np.broadcast_to(np.arange(n_startups), best["score"].shape).ravel()
    need_rows = np.concatenate([*parts["need"], best["need"].ravel()])
    startup_cols = np.concatenate([*parts["startup"], columns])
    # A pair in both a need's and a startup's top K appears twice: keep one.
    _unique, first = np.unique(need_rows.astype(np.int64) * n_startups + startup_cols, return_index=True)
    need_keys = np.array([doc.key for doc in batch.needs], dtype=object)[need_rows[first]]
    values = {key: np.concatenate([*parts[key], best[key].ravel()])[first] for key in ("score", *names)}
    docs = ({doc.key: doc for doc in batch.needs}, {key: index.meta(key) for key in index.keys})
    components = {name: values[name] for name in names}
    return value_rows(need_keys, startup_keys[startup_cols[first]], values["score"], components, docs)
