"""The greedy heuristic the solver is measured against: requests by priority (highest first), then the fewest
common slots, then input order; each goes to its first slot, in time order, where the startup, the unit and an
eligible room are free."""

from __future__ import annotations

import time

from matchmaking.scheduling.problem import (
    HEURISTIC,
    SKIPPED,
    Id,
    Phase,
    Prepared,
    Problem,
    Solution,
    finish,
    prepare,
    weight,
)


def greedy(problem: Problem) -> Solution:
    started = time.perf_counter()
    prep = prepare(problem)
    placed = place_greedily(prep)
    appointments, unplaced, idle = finish(prep, placed)
    seconds = time.perf_counter() - started
    objective = weight(prep, (a.request_id for a in appointments))
    phases = [Phase("meetings", HEURISTIC, objective, None, seconds), Phase("idle", SKIPPED, idle, None, 0.0)]
    return Solution(appointments, unplaced, phases, idle=idle, seconds=seconds)


def place_greedily(prep: Prepared) -> dict[Id, tuple[int, int]]:
    """{request id: (slot index, room index)} for the requests the greedy places (locked ones not included)."""
    busy = {("startup", r.startup, s) for r, s, _ in prep.locked}
    busy |= {("unit", r.unit, s) for r, s, _ in prep.locked}
    busy |= {("room", k, s) for _, s, k in prep.locked}
    order = sorted(
        enumerate(prep.placeable), key=lambda item: (-item[1].priority, len(prep.candidates[item[1].id]), item[0])
    )
    placed: dict[Id, tuple[int, int]] = {}
    for _, request in order:
        for s in prep.candidates[request.id]:
            if ("startup", request.startup, s) in busy or ("unit", request.unit, s) in busy:
                continue
            # A unit's own table before a shared room, so that shared rooms stay free for units without one.
            rooms = sorted(prep.eligible_rooms(request.unit, s), key=lambda k: prep.rooms[k].units is None)
            room = next((k for k in rooms if ("room", k, s) not in busy), None)
            if room is None:
                continue
            placed[request.id] = (s, room)
            busy |= {("startup", request.startup, s), ("unit", request.unit, s), ("room", room, s)}
            break
    return placed
