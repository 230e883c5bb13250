"""The scheduling problem and its answer as plain dataclasses, and the preparation both solvers share: ids
checked, locked appointments validated, duplicate pairs and unknown participants set aside, and each request's
candidate slots computed."""

from __future__ import annotations

import functools
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

Id = Hashable

# Reason codes of unplaced requests (params are language-neutral; the templates translate the code).
UNKNOWN_PARTICIPANT = "unknown_participant"  # {"startup": id} or {"unit": id}
DUPLICATE_PAIR = "duplicate_pair"  # {"kept": request id}: another request (or a lock) for the pair was kept
NO_COMMON_SLOT = "no_common_slot"  # {}: startup, unit (and an eligible room) are never free at the same time
CAPACITY = "capacity"  # {"common_slots": n, "startup_busy": a, "unit_busy": b, "rooms_full": c}
TIME_LIMIT = "time_limit"  # {"free_slots": n}: a slot was still free; the solver ran out of time (not optimal)

# Phase statuses.
OPTIMAL = "optimal"  # proven optimal (also when there was nothing to decide)
FEASIBLE = "feasible"  # a solution, not proven optimal: see bound and gap
HEURISTIC = "heuristic"  # the greedy's answer, no bound
SKIPPED = "skipped"  # the phase did not run (gap_weight=0, or no time left)


@functools.total_ordering
@dataclass(frozen=True, eq=True)
class Slot:
    """A time slot; slots are ordered by (day, start, end, id). `day` is a date (or any comparable value) and
    `start`/`end` times or minutes; breaks are simply the times between slots."""

    id: Id
    day: Any
    start: Any
    end: Any

    def key(self) -> tuple:
        return (self.day, self.start, self.end, str(self.id))

    def __lt__(self, other: Slot) -> bool:
        return self.key() < other.key()


@dataclass(frozen=True)
class Room:
    """A room or table. `available`: slot ids when it can be used (None: all). `units`: the units that may use
    it (a unit's own table), None for a shared room any unit may use."""

    id: Id
    available: frozenset | None = None
    units: frozenset | None = None


@dataclass(frozen=True)
class Participant:
    """A startup (or VC) or a unit; `available`: slot ids when it can meet (None: all)."""

    id: Id
    available: frozenset | None = None


@dataclass(frozen=True)
class Request:
    """A meeting request between a startup and a unit. `priority` is the weight maximised (e.g. must=3,
    want=1); `origin` is carried through untouched (unit preference, startup request, match score…)."""

    id: Id
    startup: Id
    unit: Id
    priority: int = 1
    origin: str = ""


@dataclass(frozen=True)
class LockedAppointment:
    """An appointment placed by hand: kept exactly where it is, and it consumes capacity."""

    request_id: Id
    slot: Id
    room: Id


@dataclass
class Problem:
    slots: Sequence[Slot]
    rooms: Sequence[Room]
    startups: Sequence[Participant]
    units: Sequence[Participant]
    requests: Sequence[Request]
    locked: Sequence[LockedAppointment] = ()


class Appointment(NamedTuple):
    request_id: Id
    slot: Id
    room: Id


class Unplaced(NamedTuple):
    request_id: Id
    reason: str
    params: dict


@dataclass
class Phase:
    """One optimisation phase: `objective` and `bound` in the phase's own units (phase 1: priority-weighted
    meetings, locked ones included, maximised; phase 2: idle slots of startups, minimised); `gap` is
    |objective − bound| / max(|objective|, 1)."""

    name: str
    status: str
    objective: float | None = None
    bound: float | None = None
    seconds: float = 0.0

    @property
    def gap(self) -> float | None:
        if self.objective is None or self.bound is None:
            return None
        return abs(self.objective - self.bound) / max(abs(self.objective), 1.0)


@dataclass
class Solution:
    appointments: list[Appointment]  # locked ones included, sorted by slot then room
    unplaced: list[Unplaced]
    phases: list[Phase]  # [meetings, idle]
    idle: int = 0  # startups' idle slots in this schedule
    seconds: float = 0.0

    @property
    def meetings(self) -> Phase:
        return self.phases[0]

    @property
    def gaps(self) -> Phase:
        return self.phases[1]

    @property
    def status(self) -> str:
        return self.phases[0].status

    @property
    def objective(self) -> float | None:
        return self.phases[0].objective

    @property
    def bound(self) -> float | None:
        return self.phases[0].bound

    @property
    def gap(self) -> float | None:
        return self.phases[0].gap


