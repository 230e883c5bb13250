"""The audit trail covers joint promotion meetings (issue 8): who created or changed a meeting, moved it along,
invited whom, who replied, changed availability or requests, scheduled, edited the timetable, published, and
who exported an agenda or a briefing pack — by the page, the API or the command line."""

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import AuditEntry
from matchmaking.meetings import editing, services
from matchmaking.meetings.enums import MeetingStatus, RequestPriority
from matchmaking.meetings.errors import MeetingError
from matchmaking.meetings.scheduling import schedule_enqueue
from matchmaking.meetings.slots import meeting_slots
from matchmaking.meetings.versions import meeting_publish
from matchmaking.models import Appointment, MeetingRequest, Shortlist
from tests.matchmaking.meetings.conftest import invite_all, make_need

MEETING = "matchmaking.jointmeeting"


def entries(**filters) -> list[tuple]:
    """(actor e-mail, action, object type, object id, changes) in the order written."""
    return list(
        AuditEntry.objects.filter(**filters)
        .order_by("pk")
        .values_list("actor_email", "action", "object_type", "object_id", "changes")
    )


def last(**filters) -> AuditEntry:
    return AuditEntry.objects.filter(**filters).order_by("pk").last()


# --- The meeting --------------------------------------------------------------------------------------------------


def test_creating_a_meeting_records_it_with_its_days_rooms_and_units(world):
    created, units = entries(object_type=MEETING, object_id=str(world.meeting.pk))
    assert created[:4] == (world.admin.email, "create", MEETING, str(world.meeting.pk))
    assert created[4]["title"] == [None, world.meeting.title] and created[4]["status"] == [None, "planning"]
    assert "rooms: ['A', 'B']" in last(action="create", object_type=MEETING).note
    assert units[:2] == (world.admin.email, "update")
    assert units[4] == {"units": [[], sorted([world.gsdf.pk, world.atla.pk])]}


def test_an_update_records_the_changed_fields_and_rooms_and_nothing_when_nothing_changed(world):
    services.meeting_update(meeting=world.meeting, actor=world.admin, venue="市ヶ谷", rooms=["A", "B", "C"])
    services.meeting_update(meeting=world.meeting, actor=world.admin, venue="市ヶ谷", rooms=["A", "B", "C"])
    updates = entries(action="update", object_type=MEETING, changes__has_key="venue")
    assert len(updates) == 1
    assert updates[0][0] == world.admin.email
    assert updates[0][4] == {"venue": ["防衛省 A棟", "市ヶ谷"], "rooms": [["A", "B"], ["A", "B", "C"]]}


def test_every_status_change_is_a_transition_with_old_and_new_status(invited):
    services.meeting_transition(meeting=invited.meeting, to=MeetingStatus.PLANNING, actor=invited.admin)
    transitions = [row[4] for row in entries(action="transition", object_type=MEETING)]
    # Inviting the first startups moved the meeting out of planning; the admin moved it back.
    assert transitions == [{"status": ["planning", "inviting"]}, {"status": ["inviting", "planning"]}]
    assert last(action="transition", object_type=MEETING).actor_email == invited.admin.email


def test_a_refused_transition_writes_nothing(world):
    with pytest.raises(MeetingError):
        services.meeting_transition(meeting=world.meeting, to=MeetingStatus.HELD, actor=world.admin)
    assert entries(action="transition") == []


def test_setting_the_units_records_who_attends_and_what_left_with_them(scheduled):
    services.meeting_units_set(meeting=scheduled.meeting, units=[scheduled.gsdf], actor=scheduled.admin)
    row = last(object_type=MEETING, changes__has_key="units")
    assert (row.actor_email, row.action) == (scheduled.admin.email, "update")
    assert row.changes == {"units": [sorted([scheduled.gsdf.pk, scheduled.atla.pk]), [scheduled.gsdf.pk]]}
    assert "4 appointments, 4 requests" in row.note


# --- Invitations, availability, requests -------------------------------------------------------------------------


def test_each_invitation_is_a_create_and_each_reply_a_transition(world):
    invitations = services.invitation_create(meeting=world.meeting, actor=world.admin, startups=world.startups[:2])
    services.invitation_respond(invitation=invitations[0], actor=world.members[0], accept=True)
    services.invitation_respond(invitation=invitations[1], actor=world.members[1], accept=False)
    created = entries(object_type="matchmaking.invitation", action="create")
    assert [(row[0], row[3]) for row in created] == [(world.admin.email, str(i.pk)) for i in invitations]
    assert created[0][4]["startup"] == [None, world.startups[0].pk]
    replies = entries(object_type="matchmaking.invitation", action="transition")
    assert replies == [
        (world.members[0].email, "transition", "matchmaking.invitation", str(invitations[0].pk),
         {"status": ["invited", "accepted"]}),
        (world.members[1].email, "transition", "matchmaking.invitation", str(invitations[1].pk),
         {"status": ["invited", "declined"]}),
    ]  # fmt: skip


