"""The meeting scheduler's core (matchmaking.scheduling): properties on random small instances (hypothesis) and
the reasons and lock errors on hand-made ones. No database."""

from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matchmaking.scheduling import (
    CAPACITY,
    DUPLICATE_PAIR,
    NO_COMMON_SLOT,
    OPTIMAL,
    UNKNOWN_PARTICIPANT,
    LockConflictError,
    LockedAppointment,
    Participant,
    Problem,
    Request,
    Room,
    Slot,
    greedy,
    solve,
)

settings.register_profile(
    "scheduling",
    max_examples=30,
    deadline=None,
    derandomize=True,  # the same examples on every run: CI stays stable
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
PROFILE = settings.get_profile("scheduling")
TIME_LIMIT = 5.0


@st.composite
def problems(draw) -> Problem:
    days = draw(st.integers(1, 2))
    per_day = draw(st.integers(2, 5))
    slots = [Slot(f"s{d}{k}", d, k, k + 1) for d in range(days) for k in range(per_day)]
    ids = [s.id for s in slots]
    subset = st.frozensets(st.sampled_from(ids))
    maybe_subset = st.one_of(st.none(), subset)
    startups = [Participant(f"st{i}", draw(maybe_subset)) for i in range(draw(st.integers(1, 5)))]
    units = [Participant(f"u{j}", draw(maybe_subset)) for j in range(draw(st.integers(1, 4)))]
    unit_ids = [u.id for u in units]
    rooms = [
        Room(
            f"r{k}",
            draw(maybe_subset),
            draw(st.one_of(st.none(), st.frozensets(st.sampled_from(unit_ids), min_size=1))),
        )
        for k in range(draw(st.integers(1, 3)))
    ]
    startup_ids = [s.id for s in startups] + ["ghost"]  # an unknown participant now and then
    requests = [
        Request(
            i,
            draw(st.sampled_from(startup_ids)),
            draw(st.sampled_from([*unit_ids, "ghost"])),
            draw(st.sampled_from([1, 3])),
        )
        for i in range(draw(st.integers(0, 12)))
    ]
    return Problem(slots=slots, rooms=rooms, startups=startups, units=units, requests=requests)


def lock_some(problem: Problem, solution, pick: list[bool]) -> Problem:
    locked = [LockedAppointment(*a) for a, keep in zip(solution.appointments, pick, strict=False) if keep]
    return Problem(problem.slots, problem.rooms, problem.startups, problem.units, problem.requests, locked)


def assert_valid(problem: Problem, solution) -> None:
    requests = {r.id: r for r in problem.requests}
    startups = {p.id: p for p in problem.startups}
    units = {p.id: p for p in problem.units}
    rooms = {r.id: r for r in problem.rooms}
    locked = {(lock.request_id, lock.slot, lock.room) for lock in problem.locked}
    for kind, key in (
        ("startup", lambda a: (requests[a.request_id].startup, a.slot)),
        ("unit", lambda a: (requests[a.request_id].unit, a.slot)),
        ("room", lambda a: (a.room, a.slot)),
        ("pair", lambda a: (requests[a.request_id].startup, requests[a.request_id].unit)),
        ("request", lambda a: a.request_id),
    ):
        twice = [k for k, n in Counter(map(key, solution.appointments)).items() if n > 1]
        assert not twice, f"{kind} booked twice: {twice}"
    for a in solution.appointments:
        request, room = requests[a.request_id], rooms[a.room]
        assert room.units is None or request.unit in room.units
        if tuple(a) in locked:
            continue  # placed by hand: kept even outside stated availability
        for available in (startups[request.startup].available, units[request.unit].available, room.available):
            assert available is None or a.slot in available
    placed = {a.request_id for a in solution.appointments}
    unplaced = [u.request_id for u in solution.unplaced]
    assert all(u.reason for u in solution.unplaced)
    assert Counter([*placed, *unplaced]) == Counter(list(requests))  # every request placed or explained, once
    assert locked <= {tuple(a) for a in solution.appointments}


@settings(PROFILE)
@given(problems())
def test_solution_is_valid_and_at_least_the_greedy(problem):
    solution = solve(problem, time_limit_s=TIME_LIMIT)
    assert_valid(problem, solution)
    base = greedy(problem)
    assert_valid(problem, base)
    assert solution.status == OPTIMAL
    assert solution.objective >= base.objective
    assert solution.objective == sum(
        next(r.priority for r in problem.requests if r.id == a.request_id) for a in solution.appointments
    )
    assert solution.gaps.objective == solution.idle


@settings(PROFILE)
@given(problems(), st.lists(st.booleans(), max_size=20))
def test_locked_appointments_are_kept_after_a_rerun(problem, pick):
    first = solve(problem, time_limit_s=TIME_LIMIT)
    relocked = lock_some(problem, first, pick)
    second = solve(relocked, time_limit_s=TIME_LIMIT)
    assert_valid(relocked, second)
    assert second.objective <= first.objective  # locks taken from an optimum: the optimum cannot grow
    third = solve(relocked, time_limit_s=TIME_LIMIT)
    assert {(lock.request_id, lock.slot, lock.room) for lock in relocked.locked} <= set(map(tuple, third.appointments))


def small(requests, *, locked=(), startup_free=None, unit_free=None, rooms=1) -> Problem:
    slots = [Slot(f"s{k}", 0, k, k + 1) for k in range(3)]
    return Problem(
        slots=slots,
        rooms=[Room(f"r{k}") for k in range(rooms)],
        startups=[Participant("a", startup_free), Participant("b", startup_free)],
        units=[Participant("x", unit_free), Participant("y")],
        requests=requests,
        locked=list(locked),
    )


def reasons(solution) -> dict:
    return {u.request_id: (u.reason, u.params) for u in solution.unplaced}


def test_reasons_unknown_duplicate_and_no_common_slot():
    problem = small(
        [Request(1, "a", "x"), Request(2, "a", "x", priority=3), Request(3, "ghost", "x"), Request(4, "b", "x")],
        startup_free=frozenset({"s0"}),
        unit_free=frozenset({"s1", "s2"}),
    )
    got = reasons(solve(problem))
    assert got[1] == (DUPLICATE_PAIR, {"kept": 2})  # the higher priority one is kept
    assert got[2] == (NO_COMMON_SLOT, {})
    assert got[3] == (UNKNOWN_PARTICIPANT, {"startup": "ghost"})


def test_reason_capacity_when_higher_priority_meetings_take_the_slots():
    # One room, three slots, four requests: the must-meets are placed, a want-to-meet is left for capacity.
    requests = [Request(1, "a", "x", 3), Request(2, "b", "x", 3), Request(3, "a", "y", 3), Request(4, "b", "y", 1)]
    solution = solve(small(requests))
    assert solution.objective == 9 and solution.status == OPTIMAL
    reason, params = reasons(solution)[4]
    assert reason == CAPACITY and params["common_slots"] == 3
    assert params["startup_busy"] + params["unit_busy"] + params["rooms_full"] == 3  # each common slot explained


def test_idle_gaps_are_closed_up():
    slots = [Slot(k, 0, k, k + 1) for k in range(6)]
    problem = Problem(
        slots=slots,
        rooms=[Room("r")],
        startups=[Participant("a")],
        units=[Participant("x", frozenset({0, 1, 2})), Participant("y", frozenset({2, 5}))],
        requests=[Request(1, "a", "x"), Request(2, "a", "y")],
    )
    solution = solve(problem)
    assert solution.idle == 0 and solution.gaps.status == OPTIMAL
    assert {a.slot for a in solution.appointments} == {1, 2}


def test_double_booked_locks_are_refused():
    locked = [LockedAppointment(1, "s0", "r0"), LockedAppointment(2, "s0", "r1")]
    with pytest.raises(LockConflictError) as error:
        solve(small([Request(1, "a", "x"), Request(2, "b", "x")], locked=locked, rooms=2))
    assert [code for code, _ in error.value.conflicts] == ["unit_double_booked"]