class LockConflictError(ValueError):
    """Locked appointments that cannot all hold: `conflicts` is a list of (code, params), e.g.
    ("startup_double_booked", {"startup": id, "slot": id, "requests": [id, id]})."""

    def __init__(self, conflicts: list[tuple[str, dict]]):
        self.conflicts = conflicts
        super().__init__("; ".join(f"{code} {params}" for code, params in conflicts))


@dataclass
class Prepared:
    """The problem in index form. Slots are indices into `slots` (sorted); rooms indices into `rooms`."""

    problem: Problem
    slots: list[Slot]
    rooms: list[Room]
    requests: dict[Id, Request]  # every request by id
    startup_free: dict[Id, frozenset[int]]  # availability, slot indices
    unit_free: dict[Id, frozenset[int]]
    room_free: list[frozenset[int]]  # per room: slot indices it is available
    locked: list[tuple[Request, int, int]]  # (request, slot index, room index)
    placeable: list[Request]  # requests left for the solver, in input order
    candidates: dict[Id, list[int]]  # request id → slot indices left after locks (may be empty)
    common: dict[Id, list[int]]  # request id → slot indices both sides (and a room) are available
    unplaced: list[Unplaced] = field(default_factory=list)  # decided before solving

    def eligible_rooms(self, unit: Id, slot: int) -> list[int]:
        return [
            k
            for k, room in enumerate(self.rooms)
            if slot in self.room_free[k] and (room.units is None or unit in room.units)
        ]


def _free(available: Iterable | None, index: dict[Id, int]) -> frozenset[int]:
    if available is None:
        return frozenset(index.values())
    return frozenset(index[s] for s in available if s in index)


def _unique(items: Iterable, what: str) -> None:
    seen: set = set()
    for item in items:
        if item.id in seen:
            raise ValueError(f"duplicate {what} id {item.id!r}")
        seen.add(item.id)


def prepare(problem: Problem) -> Prepared:
    for items, what in (
        (problem.slots, "slot"),
        (problem.rooms, "room"),
        (problem.startups, "startup"),
        (problem.units, "unit"),
        (problem.requests, "request"),
    ):
        _unique(items, what)
    slots = sorted(problem.slots)
    slot_index = {s.id: i for i, s in enumerate(slots)}
    rooms = list(problem.rooms)
    room_index = {r.id: k for k, r in enumerate(rooms)}
    prep = Prepared(
        problem=problem,
        slots=slots,
        rooms=rooms,
        requests={r.id: r for r in problem.requests},
        startup_free={p.id: _free(p.available, slot_index) for p in problem.startups},
        unit_free={p.id: _free(p.available, slot_index) for p in problem.units},
        room_free=[_free(r.available, slot_index) for r in rooms],
        locked=[],
        placeable=[],
        candidates={},
        common={},
    )
    _prepare_locks(prep, slot_index, room_index)
    _prepare_requests(prep)
    return prep


def _prepare_locks(prep: Prepared, slot_index: dict[Id, int], room_index: dict[Id, int]) -> None:
    conflicts: list[tuple[str, dict]] = []
    taken: dict[tuple[str, Id, int], Id] = {}
    pairs: dict[tuple[Id, Id], Id] = {}
    for lock in prep.problem.locked:
        request = prep.requests.get(lock.request_id)
        if request is None or lock.slot not in slot_index or lock.room not in room_index:
            conflicts.append(("unknown_reference", {"request": lock.request_id, "slot": lock.slot, "room": lock.room}))
            continue
        if request.startup not in prep.startup_free or request.unit not in prep.unit_free:
            conflicts.append(("unknown_participant", {"request": request.id}))
            continue
        s, k = slot_index[lock.slot], room_index[lock.room]
        room = prep.rooms[k]
        if room.units is not None and request.unit not in room.units:
            conflicts.append(("room_not_for_unit", {"request": request.id, "room": room.id, "unit": request.unit}))
        pair = (request.startup, request.unit)
        if pair in pairs:
            conflicts.append(("duplicate_pair", {"requests": [pairs[pair], request.id]}))
        pairs[pair] = request.id
        for kind, who in (("startup", request.startup), ("unit", request.unit), ("room", room.id)):
            other = taken.setdefault((kind, who, s), request.id)
            if other != request.id:
                conflicts.append(
                    (f"{kind}_double_booked", {kind: who, "slot": lock.slot, "requests": [other, request.id]})
                )
        prep.locked.append((request, s, k))
    if conflicts:
        raise LockConflictError(conflicts)


