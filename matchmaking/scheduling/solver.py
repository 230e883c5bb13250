"""Scheduling with OR-Tools CP-SAT, in two lexicographic phases on one model.

Variables: x[r, s] = request r meets in slot s, for the slots where both sides (and an eligible room) are free
once the locked appointments are in place. Rooms: the shared rooms (Room.units is None) are interchangeable,
so a slot only needs "placed in a shared room ≤ shared rooms free"; a unit's own tables (Room.units set) get a
variable per (request, slot, table) when a request has more than one room option in that slot. Shared rooms
are given names after solving (a unit keeps the room it had in its previous slot when it can).

1. maximise Σ priority · x (locked appointments add their weight as a constant). The bound is the better of
   CP-SAT's and the LP relaxation's (HiGHS, lp.py); a solution that reaches it is optimal. The greedy's
   placement is the solution hint, so the first solution is at least as good as the greedy's; if the solver
   still returns less (no time), the greedy's answer is returned.
2. fix phase 1's value as a constraint (Σ priority · x ≥ it) and minimise the startups' idle slots, first by
   re-timing phase 1's meetings (a small model), then on the full model (see minimise_idle): per startup
   and day, over its available slots in order, started[t] ≥ busy[t], started[t] ≥ started[t−1] (a meeting at or
   before t), after[t] likewise from the end, and idle[t] ≥ started[t] + after[t] − 1 − busy[t]. Minimisation
   pushes started/after down to their true values. Phase 1's schedule (with its aux values) is the hint.

Each phase reports OPTIMAL (proven) or FEASIBLE with CP-SAT's best bound.
"""

from __future__ import annotations

import time
from collections import defaultdict

from ortools.sat.python import cp_model

from matchmaking.scheduling.greedy import place_greedily
from matchmaking.scheduling.lp import lp_bound
from matchmaking.scheduling.problem import (
    FEASIBLE,
    OPTIMAL,
    SKIPPED,
    Id,
    Phase,
    Prepared,
    Problem,
    Solution,
    _days,
    finish,
    idle_slots,
    prepare,
    weight,
)

SHARED = -1  # room option "any free shared room"


def solve(
    problem: Problem,
    *,
    time_limit_s: float = 60.0,
    gap_weight: int = 1,
    phase1_share: float = 0.5,
    workers: int = 0,
    seed: int = 0,
) -> Solution:
    """Place the requests; see the module docstring. `time_limit_s` bounds both phases together; phase 1 may use
    up to `phase1_share` of it and phase 2 the rest. `gap_weight`: weight of one idle slot in phase 2's
    objective, 0 skips phase 2 (with a single secondary aim only its sign matters). `workers`: CP-SAT search
    workers (0: its default for the machine's cores). Raises LockConflictError if the locked appointments
    double-book someone or something."""
    started = time.perf_counter()
    prep = prepare(problem)
    greedy = place_greedily(prep)
    model = _Model(prep)
    locked_weight = weight(prep, (r.id for r, _, _ in prep.locked))

    placed, meetings = model.maximise_meetings(greedy, time_limit_s * phase1_share, workers, seed)
    meetings.objective = (meetings.objective or 0) + locked_weight
    if meetings.bound is not None:
        meetings.bound += locked_weight
    if weight(prep, placed) < weight(prep, greedy):  # no solution within the time: the greedy's stands
        placed = greedy
        meetings.objective = weight(prep, greedy) + locked_weight

    remaining = time_limit_s - (time.perf_counter() - started)
    if gap_weight > 0 and remaining > 0.05 and model.x:
        placed, gaps = model.minimise_idle(placed, remaining, workers, seed)
    else:
        gaps = Phase("idle", SKIPPED, idle_slots(prep, _with_locks(prep, placed)))

    appointments, unplaced, idle = finish(prep, _name_shared_rooms(prep, placed))
    return Solution(appointments, unplaced, [meetings, gaps], idle=idle, seconds=time.perf_counter() - started)


def _with_locks(prep: Prepared, placed: dict[Id, tuple[int, int]]) -> dict[Id, tuple[int, int]]:
    return {r.id: (s, k) for r, s, k in prep.locked} | placed


class _StopAt(cp_model.CpSolverSolutionCallback):
    """Stops the search once a solution reaches a known bound (it is then optimal)."""

    def __init__(self, value: float):
        super().__init__()
        self.value = value

    def on_solution_callback(self) -> None:
        if self.objective_value >= self.value:
            self.stop_search()