def test_a_reply_by_someone_else_is_refused_and_writes_nothing(invited):
    before = AuditEntry.objects.count()
    with pytest.raises(PermissionDenied):
        services.invitation_respond(invitation=invited.invitations[0], actor=invited.members[1], accept=False)
    assert AuditEntry.objects.count() == before


def test_availability_changes_of_invitees_and_units_are_updates(invited):
    key = meeting_slots(invited.meeting)[0].key
    invitation = invited.invitations[0]
    services.availability_set(actor=invited.members[0], invitation=invitation, unavailable=[key])
    meeting_unit = invited.meeting.units.get(unit=invited.gsdf)
    services.availability_set(actor=invited.gsdf_user, meeting_unit=meeting_unit, unavailable=[key])
    services.availability_set(actor=invited.gsdf_user, meeting_unit=meeting_unit, unavailable=[key])  # same again
    assert entries(action="update", changes__has_key="unavailable_slots") == [
        (invited.members[0].email, "update", "matchmaking.invitation", str(invitation.pk),
         {"unavailable_slots": [[], [key]]}),
        (invited.gsdf_user.email, "update", "matchmaking.meetingunit", str(meeting_unit.pk),
         {"unavailable_slots": [[], [key]]}),
    ]  # fmt: skip


def test_a_request_set_is_a_create_then_an_update_and_no_thanks_an_update(invited):
    request = MeetingRequest.objects.get(invitation=invited.invitations[0], unit=invited.gsdf)
    created = last(object_type="matchmaking.meetingrequest", object_id=str(request.pk))
    assert (created.actor_email, created.action) == (invited.admin.email, "create")
    assert created.changes["priority"] == [None, RequestPriority.WANT_TO_MEET]
    services.request_set(
        meeting=invited.meeting,
        invitation=invited.invitations[0],
        unit=invited.gsdf,
        actor=invited.gsdf_user,
        priority=RequestPriority.MUST_MEET,
    )
    services.request_decline(request=request, actor=invited.gsdf_user)
    changed = entries(object_type="matchmaking.meetingrequest", action="update")
    assert changed[0][0] == invited.gsdf_user.email
    assert changed[0][4] == {"priority": [RequestPriority.WANT_TO_MEET, RequestPriority.MUST_MEET]}
    assert changed[1][4]["declined_at"][0] is None and changed[1][4]["declined_at"][1]


def test_proposed_requests_are_creates_by_whoever_proposed_them(world):
    invitations = invite_all(world)
    need = make_need(world.gsdf, "GSDF-2026-001")
    Shortlist.objects.create(need=need, startup=world.startups[0], added_by=world.gsdf_user)
    (proposed,) = services.requests_propose(meeting=world.meeting, actor=world.admin)
    (row,) = entries(object_type="matchmaking.meetingrequest")
    assert row[:4] == (world.admin.email, "create", "matchmaking.meetingrequest", str(proposed.pk))
    assert row[4]["invitation"] == [None, invitations[0].pk] and row[4]["need"] == [None, need.pk]


# --- Scheduling, timetable edits, publishing ---------------------------------------------------------------------


def test_a_scheduling_run_is_recorded_when_queued_and_its_result_on_the_meeting(scheduled):
    queued = last(object_type="matchmaking.schedulerun")
    assert (queued.actor_email, queued.action) == (scheduled.admin.email, "create")
    assert "queued" in queued.note
    result = last(object_type=MEETING, changes__has_key="placed")
    assert (result.actor_email, result.action) == (scheduled.admin.email, "transition")
    assert result.changes == {"placed": [None, 8], "unplaced": [None, 0], "status": ["inviting", "scheduled"]}
    assert "8 placed, 0 unplaced" in result.note


