"""Publishing the agenda: version 1 to everyone, later versions with what changed for each participant."""

import pytest
from django.core import mail

from matchmaking.meetings import editing, services
from matchmaking.meetings.enums import MeetingStatus
from matchmaking.meetings.errors import MeetingError
from matchmaking.meetings.versions import diff, diff_for, meeting_publish, pending_changes, snapshot
from matchmaking.models import AgendaVersion, Appointment


def row(invitation, unit, start, room=1):
    return {"invitation": invitation, "unit": unit, "room": room, "start": start, "end": start}


def test_diff_finds_added_moved_and_removed_pairs():
    old = {"appointments": [row(1, 10, "09:00"), row(2, 10, "09:30"), row(3, 11, "10:00")]}
    new = {"appointments": [row(1, 10, "09:00"), row(2, 10, "10:00"), row(4, 11, "10:00")]}
    changes = diff(old, new)
    assert [r["invitation"] for r in changes["added"]] == [4]
    assert [r["invitation"] for r in changes["removed"]] == [3]
    assert [(m["before"]["start"], m["after"]["start"]) for m in changes["moved"]] == [("09:30", "10:00")]
    assert diff_for(changes, unit_id=11) == {
        "added": [changes["added"][0]],
        "removed": [changes["removed"][0]],
        "moved": [],
    }
    assert diff_for(changes, invitation_id=1) == {"added": [], "removed": [], "moved": []}


def publish(world, capture):
    with capture(execute=True):
        return meeting_publish(meeting=world.meeting, actor=world.admin)


def test_publishing_makes_the_agenda_final_and_tells_every_participant(scheduled, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    version = publish(scheduled, django_capture_on_commit_callbacks)
    scheduled.meeting.refresh_from_db()
    assert scheduled.meeting.status == MeetingStatus.PUBLISHED and version.number == 1
    assert len(version.snapshot["appointments"]) == 8
    recipients = {m.to[0] for m in mail.outbox}
    expected = {u.email for u in [*scheduled.members, scheduled.gsdf_user, scheduled.atla_user]}
    assert recipients == expected
    atla_mail = next(m for m in mail.outbox if m.to[0] == scheduled.atla_user.email)
    assert atla_mail.subject.startswith("Final agenda") and atla_mail.body.count(" × ATLA") == 4
    first_mail = next(m for m in mail.outbox if m.to[0] == scheduled.members[0].email)
    assert first_mail.body.count("株式会社そらみる × ") == 2


def test_an_update_tells_only_those_concerned_what_changed(scheduled, django_capture_on_commit_callbacks):
    publish(scheduled, django_capture_on_commit_callbacks)
    with pytest.raises(MeetingError):
        meeting_publish(meeting=scheduled.meeting, actor=scheduled.admin)  # nothing changed yet
    services.meeting_update(meeting=scheduled.meeting, actor=scheduled.admin, rooms=["A", "B", "C"])
    moved = Appointment.objects.filter(meeting=scheduled.meeting, unit=scheduled.atla).order_by("starts_at").first()
    room_c = scheduled.meeting.rooms.get(name="C")
    editing.appointment_move(appointment=moved, slot_key=moved.slot_key, room=room_c, actor=scheduled.admin)
    assert len(pending_changes(scheduled.meeting)["moved"]) == 1
    mail.outbox.clear()
    version = publish(scheduled, django_capture_on_commit_callbacks)
    assert version.number == 2 and len(version.changes["moved"]) == 1
    member = next(
        m for m, s in zip(scheduled.members, scheduled.startups, strict=True) if s.pk == moved.invitation.startup_id
    )
    assert {m.to[0] for m in mail.outbox} == {member.email, scheduled.atla_user.email}
    atla_mail = next(m for m in mail.outbox if m.to[0] == scheduled.atla_user.email)
    assert "version 2" in atla_mail.subject and "Moved:" in atla_mail.body and " C" in atla_mail.body
    assert AgendaVersion.objects.filter(meeting=scheduled.meeting).count() == 2


def test_a_draft_without_appointments_is_not_published(invited):
    with pytest.raises(MeetingError):
        meeting_publish(meeting=invited.meeting, actor=invited.admin)
    assert not AgendaVersion.objects.exists()


def test_snapshots_are_json_and_in_time_order(scheduled):
    rows = snapshot(scheduled.meeting)["appointments"]
    assert [r["start"] for r in rows] == sorted(r["start"] for r in rows)


def test_a_removed_appointment_is_listed_as_removed_for_both_sides(scheduled, django_capture_on_commit_callbacks):
    publish(scheduled, django_capture_on_commit_callbacks)
    gone = Appointment.objects.filter(meeting=scheduled.meeting, unit=scheduled.gsdf).first()
    editing.appointment_remove(appointment=gone, actor=scheduled.admin)
    mail.outbox.clear()
    publish(scheduled, django_capture_on_commit_callbacks)
    member = scheduled.members[scheduled.startups.index(gone.invitation.startup)]
    assert {m.to[0] for m in mail.outbox} == {member.email, scheduled.gsdf_user.email}
    gsdf_mail = next(m for m in mail.outbox if m.to[0] == scheduled.gsdf_user.email)
    assert "取消:" in gsdf_mail.body and gone.invitation.startup.name in gsdf_mail.body.split("取消:")[1]
