"""The joint promotion meeting (合同推進会) scheduler's core: requests → (slot, room) appointments.

Plain dataclasses in and out, no Django. The Django layer builds a `Problem` from a JointMeeting (its slots,
rooms or tables, the accepted startups and attending units with their availability, the open MeetingRequests
and the locked Appointments), calls `solve()` in a Celery task and writes the appointments back:

    problem = Problem(slots=[Slot(id, day, start, end), …], rooms=[Room(id), …],
                      startups=[Participant(id, available=frozenset(slot ids)), …], units=[…],
                      requests=[Request(id, startup, unit, priority=3, origin="unit"), …],
                      locked=[LockedAppointment(request_id, slot, room), …])
    solution = solve(problem, time_limit_s=60)
    solution.appointments   # [Appointment(request_id, slot, room)], locked ones included
    solution.unplaced       # [Unplaced(request_id, reason, params)]
    solution.phases         # [Phase("meetings", …), Phase("idle", …)]: status, objective, bound, gap, seconds

Hard constraints: nobody (startup, unit) and no room is booked twice in a slot; both sides' availability and a
room's own availability are honoured; a room with `units` is used only by those units; each (startup, unit)
pair meets at most once; locked appointments stay exactly where they are (even outside someone's stated
availability: the admin placed them by hand) and use up their slot and room.

Aims, lexicographic: (1) the priority-weighted number of meetings, maximised; (2) with (1) held at its value,
the startups' idle slots (between a startup's first and last meeting of a day, when it is available and has no
meeting), minimised.

Reasons of unplaced requests (`problem.py`): unknown_participant, duplicate_pair, no_common_slot, capacity,
time_limit. `greedy()` is the heuristic baseline; `solve()` never returns less than it.
"""

from matchmaking.scheduling.greedy import greedy
from matchmaking.scheduling.problem import (
    CAPACITY,
    DUPLICATE_PAIR,
    FEASIBLE,
    HEURISTIC,
    NO_COMMON_SLOT,
    OPTIMAL,
    SKIPPED,
    TIME_LIMIT,
    UNKNOWN_PARTICIPANT,
    Appointment,
    LockConflictError,
    LockedAppointment,
    Participant,
    Phase,
    Problem,
    Request,
    Room,
    Slot,
    Solution,
    Unplaced,
)
from matchmaking.scheduling.solver import solve

__all__ = [
    "CAPACITY",
    "DUPLICATE_PAIR",
    "FEASIBLE",
    "HEURISTIC",
    "NO_COMMON_SLOT",
    "OPTIMAL",
    "SKIPPED",
    "TIME_LIMIT",
    "UNKNOWN_PARTICIPANT",
    "Appointment",
    "LockConflictError",
    "LockedAppointment",
    "Participant",
    "Phase",
    "Problem",
    "Request",
    "Room",
    "Slot",
    "Solution",
    "Unplaced",
    "greedy",
    "solve",
]
