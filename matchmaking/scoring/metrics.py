"""Ranking metrics of the match-dev format (shared/data/match-dev/README.md): nDCG@k with linear gains
(gain = grade, ideal from the judged grades), reciprocal rank of the first grade-3 startup, and the share of
grade-0 distractors in the top k. Unjudged startups have gain 0."""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator, Mapping, Sequence


def ndcg(ranked: Sequence[str], judged: Mapping[str, int], k: int = 10) -> float:
    dcg = sum(judged.get(key, 0) / math.log2(i + 2) for i, key in enumerate(ranked[:k]))
    ideal = sorted(judged.values(), reverse=True)[:k]
    idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def reciprocal_rank(ranked: Sequence[str], judged: Mapping[str, int], grade: int = 3) -> float:
    for i, key in enumerate(ranked):
        if judged.get(key) == grade:
            return 1.0 / (i + 1)
    return 0.0


def distractors(ranked: Sequence[str], judged: Mapping[str, int], k: int = 10) -> float:
    return sum(judged.get(key) == 0 for key in ranked[:k]) / k


def evaluate(
    runs: Mapping[str, Sequence[str]], qrels: Mapping[str, Mapping[str, int]], k: int = 10
) -> dict[str, dict[str, float]]:
    """Per need: {"ndcg": …, "rr": …, "distractors": …}; needs of the qrels absent from the run score 0."""
    return {
        ref: {
            "ndcg": ndcg(runs.get(ref, []), judged, k),
            "rr": reciprocal_rank(runs.get(ref, []), judged),
            "distractors": distractors(runs.get(ref, []), judged, k),
        }
        for ref, judged in qrels.items()
    }


def mean(per_need: Mapping[str, Mapping[str, float]], refs=None) -> dict[str, float]:
    refs = list(per_need) if refs is None else list(refs)
    if not refs:
        return {"ndcg": 0.0, "rr": 0.0, "distractors": 0.0}
    return {m: sum(per_need[r][m] for r in refs) / len(refs) for m in ("ndcg", "rr", "distractors")}


def weight_grid(n: int, step: float = 0.1) -> Iterator[tuple[float, ...]]:
    """Every n-tuple of non-negative multiples of `step` that sums to 1 (component weights to search)."""
    steps = round(1 / step)
    for cuts in itertools.combinations_with_replacement(range(steps + 1), n - 1):
        parts = [b - a for a, b in itertools.pairwise((0, *cuts, steps))]
        yield tuple(round(part * step, 3) for part in parts)
