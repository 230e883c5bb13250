"""The database ↔ scheduling core: a JointMeeting becomes a `scheduling.Problem`; a `Solution` becomes
Appointments. Scheduling runs in a Celery task; `schedule_enqueue` queues it after commit."""

import time as clock
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit, outbox
from matchmaking import scheduling as core
from matchmaking.meetings.enums import TIMETABLE_OPEN, InvitationStatus, MeetingStatus, ScheduleRunStatus
from matchmaking.meetings.errors import MeetingError
from matchmaking.meetings.services import lock_meeting
from matchmaking.meetings.slots import meeting_slots
from matchmaking.models import Appointment, JointMeeting, MeetingRequest, ScheduleRun

DEFAULT_TIME_LIMIT_S = 20.0
PENDING_FOR_AT_MOST = timedelta(minutes=10)

# Why a request is not given to the solver at all (the pages translate these codes; see views/timetable.py).
DECLINED_BY_UNIT = "declined_by_unit"  # the unit said "no thanks"
INVITATION_DECLINED = "invitation_declined"
NOT_ACCEPTED = "not_accepted"  # the invitee has not replied yet
NO_ACCOUNT = "no_account"  # nobody can reply for the invitee: it has no verified portal user


@dataclass(frozen=True)
class LeftOut:
    request: MeetingRequest
    reason: str


def scheduling_scope(meeting: JointMeeting) -> tuple[list[MeetingRequest], list[LeftOut]]:
    """The requests a run schedules (open requests of accepted invitees, and every request with a locked
    appointment) and those it leaves out, each with its reason: what the timetable shows before a run and each
    run records. A constant number of queries."""
    locked = set(meeting.appointments.filter(locked=True).values_list("request_id", flat=True))
    requests = list(
        meeting.requests.select_related("invitation__startup", "invitation__organisation", "unit").order_by(
            "-priority", "created_at", "pk"
        )
    )
    organisations = {r.invitation.invitee_organisation_id for r in requests} - {None}
    with_account = set(
        get_user_model()
        .objects.filter(organisation_id__in=organisations, is_active=True, email_verified_at__isnull=False)
        .values_list("organisation_id", flat=True)
    )
    included, left_out = [], []
    for request in requests:
        reason = None if request.pk in locked else _left_out_reason(request, with_account)
        if reason is None:
            included.append(request)
        else:
            left_out.append(LeftOut(request, reason))
    return included, left_out


def left_out_count(run: ScheduleRun) -> int:
    """How many of the run's `unplaced` rows it left out before solving (the others it could not place)."""
    return sum(1 for row in run.unplaced if row.get("left_out"))


def _left_out_reason(request: MeetingRequest, with_account: set[int]) -> str | None:
    status = request.invitation.status
    if request.declined_at is not None:
        return DECLINED_BY_UNIT
    if status == InvitationStatus.ACCEPTED:
        return None
    if status == InvitationStatus.DECLINED:
        return INVITATION_DECLINED
    return NOT_ACCEPTED if request.invitation.invitee_organisation_id in with_account else NO_ACCOUNT


def schedule_enqueue(*, meeting: JointMeeting, actor, time_limit_s: float = DEFAULT_TIME_LIMIT_S) -> ScheduleRun:
    """Queue a scheduling run (admin only: checked by callers); the task starts after commit. Returns the run,
    whose status the pages and the API show; while a run is still queued or running, that run."""
    if meeting.status not in TIMETABLE_OPEN:
        raise MeetingError(_("Invite the startups first; a meeting in planning or already held is not scheduled."))
    with transaction.atomic():
        lock_meeting(meeting)
        # A second click while a run is pending gets that run; one pending for too long is presumed lost.
        pending = meeting.schedule_runs.filter(
            status__in=[ScheduleRunStatus.QUEUED, ScheduleRunStatus.RUNNING],
            created_at__gte=timezone.now() - PENDING_FOR_AT_MOST,
        ).first()
        if pending is not None:
            return pending
        run = ScheduleRun.objects.create(meeting=meeting, requested_by=actor, time_limit_s=time_limit_s)
        audit.record_created(actor, run, note=f"scheduling of meeting {meeting.number} queued")
        outbox.enqueue("matchmaking.schedule_meeting", {"run_id": run.pk})
    return run


def build_problem(meeting: JointMeeting) -> tuple[core.Problem, dict, list[LeftOut]]:
    """The meeting as a scheduling problem: accepted invitees and attending units with their availability
    (slot keys), rooms, the requests in `scheduling_scope` and the locked appointments. Also returns the slots
    by key, to turn the answer back into times, and the requests left out."""
    slots = {slot.key: slot for slot in meeting_slots(meeting)}
    every = frozenset(slots)
    locked = list(meeting.appointments.filter(locked=True).select_related("request", "invitation"))
    locked_invitations = {a.invitation_id for a in locked}
    invitees = [
        core.Participant(i.pk, available=every - set(i.unavailable_slots))
        for i in meeting.invitations.all()
        if i.status == InvitationStatus.ACCEPTED or i.pk in locked_invitations
    ]
    units = [core.Participant(u.unit_id, available=every - set(u.unavailable_slots)) for u in meeting.units.all()]
    included, left_out = scheduling_scope(meeting)
    requests = [core.Request(r.pk, r.invitation_id, r.unit_id, priority=r.priority, origin=r.origin) for r in included]
    rooms = [
        core.Room(room.pk, units=frozenset({room.unit_id}) if room.unit_id else None) for room in meeting.rooms.all()
    ]
    problem = core.Problem(
        slots=[core.Slot(key, slot.day, slot.start, slot.end) for key, slot in slots.items()],
        rooms=rooms,
        startups=invitees,
        units=units,
        requests=requests,
        locked=[core.LockedAppointment(a.request_id, a.slot_key, a.room_id) for a in locked],
    )
    return problem, slots, left_out


