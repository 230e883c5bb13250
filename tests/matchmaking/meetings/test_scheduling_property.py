"""Hypothesis at the database level: whatever the availability and requests, a scheduled meeting has nobody and
no room double-booked, honours availability (except where the admin pinned a meeting by hand), keeps locked
appointments where they were after a re-run, and gives every request either an appointment or a reason."""

from collections import Counter

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matchmaking.meetings import editing, services
from matchmaking.meetings.scheduling import schedule_run
from matchmaking.meetings.slots import meeting_slots
from matchmaking.models import Appointment, MeetingRequest, ScheduleRun

SLOTS, INVITEES, UNITS = 4, 4, 2

availability = st.lists(st.frozensets(st.integers(0, SLOTS - 1), max_size=3), min_size=INVITEES + UNITS, max_size=6)
wanted = st.dictionaries(
    st.tuples(st.integers(0, INVITEES - 1), st.integers(0, UNITS - 1)), st.sampled_from([1, 3]), min_size=1
)


def run(meeting, admin) -> ScheduleRun:
    created = ScheduleRun.objects.create(meeting=meeting, requested_by=admin, time_limit_s=5)
    return schedule_run(run_id=created.pk)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(unavailable=availability, requests=wanted, lock_first=st.booleans())
def test_scheduled_meetings_keep_every_rule(invited, unavailable, requests, lock_first):
    meeting, admin = invited.meeting, invited.admin
    keys = [slot.key for slot in meeting_slots(meeting)]
    units = list(meeting.units.order_by("unit_id"))
    with transaction.atomic():
        MeetingRequest.objects.filter(meeting=meeting).delete()
        for index, invitation in enumerate(invited.invitations):
            services.availability_set(
                actor=admin, invitation=invitation, unavailable=[keys[s] for s in unavailable[index]]
            )
        for index, unit in enumerate(units):
            services.availability_set(
                actor=admin, meeting_unit=unit, unavailable=[keys[s] for s in unavailable[INVITEES + index]]
            )
        for (i, u), priority in requests.items():
            services.request_set(
                meeting=meeting, invitation=invited.invitations[i], unit=units[u].unit, actor=admin, priority=priority
            )
        run(meeting, admin)
        first = Appointment.objects.filter(meeting=meeting).order_by("starts_at", "pk").first()
        pinned = {}
        if lock_first and first is not None:
            editing.appointment_lock(appointment=first, actor=admin)
            pinned = {first.pk: (first.starts_at, first.room_id)}
        result = run(meeting, admin)
        rows = list(Appointment.objects.filter(meeting=meeting).select_related("invitation"))
        for key in ("invitation_id", "unit_id", "room_id"):
            counts = Counter((getattr(a, key), a.starts_at) for a in rows)
            assert max(counts.values(), default=0) <= 1
        unit_off = {u.unit_id: set(u.unavailable_slots) for u in units}
        for a in rows:
            if a.pk not in pinned:
                assert a.slot_key not in a.invitation.unavailable_slots
                assert a.slot_key not in unit_off[a.unit_id]
        assert {a.pk: (a.starts_at, a.room_id) for a in rows if a.locked} == pinned
        placed = {a.request_id for a in rows}
        reported = {u["request"] for u in result.unplaced}
        assert all(u["reason"] for u in result.unplaced)
        assert placed | reported == set(MeetingRequest.objects.filter(meeting=meeting).values_list("pk", flat=True))
        assert not placed & reported
        transaction.set_rollback(True)
