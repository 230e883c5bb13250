"""The LP relaxation of phase 1, solved with HiGHS (scipy.optimize.linprog): an upper bound on the
priority-weighted meetings that CP-SAT gets as a constraint."""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence

import numpy as np
import scipy.sparse as sp
from scipy.optimize import linprog


def lp_bound(x: Mapping[Hashable, object], groups: Sequence[tuple[Sequence[object], int]], gain: Mapping) -> int:
    """⌊max Σ gain·x⌋ over 0 ≤ x ≤ 1 with Σ_{x ∈ group} x ≤ capacity for each group; `x` maps keys to the
    CP-SAT variables the groups hold. Any subset of the model's constraints gives a valid bound."""
    if not x:
        return 0
    column = {id(var): j for j, var in enumerate(x.values())}
    rows, cols = [], []
    for i, (group, _) in enumerate(groups):
        for var in group:
            rows.append(i)
            cols.append(column[id(var)])
    matrix = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(groups), len(x)))
    cost = -np.array([gain[key] for key in x], dtype=float)
    result = linprog(cost, A_ub=matrix, b_ub=[cap for _, cap in groups], bounds=(0, 1), method="highs")
    if result.status != 0:  # not solved (should not happen: the LP is bounded and 0 is feasible)
        return int(-cost.sum())
    return math.floor(-result.fun + 1e-6)
