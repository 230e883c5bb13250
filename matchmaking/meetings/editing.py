"""Timetable edits by the admin: move, swap, lock/unlock, remove, add. Each runs under the meeting's lock,
refuses a hard conflict (someone or a room double-booked, a room reserved for another unit, not a slot of the
meeting) with a translated MeetingError and nothing changed, and reports soft ones as warnings (a participant
placed in a slot it said it could not make, an invitee that has not accepted). An appointment placed or
moved by hand is locked, so that re-running the scheduler keeps it."""

from django.db import transaction
from django.utils.translation import gettext as _

from accounts import audit
from matchmaking.meetings.enums import TIMETABLE_OPEN, InvitationStatus, RequestOrigin, RequestPriority
from matchmaking.meetings.errors import EditResult, MeetingError
from matchmaking.meetings.services import lock_meeting
from matchmaking.meetings.slots import MeetingSlot, meeting_slots
from matchmaking.models import Appointment, Invitation, JointMeeting, MeetingRequest, MeetingRoom, MeetingUnit


def _open(meeting: JointMeeting) -> JointMeeting:
    meeting = lock_meeting(meeting)
    if meeting.status not in TIMETABLE_OPEN:
        raise MeetingError(_("The timetable of this meeting cannot be edited now."))
    return meeting


def _fresh(appointment: Appointment) -> Appointment:
    """The appointment as stored now (the caller's copy may be stale; we hold the meeting's lock)."""
    return Appointment.objects.select_related("invitation__startup", "invitation__organisation", "room").get(
        pk=appointment.pk, meeting_id=appointment.meeting_id
    )


def _room(meeting: JointMeeting, room: MeetingRoom) -> MeetingRoom:
    fresh = MeetingRoom.objects.filter(pk=room.pk, meeting=meeting).first()
    if fresh is None:
        raise MeetingError(_("That room or table does not belong to this meeting."))
    return fresh


def _slot(meeting: JointMeeting, key: str) -> MeetingSlot:
    slot = next((s for s in meeting_slots(meeting) if s.key == key), None)
    if slot is None:
        raise MeetingError(_("That time is not a slot of this meeting."))
    return slot


def check_placement(
    meeting: JointMeeting,
    *,
    invitation: Invitation,
    unit_id: int,
    slot: MeetingSlot,
    room: MeetingRoom,
    ignore: set[int] = frozenset(),
) -> tuple[list[str], list[str]]:
    """(hard conflicts, warnings) of placing invitation × unit at (slot, room), ignoring appointments `ignore`."""
    hard: list[str] = []
    if room.meeting_id != meeting.pk:
        hard.append(_("That room or table does not belong to this meeting."))
    elif room.unit_id and room.unit_id != unit_id:
        hard.append(_("%(room)s is reserved for another unit.") % {"room": room.name})
    same_slot = meeting.appointments.filter(starts_at__lt=slot.end, ends_at__gt=slot.start).exclude(pk__in=ignore)
    name = invitation.invitee_name
    if same_slot.filter(invitation=invitation).exists():
        hard.append(_("%(name)s already has a meeting at that time.") % {"name": name})
    if same_slot.filter(unit_id=unit_id).exists():
        hard.append(_("The unit already has a meeting at that time."))
    if same_slot.filter(room=room).exists():
        hard.append(_("%(room)s is already taken at that time.") % {"room": room.name})
    warnings: list[str] = []
    if slot.key in invitation.unavailable_slots:
        warnings.append(_("%(name)s said it cannot make this slot.") % {"name": name})
    unit = MeetingUnit.objects.filter(meeting=meeting, unit_id=unit_id).first()
    if unit is None:
        hard.append(_("The unit does not attend this meeting."))
    elif slot.key in unit.unavailable_slots:
        warnings.append(_("The unit said it cannot make this slot."))
    if invitation.status != InvitationStatus.ACCEPTED:
        warnings.append(_("%(name)s has not accepted the invitation.") % {"name": name})
    return hard, warnings


def _refuse_if(hard: list[str]) -> None:
    if hard:
        raise MeetingError(hard)


PLACE_FIELDS = ["starts_at", "ends_at", "room", "locked"]


def _place(appointment: Appointment, slot: MeetingSlot, room: MeetingRoom, *, actor, note: str = "") -> None:
    before = audit.snapshot(appointment, PLACE_FIELDS)
    appointment.starts_at, appointment.ends_at, appointment.room, appointment.locked = slot.start, slot.end, room, True
    appointment.save(update_fields=[*PLACE_FIELDS, "updated_at"])
    audit.record_changed(actor, appointment, before, note=note)