def _claim(run_id: int) -> ScheduleRun | None:
    """Mark a queued run as running; None when it is gone or was already taken (a second delivery)."""
    with transaction.atomic():
        run = ScheduleRun.objects.select_for_update().filter(pk=run_id).first()
        if run is None or run.status != ScheduleRunStatus.QUEUED:
            return None
        run.status, run.started_at = ScheduleRunStatus.RUNNING, timezone.now()
        run.save(update_fields=["status", "started_at"])
        return run


def _fail(run: ScheduleRun, message: str) -> ScheduleRun:
    run.status, run.error, run.finished_at = ScheduleRunStatus.FAILED, message, timezone.now()
    run.save(update_fields=["status", "error", "finished_at"])
    return run


def schedule_run(*, run_id: int) -> ScheduleRun | None:
    """The task's body: solve the meeting and replace its unlocked appointments with the answer, in one
    transaction under the meeting's lock. Locked appointments stay. A run already taken does nothing."""
    run = _claim(run_id)
    if run is None:
        return None
    started = clock.monotonic()
    meeting = JointMeeting.objects.get(pk=run.meeting_id)
    if meeting.status not in TIMETABLE_OPEN:
        return _fail(run, _("The meeting is no longer open for scheduling."))
    problem, slots, left_out = build_problem(meeting)
    try:
        solution = core.solve(problem, time_limit_s=run.time_limit_s)
    except core.LockConflictError as error:
        return _fail(run, _("Locked appointments conflict: %(details)s") % {"details": error})
    except Exception as error:  # a run must never stay "running": record it, then let the task fail loudly
        _fail(run, _("The solver failed: %(error)s") % {"error": error})
        raise
    with transaction.atomic():
        meeting = lock_meeting(meeting)
        _write(meeting, problem, solution, slots)
        before = meeting.status
        if meeting.status == MeetingStatus.INVITING:
            meeting.status = MeetingStatus.SCHEDULED
            meeting.save(update_fields=["status", "updated_at"])
        _record(run, problem, solution, left_out, clock.monotonic() - started)
        _audit(run, meeting, before)
    return run


def _audit(run: ScheduleRun, meeting: JointMeeting, status_before: str) -> None:
    """The run's result on the meeting, in the name of whoever asked for the run: a transition when the first
    run makes the draft agenda, an update afterwards."""
    left_out = left_out_count(run)
    unplaced = len(run.unplaced) - left_out
    note = f"scheduling run {run.pk}: {run.placed} placed, {unplaced} unplaced, {left_out} left out"
    note += f" ({run.solver_status})"
    changes = {"placed": [None, run.placed], "unplaced": [None, unplaced]}
    if status_before != meeting.status:
        changes["status"] = [status_before, meeting.status]
    action = audit.Action.TRANSITION if "status" in changes else audit.Action.UPDATE
    audit.record(run.requested_by, action, meeting, changes, note=note)


def _write(meeting: JointMeeting, problem: core.Problem, solution: core.Solution, slots: dict) -> None:
    requests = {r.id: r for r in problem.requests}
    locked = {lock.request_id for lock in problem.locked}
    meeting.appointments.filter(locked=False).delete()
    Appointment.objects.bulk_create(
        Appointment(
            meeting=meeting,
            invitation_id=requests[a.request_id].startup,
            unit_id=requests[a.request_id].unit,
            request_id=a.request_id,
            room_id=a.room,
            starts_at=slots[a.slot].start,
            ends_at=slots[a.slot].end,
        )
        for a in solution.appointments
        if a.request_id not in locked
    )


def _record(
    run: ScheduleRun, problem: core.Problem, solution: core.Solution, left_out: list[LeftOut], seconds: float
) -> None:
    requests = {r.id: r for r in problem.requests}
    run.status, run.finished_at = ScheduleRunStatus.DONE, timezone.now()
    run.solver_status, run.objective, run.bound, run.gap = (
        solution.status,
        solution.objective,
        solution.bound,
        solution.gap,
    )
    run.idle_slots, run.placed, run.seconds = solution.idle, len(solution.appointments), round(seconds, 3)
    run.unplaced = [
        {
            "request": u.request_id,
            "invitation": requests[u.request_id].startup,
            "unit": requests[u.request_id].unit,
            "reason": u.reason,
            "params": {k: v for k, v in u.params.items() if isinstance(v, int | float | str)},
        }
        for u in solution.unplaced
    ]
    # What the run did not even try, so that "0 placed, 0 unplaced" never hides requests.
    run.unplaced += [
        {
            "request": row.request.pk,
            "invitation": row.request.invitation_id,
            "unit": row.request.unit_id,
            "reason": row.reason,
            "left_out": True,
        }
        for row in left_out
    ]
    run.phases = [
        {"name": p.name, "status": p.status, "objective": p.objective, "bound": p.bound, "seconds": round(p.seconds, 3)}
        for p in solution.phases
    ]
    run.save()