class _Model:
    def __init__(self, prep: Prepared, fixed: set[Id] | None = None):
        """fixed: only these requests, each placed exactly once (phase 2's first step: re-time a set)."""
        self.prep = prep
        self.fixed = fixed
        self.model = cp_model.CpModel()
        self.x: dict[tuple[Id, int], cp_model.IntVar] = {}
        self.options: dict[tuple[Id, int], list[tuple[int, cp_model.IntVar]]] = {}  # (room or SHARED, var)
        self.groups: list[tuple[list[cp_model.IntVar], int]] = []  # Σ x ≤ capacity, for the LP bound
        self._build()

    def _build(self) -> None:
        prep, model = self.prep, self.model
        locked_rooms = {(k, s) for _, s, k in prep.locked}
        shared_free: dict[int, int] = defaultdict(int)
        for k, room in enumerate(prep.rooms):
            if room.units is None:
                for s in prep.room_free[k]:
                    shared_free[s] += (k, s) not in locked_rooms
        per_startup, per_unit, per_room = defaultdict(list), defaultdict(list), defaultdict(list)
        for request in prep.placeable:
            slots = prep.candidates[request.id]
            if not slots or (self.fixed is not None and request.id not in self.fixed):
                continue
            for s in slots:
                x = model.new_bool_var(f"x[{request.id},{s}]")
                self.x[request.id, s] = x
                per_startup[request.startup, s].append(x)
                per_unit[request.unit, s].append(x)
                rooms = [
                    k
                    for k in prep.eligible_rooms(request.unit, s)
                    if prep.rooms[k].units is not None and (k, s) not in locked_rooms
                ]
                if shared_free[s]:
                    rooms.append(SHARED)
                if len(rooms) == 1:
                    options = [(rooms[0], x)]
                else:
                    options = [(k, model.new_bool_var(f"y[{request.id},{s},{k}]")) for k in rooms]
                    model.add(sum(var for _, var in options) == x)
                self.options[request.id, s] = options
                for k, var in options:
                    per_room[k, s].append(var)
            self.groups.append(([self.x[request.id, s] for s in slots], 1))
            if self.fixed is None:
                model.add_at_most_one(self.x[request.id, s] for s in slots)
            else:
                model.add_exactly_one(self.x[request.id, s] for s in slots)
        for group in (*per_startup.values(), *per_unit.values()):
            if len(group) > 1:
                model.add_at_most_one(group)
                self.groups.append((group, 1))
        only_shared = all(room.units is None for room in prep.rooms)
        for (k, s), group in per_room.items():
            capacity = shared_free[s] if k == SHARED else 1
            if len(group) > capacity:
                model.add(sum(group) <= capacity)
                if only_shared:  # then the room options are the x themselves (the LP below works on x)
                    self.groups.append((group, capacity))
        self.gain = sum(self.prep.requests[rid].priority * x for (rid, _), x in self.x.items())

    def _hint(self, placed: dict[Id, tuple[int, int]]) -> None:
        self.model.clear_hints()
        for (rid, s), x in self.x.items():
            on = placed.get(rid, (None, None))[0] == s
            self.model.add_hint(x, on)
            options = self.options[rid, s]
            if len(options) > 1:
                room = placed[rid][1] if on else None
                wanted = room if room is not None and any(k == room for k, _ in options) else SHARED
                for k, var in options:
                    self.model.add_hint(var, on and k == wanted)

    def _solve(
        self, name: str, seconds: float, workers: int, seed: int, stop_at: float | None = None
    ) -> tuple[cp_model.CpSolver, Phase]:
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(seconds, 0.01)
        solver.parameters.num_workers = workers
        solver.parameters.random_seed = seed
        status = solver.solve(self.model, _StopAt(stop_at) if stop_at is not None else None)
        phase = Phase(name, FEASIBLE, None, None, solver.wall_time)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            phase.status = OPTIMAL if status == cp_model.OPTIMAL else FEASIBLE
            phase.objective = round(solver.objective_value)
            phase.bound = round(solver.best_objective_bound)
        return solver, phase

    def _placed(self, solver: cp_model.CpSolver) -> dict[Id, tuple[int, int]]:
        placed = {}
        for (rid, s), x in self.x.items():
            if solver.boolean_value(x):
                room = next(k for k, var in self.options[rid, s] if solver.boolean_value(var))
                placed[rid] = (s, room)
        return placed

    def maximise_meetings(
        self, hint: dict[Id, tuple[int, int]], seconds: float, workers: int, seed: int
    ) -> tuple[dict[Id, tuple[int, int]], Phase]:
        if not self.x:
            return {}, Phase("meetings", OPTIMAL, 0, 0, 0.0)
        # CP-SAT's own LP closes the bound slowly on large instances (12 s on 200 × 20 × 64); HiGHS solves the
        # relaxation in about a second and it is usually tight, so a solution reaching it is proven optimal
        # there and then (the search stops; the hint may already reach it and the search is skipped).
        started = time.perf_counter()
        bound = lp_bound(self.x, self.groups, {key: self.prep.requests[key[0]].priority for key in self.x})
        if weight(self.prep, hint) >= bound:  # the hint (the greedy) is optimal already
            return hint, Phase("meetings", OPTIMAL, bound, bound, time.perf_counter() - started)
        self.model.maximize(self.gain)
        self._hint(hint)
        solver, phase = self._solve("meetings", seconds, workers, seed, stop_at=bound)
        phase.seconds = time.perf_counter() - started
        if phase.objective is not None and phase.objective >= bound:
            phase.status = OPTIMAL
        if phase.objective is None:
            phase.bound = min(bound, round(solver.best_objective_bound)) if solver.best_objective_bound < 1e9 else bound
            return {}, phase
        phase.bound = min(bound, phase.bound)
        return self._placed(solver), phase

    def minimise_idle(
        self, placed: dict[Id, tuple[int, int]], seconds: float, workers: int, seed: int
    ) -> tuple[dict[Id, tuple[int, int]], Phase]:
        """Two steps. (a) re-time the same meetings (a much smaller model, each placed exactly once: it finds
        a compact timetable in well under a second where the full model takes a minute); if that reaches 0
        idle slots it is optimal outright. (b) otherwise the full model (any set of meetings worth phase 1's
        value), hinted with (a)'s timetable, for the rest of the time: it may improve and gives the bound."""
        prep = self.prep
        started = time.perf_counter()
        retime = _Model(prep, fixed=set(placed))
        placed, first = retime._minimise_idle(placed, seconds * 0.5, workers, seed)
        if first.objective == 0:
            first.bound, first.status = 0, OPTIMAL
            first.seconds = time.perf_counter() - started
            return placed, first
        self.model.add(self.gain >= weight(prep, placed))
        placed, phase = self._minimise_idle(placed, seconds - (time.perf_counter() - started), workers, seed)
        phase.seconds = time.perf_counter() - started
        return placed, phase

    def _minimise_idle(
        self, placed: dict[Id, tuple[int, int]], seconds: float, workers: int, seed: int
    ) -> tuple[dict[Id, tuple[int, int]], Phase]:
        prep, model = self.prep, self.model
        idle_terms, hints = self._idle_model(placed)
        model.minimize(sum(idle_terms))
        self._hint(placed)
        for var, value in hints:
            model.add_hint(var, value)
        solver, phase = self._solve("idle", seconds, workers, seed)
        if phase.objective is None:  # nothing found in time: keep the schedule we came with
            phase.objective = idle_slots(prep, _with_locks(prep, placed))
            phase.bound = 0
            return placed, phase
        return self._placed(solver), phase

    def _idle_model(self, placed: dict[Id, tuple[int, int]]) -> tuple[list, list]:
        """Idle indicators per startup, day and slot, with their values for `placed` as hints."""
        prep, model = self.prep, self.model
        busy_vars: dict[tuple[Id, int], list] = defaultdict(list)
        for (rid, s), x in self.x.items():
            busy_vars[prep.requests[rid].startup, s].append(x)
        locked = {(r.startup, s) for r, s, _ in prep.locked}
        everything = _with_locks(prep, placed)
        now = {(prep.requests[rid].startup, s) for rid, (s, _) in everything.items()}
        terms, hints = [], []
        for startup, free in prep.startup_free.items():
            mine = {s for (p, s) in locked if p == startup}
            for day in _days(prep, free | mine):
                possible = [i for i, s in enumerate(day) if (startup, s) in locked or busy_vars.get((startup, s))]
                if len(possible) < 2:
                    continue
                span = day[possible[0] : possible[-1] + 1]
                busy = [1 if (startup, s) in locked else sum(busy_vars.get((startup, s), [])) for s in span]
                value = [int((startup, s) in now) for s in span]
                n = len(span)
                before = [model.new_bool_var(f"b[{startup},{s}]") for s in span]
                after = [model.new_bool_var(f"a[{startup},{s}]") for s in span]
                for t in range(n):
                    model.add(before[t] >= busy[t])
                    model.add(after[t] >= busy[t])
                    if t:
                        model.add(before[t] >= before[t - 1])
                        model.add(after[t - 1] >= after[t])
                    hints.append((before[t], int(any(value[: t + 1]))))
                    hints.append((after[t], int(any(value[t:]))))
                for t in range(n):
                    if isinstance(busy[t], int) and busy[t] == 1:
                        continue
                    idle = model.new_bool_var(f"i[{startup},{span[t]}]")
                    model.add(idle >= before[t] + after[t] - 1 - busy[t])
                    terms.append(idle)
                    hints.append((idle, int(any(value[: t + 1]) and any(value[t:]) and not value[t])))
        return terms, hints


def _name_shared_rooms(prep: Prepared, placed: dict[Id, tuple[int, int]]) -> dict[Id, tuple[int, int]]:
    """Give each appointment in a shared room a concrete room: per slot, a unit keeps the room it had last when
    that room is free, the others take the lowest free ones."""
    locked_rooms = {(k, s) for _, s, k in prep.locked}
    shared = [k for k, room in enumerate(prep.rooms) if room.units is None]
    by_slot: dict[int, list[Id]] = defaultdict(list)
    out = {}
    for rid, (s, k) in placed.items():
        if k == SHARED:
            by_slot[s].append(rid)
        else:
            out[rid] = (s, k)
    last: dict[Id, int] = {}
    for s in sorted(by_slot):
        free = [k for k in shared if s in prep.room_free[k] and (k, s) not in locked_rooms]
        waiting = []
        for rid in by_slot[s]:
            unit = prep.requests[rid].unit
            if last.get(unit) in free:
                free.remove(last[unit])
                out[rid] = (s, last[unit])
            else:
                waiting.append(rid)
        for rid in waiting:
            k = free.pop(0)
            out[rid] = (s, k)
            last[prep.requests[rid].unit] = k
    return out