@transaction.atomic
def appointment_move(*, appointment: Appointment, slot_key: str, room: MeetingRoom, actor) -> EditResult:
    """Move to another slot and/or room; the appointment becomes locked."""
    meeting = _open(appointment.meeting)
    appointment, room, slot = _fresh(appointment), _room(meeting, room), _slot(meeting, slot_key)
    hard, warnings = check_placement(
        meeting,
        invitation=appointment.invitation,
        unit_id=appointment.unit_id,
        slot=slot,
        room=room,
        ignore={appointment.pk},
    )
    _refuse_if(hard)
    _place(appointment, slot, room, actor=actor, note="moved")
    return EditResult([appointment], warnings)


@transaction.atomic
def appointment_swap(*, first: Appointment, second: Appointment, actor) -> EditResult:
    """Exchange the (slot, room) of two appointments of the same meeting; both become locked."""
    if first.meeting_id != second.meeting_id or first.pk == second.pk:
        raise MeetingError(_("Choose two different appointments of the same meeting."))
    meeting = _open(first.meeting)
    first, second = _fresh(first), _fresh(second)
    slots = {s.start: s for s in meeting_slots(meeting)}
    first_slot, second_slot = slots.get(first.starts_at), slots.get(second.starts_at)
    if first_slot is None or second_slot is None:
        raise MeetingError(_("That time is not a slot of this meeting."))
    hard, warnings = [], []
    for appointment, slot, room in ((first, second_slot, second.room), (second, first_slot, first.room)):
        h, w = check_placement(
            meeting,
            invitation=appointment.invitation,
            unit_id=appointment.unit_id,
            slot=slot,
            room=room,
            ignore={first.pk, second.pk},
        )
        hard += h
        warnings += w
    # Between themselves the two cannot clash: each takes the place the other leaves.
    _refuse_if(hard)
    first_room, second_room = first.room, second.room
    _place(first, second_slot, second_room, actor=actor, note=f"swapped with appointment {second.pk}")
    _place(second, first_slot, first_room, actor=actor, note=f"swapped with appointment {first.pk}")
    return EditResult([first, second], warnings)


def appointment_lock(*, appointment: Appointment, actor, locked: bool = True) -> EditResult:
    """Pin an appointment (kept by re-runs) or release it (the next run may move or drop it)."""
    with transaction.atomic():
        _open(appointment.meeting)
        before = audit.snapshot(appointment, ["locked"])
        appointment.locked = locked
        appointment.save(update_fields=["locked", "updated_at"])
        audit.record_changed(actor, appointment, before)
    return EditResult([appointment], [])


def appointment_remove(*, appointment: Appointment, actor) -> EditResult:
    """Remove an appointment. Its request stays: the next scheduling run may place the pair again unless the
    request is marked "no thanks"."""
    with transaction.atomic():
        _open(appointment.meeting)
        audit.record(actor, audit.Action.DELETE, appointment, audit.snapshot(appointment))
        appointment.delete()
    return EditResult([], [])


@transaction.atomic
def appointment_add(
    *,
    meeting: JointMeeting,
    invitation: Invitation,
    unit_id: int,
    slot_key: str,
    room: MeetingRoom,
    actor,
) -> EditResult:
    """Place a meeting by hand (locked). The pair's request is reused, or made with origin "admin"."""
    meeting = _open(meeting)
    if invitation.meeting_id != meeting.pk:
        raise MeetingError(_("Both the invitee and the unit must take part in this meeting."))
    slot, room = _slot(meeting, slot_key), _room(meeting, room)
    invitation = Invitation.objects.select_related("startup", "organisation").get(pk=invitation.pk)
    hard, warnings = check_placement(meeting, invitation=invitation, unit_id=unit_id, slot=slot, room=room)
    if meeting.appointments.filter(invitation=invitation, unit_id=unit_id).exists():
        hard.append(_("This pair already has a meeting; move that one instead."))
    _refuse_if(hard)
    request, created = MeetingRequest.objects.get_or_create(
        meeting=meeting,
        invitation=invitation,
        unit_id=unit_id,
        defaults={"origin": RequestOrigin.ADMIN, "priority": RequestPriority.MUST_MEET, "created_by": actor},
    )
    if created:
        audit.record_created(actor, request, note="added with an appointment")
    appointment = Appointment(meeting=meeting, invitation=invitation, unit_id=unit_id, request=request)
    appointment.room = room
    _place_new(appointment, slot)
    audit.record_created(actor, appointment)
    return EditResult([appointment], warnings)


def _place_new(appointment: Appointment, slot: MeetingSlot) -> None:
    appointment.starts_at, appointment.ends_at, appointment.locked = slot.start, slot.end, True
    appointment.save()