def _prepare_requests(prep: Prepared) -> None:
    locked_ids = {request.id for request, _, _ in prep.locked}
    kept: dict[tuple[Id, Id], Id] = {(r.startup, r.unit): r.id for r, _, _ in prep.locked}
    busy_startup = {(r.startup, s) for r, s, _ in prep.locked}
    busy_unit = {(r.unit, s) for r, s, _ in prep.locked}
    busy_room = {(k, s) for _, s, k in prep.locked}
    # Higher priority first, then input order, decides which request of a pair is kept.
    order = sorted(enumerate(prep.problem.requests), key=lambda item: (-item[1].priority, item[0]))
    keep: set[Id] = set()
    for _, request in order:
        if request.id in locked_ids:
            continue
        if request.startup not in prep.startup_free:
            prep.unplaced.append(Unplaced(request.id, UNKNOWN_PARTICIPANT, {"startup": request.startup}))
            continue
        if request.unit not in prep.unit_free:
            prep.unplaced.append(Unplaced(request.id, UNKNOWN_PARTICIPANT, {"unit": request.unit}))
            continue
        pair = (request.startup, request.unit)
        if pair in kept:
            prep.unplaced.append(Unplaced(request.id, DUPLICATE_PAIR, {"kept": kept[pair]}))
            continue
        kept[pair] = request.id
        common = [
            s
            for s in sorted(prep.startup_free[request.startup] & prep.unit_free[request.unit])
            if prep.eligible_rooms(request.unit, s)
        ]
        prep.common[request.id] = common
        if not common:
            prep.unplaced.append(Unplaced(request.id, NO_COMMON_SLOT, {}))
            continue
        prep.candidates[request.id] = [
            s
            for s in common
            if (request.startup, s) not in busy_startup
            and (request.unit, s) not in busy_unit
            and any((k, s) not in busy_room for k in prep.eligible_rooms(request.unit, s))
        ]
        keep.add(request.id)
    prep.placeable = [r for r in prep.problem.requests if r.id in keep]


def finish(prep: Prepared, placed: dict[Id, tuple[int, int]]) -> tuple[list[Appointment], list[Unplaced], int]:
    """Appointments (locked + placed {request id: (slot index, room index)}), every unplaced request with its
    reason, and the startups' idle slots."""
    everything = {r.id: (s, k) for r, s, k in prep.locked} | placed
    startup_busy = {(prep.requests[rid].startup, s) for rid, (s, _) in everything.items()}
    unit_busy = {(prep.requests[rid].unit, s) for rid, (s, _) in everything.items()}
    room_busy = {(k, s) for s, k in everything.values()}
    unplaced = list(prep.unplaced)
    for request in prep.placeable:
        if request.id in placed:
            continue
        counts = {"startup_busy": 0, "unit_busy": 0, "rooms_full": 0}
        free = 0
        for s in prep.common[request.id]:
            if (request.startup, s) in startup_busy:
                counts["startup_busy"] += 1
            elif (request.unit, s) in unit_busy:
                counts["unit_busy"] += 1
            elif all((k, s) in room_busy for k in prep.eligible_rooms(request.unit, s)):
                counts["rooms_full"] += 1
            else:
                free += 1
        if free:
            unplaced.append(Unplaced(request.id, TIME_LIMIT, {"free_slots": free}))
        else:
            unplaced.append(Unplaced(request.id, CAPACITY, {"common_slots": len(prep.common[request.id]), **counts}))
    appointments = [
        Appointment(rid, prep.slots[s].id, prep.rooms[k].id)
        for rid, (s, k) in sorted(everything.items(), key=lambda item: item[1])
    ]
    return appointments, unplaced, idle_slots(prep, everything)


def idle_slots(prep: Prepared, placed: dict[Id, tuple[int, int]]) -> int:
    """Slots a startup spends waiting between its first and last meeting of a day: slots in that span when it
    is available (or has a meeting) and has none. Unavailable slots are not waiting: it is elsewhere."""
    busy: dict[Id, set[int]] = {}
    for rid, (s, _) in placed.items():
        busy.setdefault(prep.requests[rid].startup, set()).add(s)
    total = 0
    for startup, slots in busy.items():
        for day_slots in _days(prep, prep.startup_free[startup] | slots):
            hits = [i for i, s in enumerate(day_slots) if s in slots]
            if hits:
                total += hits[-1] - hits[0] + 1 - len(hits)
    return total


def _days(prep: Prepared, slots: Iterable[int]) -> list[list[int]]:
    """Slot indices grouped by day, each group in order."""
    groups: dict[Any, list[int]] = {}
    for s in sorted(slots):
        groups.setdefault(prep.slots[s].day, []).append(s)
    return list(groups.values())


def weight(prep: Prepared, request_ids: Iterable[Id]) -> int:
    return sum(prep.requests[rid].priority for rid in request_ids)
