"""Scheduling a meeting through the Celery task (eager): placements, availability, locks, re-runs, reasons."""

from collections import Counter

import pytest

from matchmaking.meetings import editing, services
from matchmaking.meetings.enums import InvitationStatus, MeetingStatus, ScheduleRunStatus
from matchmaking.meetings.scheduling import schedule_enqueue, schedule_run
from matchmaking.meetings.slots import meeting_slots
from matchmaking.models import Appointment, ScheduleRun
from matchmaking.tasks import schedule_meeting
from tests.matchmaking.meetings.conftest import invite_all, request_all


def run_schedule(world, capture):
    with capture(execute=True):
        run = schedule_enqueue(meeting=world.meeting, actor=world.admin, time_limit_s=10)
    run.refresh_from_db()
    world.meeting.refresh_from_db()
    return run


def assert_no_double_booking(meeting):
    rows = list(Appointment.objects.filter(meeting=meeting))
    for key in (lambda a: (a.invitation_id, a.starts_at), lambda a: (a.unit_id, a.starts_at)):
        assert max(Counter(map(key, rows)).values(), default=0) == 1
    assert max(Counter((a.room_id, a.starts_at) for a in rows).values(), default=0) == 1
    assert max(Counter((a.invitation_id, a.unit_id) for a in rows).values(), default=0) == 1


def test_scheduling_places_every_request_and_reports_an_optimal_result(scheduled):
    run = ScheduleRun.objects.get(meeting=scheduled.meeting)
    assert run.status == ScheduleRunStatus.DONE
    assert run.solver_status == "optimal" and run.placed == 8 and run.unplaced == []
    assert run.objective == run.bound == 8 and run.gap == 0
    assert scheduled.meeting.status == MeetingStatus.SCHEDULED
    assert Appointment.objects.filter(meeting=scheduled.meeting).count() == 8
    assert_no_double_booking(scheduled.meeting)
    keys = {slot.key for slot in meeting_slots(scheduled.meeting)}
    assert {a.slot_key for a in Appointment.objects.all()} <= keys


def test_availability_is_honoured_and_a_request_without_common_slot_is_reported(
    invited, django_capture_on_commit_callbacks
):
    slots = [slot.key for slot in meeting_slots(invited.meeting)]
    first = invited.invitation(0)
    services.availability_set(actor=invited.members[0], invitation=first, unavailable=slots[:3])
    atla = invited.meeting.units.get(unit=invited.atla)
    services.availability_set(actor=invited.atla_user, meeting_unit=atla, unavailable=slots[3:])
    run = run_schedule(invited, django_capture_on_commit_callbacks)
    placed = Appointment.objects.filter(meeting=invited.meeting)
    assert all(a.slot_key not in slots[:3] for a in placed.filter(invitation=first))
    assert all(a.slot_key not in slots[3:] for a in placed.filter(unit=invited.atla))
    assert [(u["invitation"], u["unit"], u["reason"]) for u in run.unplaced] == [
        (first.pk, invited.atla.pk, "no_common_slot")
    ]


def test_declined_invitees_and_no_thanks_requests_are_left_out(world, django_capture_on_commit_callbacks):
    invitations = invite_all(world, accept=False)
    services.invitation_respond(invitation=invitations[0], actor=world.members[0], accept=True)
    services.invitation_respond(invitation=invitations[1], actor=world.members[1], accept=False)
    world.invitations = invitations[:2]
    request_all(world)
    no_thanks = world.meeting.requests.get(invitation=invitations[0], unit=world.atla)
    services.request_decline(request=no_thanks, actor=world.atla_user)
    run_schedule(world, django_capture_on_commit_callbacks)
    pairs = set(Appointment.objects.values_list("invitation_id", "unit_id"))
    assert pairs == {(invitations[0].pk, world.gsdf.pk)}


def test_locked_appointments_stay_where_they_are_after_a_rerun(scheduled, django_capture_on_commit_callbacks):
    rows = Appointment.objects.filter(meeting=scheduled.meeting).order_by("starts_at", "room__name")
    first, last = rows[0], rows[1]  # the same slot, rooms A and B
    editing.appointment_swap(first=first, second=last, actor=scheduled.admin)  # rooms exchanged, both locked
    pinned = {a.pk: (a.starts_at, a.room_id) for a in Appointment.objects.filter(locked=True)}
    assert set(pinned) == {first.pk, last.pk}
    for _ in range(2):
        run_schedule(scheduled, django_capture_on_commit_callbacks)
        kept = {a.pk: (a.starts_at, a.room_id) for a in Appointment.objects.filter(locked=True)}
        assert kept == pinned
        assert_no_double_booking(scheduled.meeting)
        assert Appointment.objects.filter(meeting=scheduled.meeting).count() == 8


def test_a_second_delivery_of_the_same_run_changes_nothing(scheduled):
    run = ScheduleRun.objects.get(meeting=scheduled.meeting)
    before = list(Appointment.objects.order_by("pk").values_list("pk", "starts_at", "room_id"))
    assert schedule_meeting.delay(run_id=run.pk).get() is None
    assert schedule_run(run_id=run.pk) is None
    assert list(Appointment.objects.order_by("pk").values_list("pk", "starts_at", "room_id")) == before


def test_capacity_shortage_is_reported_per_request(world, django_capture_on_commit_callbacks):
    """Four startups must each meet both units, but one room and four slots hold only four meetings."""
    services.meeting_update(meeting=world.meeting, actor=world.admin, rooms=["A"])
    invite_all(world)
    request_all(world)
    run = run_schedule(world, django_capture_on_commit_callbacks)
    assert run.placed == 4 and len(run.unplaced) == 4
    assert {u["reason"] for u in run.unplaced} == {"capacity"}


def test_planning_meetings_cannot_be_scheduled(world):
    from matchmaking.meetings.errors import MeetingError

    with pytest.raises(MeetingError):
        schedule_enqueue(meeting=world.meeting, actor=world.admin)
    assert not ScheduleRun.objects.exists()


def test_an_invitee_who_declines_after_scheduling_loses_its_appointments(scheduled):
    invitation = scheduled.invitation(0)
    services.invitation_respond(invitation=invitation, actor=scheduled.members[0], accept=False)
    assert invitation.appointments.count() == 0
    assert Appointment.objects.filter(meeting=scheduled.meeting).count() == 6
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.DECLINED


def test_scheduling_twice_while_a_run_is_pending_queues_it_once(invited):
    first = schedule_enqueue(meeting=invited.meeting, actor=invited.admin)  # the task waits for a commit
    again = schedule_enqueue(meeting=invited.meeting, actor=invited.admin)
    assert again.pk == first.pk and ScheduleRun.objects.count() == 1