def test_a_second_run_is_an_update_of_the_meeting(scheduled, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        schedule_enqueue(meeting=scheduled.meeting, actor=scheduled.admin, time_limit_s=10)
    result = last(object_type=MEETING, changes__has_key="placed")
    assert result.action == "update" and "status" not in result.changes


def test_moves_and_swaps_are_updates_of_the_appointments(scheduled):
    first, second = Appointment.objects.filter(meeting=scheduled.meeting).order_by("starts_at", "room__name")[:2]
    editing.appointment_swap(first=first, second=second, actor=scheduled.admin)
    rows = entries(object_type="matchmaking.appointment", action="update")
    assert [(row[0], row[3]) for row in rows] == [
        (scheduled.admin.email, str(first.pk)),
        (scheduled.admin.email, str(second.pk)),
    ]
    assert rows[0][4]["room"] == [first.room_id, second.room_id] and rows[0][4]["locked"] == [False, True]
    assert "swapped with" in last(object_type="matchmaking.appointment").note
    services.meeting_update(meeting=scheduled.meeting, actor=scheduled.admin, rooms=["A", "B", "C"])
    room_c = scheduled.meeting.rooms.get(name="C")
    editing.appointment_move(appointment=first, slot_key=second.slot_key, room=room_c, actor=scheduled.admin)
    moved = last(object_type="matchmaking.appointment")
    assert (moved.action, moved.object_id, moved.changes) == (
        "update",
        str(first.pk),
        {"room": [second.room_id, room_c.pk]},
    )


def test_lock_unlock_remove_and_add_are_recorded(scheduled):
    appointment = Appointment.objects.filter(meeting=scheduled.meeting).first()
    pk, pair = (
        str(appointment.pk),
        (appointment.invitation, appointment.unit_id, appointment.slot_key, appointment.room),
    )
    editing.appointment_lock(appointment=appointment, actor=scheduled.admin)
    editing.appointment_lock(appointment=appointment, actor=scheduled.admin, locked=False)
    editing.appointment_remove(appointment=appointment, actor=scheduled.admin)
    invitation, unit_id, slot_key, room = pair
    added = editing.appointment_add(
        meeting=scheduled.meeting, invitation=invitation, unit_id=unit_id, slot_key=slot_key, room=room,
        actor=scheduled.admin,
    ).appointments[0]  # fmt: skip
    rows = entries(object_type="matchmaking.appointment")
    assert [(row[1], row[3]) for row in rows] == [
        ("update", pk),
        ("update", pk),
        ("delete", pk),
        ("create", str(added.pk)),
    ]
    assert rows[0][4] == {"locked": [False, True]} and rows[1][4] == {"locked": [True, False]}
    assert rows[2][4]["unit"] == unit_id and rows[3][4]["locked"] == [None, True]
    assert {row[0] for row in rows} == {scheduled.admin.email}


def test_a_refused_edit_writes_no_entry(scheduled):
    appointment = Appointment.objects.filter(meeting=scheduled.meeting).order_by("starts_at").first()
    other = Appointment.objects.filter(invitation=appointment.invitation).exclude(pk=appointment.pk).get()
    before = AuditEntry.objects.count()
    with pytest.raises(MeetingError):  # the startup already meets the other unit at that time
        editing.appointment_move(
            appointment=appointment, slot_key=other.slot_key, room=other.room, actor=scheduled.admin
        )
    assert AuditEntry.objects.count() == before


def test_publishing_is_a_transition_with_the_agenda_version(scheduled):
    services.meeting_transition(meeting=scheduled.meeting, to=MeetingStatus.PUBLISHED, actor=scheduled.admin)
    appointment = Appointment.objects.filter(meeting=scheduled.meeting).first()
    editing.appointment_remove(appointment=appointment, actor=scheduled.admin)
    meeting_publish(meeting=scheduled.meeting, actor=scheduled.admin)
    first, update = entries(object_type=MEETING, changes__has_key="agenda_version")
    assert first[:2] == (scheduled.admin.email, "transition")
    assert first[4] == {"agenda_version": [None, 1], "status": ["scheduled", "published"]}
    assert update[4] == {"agenda_version": [1, 2]}
    assert last(changes__has_key="agenda_version").note == "agenda version 2: 0 added, 1 removed, 0 moved"


# --- Exports -----------------------------------------------------------------------------------------------------


def exports() -> list[tuple[str, str, str]]:
    return list(
        AuditEntry.objects.filter(action="export").order_by("pk").values_list("actor_email", "object_type", "note")
    )


def test_exports_by_page_api_and_command_are_recorded_with_who_and_what(client, scheduled, tmp_path):
    meeting, invitation = scheduled.meeting, scheduled.invitations[0]
    client.force_login(scheduled.admin)
    assert client.get(reverse("meetings:export", args=[meeting.pk, "xlsx"])).status_code == 200
    client.force_login(scheduled.members[0])
    assert client.get(reverse("meetings:my_agenda", args=[meeting.pk, "csv"])).status_code == 200
    api = APIClient()
    api.force_authenticate(scheduled.members[0])
    assert api.get(f"/api/v1/meetings/{meeting.pk}/agenda/?format=ics").status_code == 200
    call_command("export_agenda", str(meeting.pk), "--format", "pdf", str(tmp_path / "a.pdf"), stdout=io.StringIO())
    member = scheduled.members[0].email
    assert exports() == [
        (scheduled.admin.email, MEETING, "xlsx (ja), whole agenda, 8 appointments"),
        (member, MEETING, f"csv (ja), agenda of i{invitation.pk}, 2 appointments"),
        (member, MEETING, f"ics (ja), agenda of i{invitation.pk}, 2 appointments"),
        ("", MEETING, "pdf (ja), whole agenda, 8 appointments"),
    ]


def test_a_briefing_pack_download_is_recorded(client, scheduled):
    meeting_unit = scheduled.meeting.units.get(unit=scheduled.gsdf)
    client.force_login(scheduled.gsdf_user)
    assert client.get(reverse("meetings:briefing", args=[scheduled.meeting.pk, meeting_unit.pk])).status_code == 200
    assert exports() == [
        (scheduled.gsdf_user.email, MEETING, f"pdf (ja), briefing pack of unit {scheduled.gsdf.pk}, 4 appointments")
    ]


def test_reading_the_agenda_as_json_is_not_an_export(scheduled):
    api = APIClient()
    api.force_authenticate(scheduled.admin)
    assert api.get(f"/api/v1/meetings/{scheduled.meeting.pk}/agenda/").status_code == 200
    assert exports() == []
