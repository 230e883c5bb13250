"""Timetable edits: move, swap, lock, remove, add — hard conflicts refused with nothing changed, soft ones warned."""

import pytest

from matchmaking.meetings import editing, services
from matchmaking.meetings.errors import MeetingError
from matchmaking.meetings.slots import meeting_slots
from matchmaking.models import Appointment


def grid(meeting):
    return sorted(Appointment.objects.filter(meeting=meeting).values_list("pk", "starts_at", "room_id", "locked"))


@pytest.fixture
def roomy(scheduled):
    """The scheduled world with a third room C, empty: somewhere to move to."""
    services.meeting_update(meeting=scheduled.meeting, actor=scheduled.admin, rooms=["A", "B", "C"])
    scheduled.room_c = scheduled.meeting.rooms.get(name="C")
    return scheduled


def test_moving_to_a_free_room_in_the_same_slot_locks_the_appointment(roomy):
    appointment = Appointment.objects.filter(meeting=roomy.meeting).first()
    result = editing.appointment_move(
        appointment=appointment, slot_key=appointment.slot_key, room=roomy.room_c, actor=roomy.admin
    )
    appointment.refresh_from_db()
    assert appointment.room == roomy.room_c and appointment.locked and result.warnings == []


def test_a_move_that_double_books_is_refused_and_changes_nothing(roomy):
    appointment = Appointment.objects.filter(meeting=roomy.meeting).order_by("starts_at").first()
    other_slot = Appointment.objects.filter(invitation=appointment.invitation).exclude(pk=appointment.pk).get()
    before = grid(roomy.meeting)
    with pytest.raises(MeetingError) as refused:
        editing.appointment_move(
            appointment=appointment, slot_key=other_slot.slot_key, room=roomy.room_c, actor=roomy.admin
        )
    assert "その時間に別の面談があります" in " ".join(refused.value.messages)
    assert grid(roomy.meeting) == before


def test_a_move_into_a_taken_room_or_outside_the_slots_is_refused(roomy):
    first, second = Appointment.objects.filter(meeting=roomy.meeting).order_by("starts_at", "room__name")[:2]
    before = grid(roomy.meeting)
    with pytest.raises(MeetingError):
        editing.appointment_move(appointment=first, slot_key=first.slot_key, room=second.room, actor=roomy.admin)
    with pytest.raises(MeetingError):
        editing.appointment_move(appointment=first, slot_key="2020-01-01T10:00", room=roomy.room_c, actor=roomy.admin)
    assert grid(roomy.meeting) == before


def test_a_room_reserved_for_another_unit_is_refused(roomy):
    services.meeting_update(meeting=roomy.meeting, actor=roomy.admin, rooms=["A", "B", ("C", roomy.atla)])
    appointment = Appointment.objects.filter(meeting=roomy.meeting, unit=roomy.gsdf).first()
    with pytest.raises(MeetingError) as refused:
        editing.appointment_move(
            appointment=appointment, slot_key=appointment.slot_key, room=roomy.room_c, actor=roomy.admin
        )
    assert "他の部局専用" in refused.value.messages[0]


def test_moving_into_a_slot_the_startup_cannot_make_is_allowed_with_a_warning(roomy):
    appointment = Appointment.objects.filter(meeting=roomy.meeting).first()
    services.availability_set(actor=roomy.admin, invitation=appointment.invitation, unavailable=[appointment.slot_key])
    result = editing.appointment_move(
        appointment=appointment, slot_key=appointment.slot_key, room=roomy.room_c, actor=roomy.admin
    )
    assert any("参加できないと回答" in warning for warning in result.warnings)


def test_swapping_two_appointments_exchanges_their_places(scheduled):
    first, second = Appointment.objects.filter(meeting=scheduled.meeting).order_by("starts_at", "room__name")[:2]
    editing.appointment_swap(first=first, second=second, actor=scheduled.admin)
    first_after, second_after = Appointment.objects.get(pk=first.pk), Appointment.objects.get(pk=second.pk)
    assert (first_after.starts_at, first_after.room_id) == (second.starts_at, second.room_id)
    assert (second_after.starts_at, second_after.room_id) == (first.starts_at, first.room_id)
    assert first_after.locked and second_after.locked


def test_a_swap_that_would_double_book_a_unit_is_refused(scheduled):
    rows = Appointment.objects.filter(meeting=scheduled.meeting, unit=scheduled.gsdf).order_by("starts_at")
    first = rows.first()
    # An ATLA appointment in another slot: GSDF is busy in every slot, so taking that place double-books it.
    other = (
        Appointment.objects.filter(meeting=scheduled.meeting, unit=scheduled.atla)
        .exclude(starts_at=first.starts_at)
        .first()
    )
    before = grid(scheduled.meeting)
    with pytest.raises(MeetingError):
        editing.appointment_swap(first=first, second=other, actor=scheduled.admin)
    assert grid(scheduled.meeting) == before


def test_unlocking_and_removing(scheduled):
    appointment = Appointment.objects.filter(meeting=scheduled.meeting).first()
    editing.appointment_lock(appointment=appointment, actor=scheduled.admin)
    editing.appointment_lock(appointment=appointment, actor=scheduled.admin, locked=False)
    assert not Appointment.objects.get(pk=appointment.pk).locked
    editing.appointment_remove(appointment=appointment, actor=scheduled.admin)
    assert not Appointment.objects.filter(pk=appointment.pk).exists()
    assert appointment.request.pk  # the request stays for the next run


def test_adding_by_hand_reuses_the_request_and_refuses_a_second_meeting_of_the_pair(roomy):
    appointment = Appointment.objects.filter(meeting=roomy.meeting).first()
    invitation, unit_id, key = appointment.invitation, appointment.unit_id, appointment.slot_key
    editing.appointment_remove(appointment=appointment, actor=roomy.admin)
    result = editing.appointment_add(
        meeting=roomy.meeting,
        invitation=invitation,
        unit_id=unit_id,
        slot_key=key,
        room=roomy.room_c,
        actor=roomy.admin,
    )
    added = result.appointments[0]
    assert added.locked and added.request_id == appointment.request_id
    free_key = next(s.key for s in meeting_slots(roomy.meeting) if s.key != key)
    with pytest.raises(MeetingError):
        editing.appointment_add(
            meeting=roomy.meeting,
            invitation=invitation,
            unit_id=unit_id,
            slot_key=free_key,
            room=roomy.room_c,
            actor=roomy.admin,
        )


def test_the_timetable_of_a_held_meeting_is_not_edited(scheduled):
    from matchmaking.meetings.enums import MeetingStatus
    from matchmaking.models import JointMeeting

    JointMeeting.objects.filter(pk=scheduled.meeting.pk).update(status=MeetingStatus.HELD)
    appointment = Appointment.objects.filter(meeting=scheduled.meeting).first()
    with pytest.raises(MeetingError):
        editing.appointment_remove(appointment=appointment, actor=scheduled.admin)
    assert Appointment.objects.filter(pk=appointment.pk).exists()
