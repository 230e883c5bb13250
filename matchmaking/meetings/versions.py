"""Published agendas: snapshots, the diff between two of them, and publishing (first and update).

An appointment is identified across versions by its pair (invitee, unit): each pair meets at most once, and a
re-run of the scheduler recreates rows, so primary keys do not survive while pairs do."""

from django.db import transaction
from django.utils.translation import gettext as _

from accounts import audit, outbox
from matchmaking.meetings.enums import MeetingStatus
from matchmaking.meetings.errors import MeetingError
from matchmaking.meetings.services import lock_meeting
from matchmaking.models import AgendaVersion, JointMeeting


def snapshot(meeting: JointMeeting) -> dict:
    """The appointments as plain JSON data, in time order."""
    rows = meeting.appointments.select_related("room").order_by("starts_at", "room__position", "room__name", "pk")
    return {
        "appointments": [
            {
                "id": a.pk,
                "invitation": a.invitation_id,
                "unit": a.unit_id,
                "room": a.room_id,
                "room_name": a.room.name,
                "start": a.starts_at.isoformat(),
                "end": a.ends_at.isoformat(),
            }
            for a in rows
        ]
    }


def _by_pair(snap: dict) -> dict[tuple[int, int], dict]:
    return {(row["invitation"], row["unit"]): row for row in (snap or {}).get("appointments", [])}


def diff(old: dict, new: dict) -> dict:
    """{"added": [row], "removed": [row], "moved": [{"before": row, "after": row}]}: what changed from `old` to
    `new` (a move is a new time or room for the same pair)."""
    before, after = _by_pair(old), _by_pair(new)
    moved = [
        {"before": before[pair], "after": after[pair]}
        for pair in sorted(before.keys() & after.keys())
        if (before[pair]["start"], before[pair]["room"]) != (after[pair]["start"], after[pair]["room"])
    ]
    return {
        "added": [after[pair] for pair in sorted(after.keys() - before.keys())],
        "removed": [before[pair] for pair in sorted(before.keys() - after.keys())],
        "moved": moved,
    }


def diff_for(changes: dict, *, invitation_id: int | None = None, unit_id: int | None = None) -> dict:
    """The part of a diff that concerns one participant (an invitee or a unit)."""

    def mine(row: dict) -> bool:
        return row["invitation"] == invitation_id if invitation_id is not None else row["unit"] == unit_id

    return {
        "added": [row for row in changes.get("added", []) if mine(row)],
        "removed": [row for row in changes.get("removed", []) if mine(row)],
        "moved": [pair for pair in changes.get("moved", []) if mine(pair["after"])],
    }


def is_empty(changes: dict) -> bool:
    return not any(changes.get(key) for key in ("added", "removed", "moved"))


def pending_changes(meeting: JointMeeting) -> dict | None:
    """What changed since the last published version (None before the first publication)."""
    latest = meeting.agenda_versions.order_by("-number").first()
    return None if latest is None else diff(latest.snapshot, snapshot(meeting))


@transaction.atomic
def meeting_publish(*, meeting: JointMeeting, actor) -> AgendaVersion:
    """Publish the agenda: the first time, the draft (scheduled) becomes final (published) as version 1 and
    every participant is told; afterwards, the changes since the last version become the next version and
    each participant concerned is told what changed for it. E-mails go after commit."""
    meeting = lock_meeting(meeting)
    latest = meeting.agenda_versions.order_by("-number").first()
    current = snapshot(meeting)
    status_before = meeting.status
    if meeting.status == MeetingStatus.SCHEDULED and latest is None:
        if not current["appointments"]:
            raise MeetingError(_("The draft agenda has no appointments to publish."))
        changes = diff({}, current)
        meeting.status = MeetingStatus.PUBLISHED
        meeting.save(update_fields=["status", "updated_at"])
    elif meeting.status == MeetingStatus.PUBLISHED and latest is not None:
        changes = diff(latest.snapshot, current)
        if is_empty(changes):
            raise MeetingError(
                _("Nothing changed since version %(number)s; there is no update to publish.")
                % {"number": latest.number}
            )
    else:
        raise MeetingError(_("Only a scheduled meeting's draft agenda can be published."))
    version = AgendaVersion.objects.create(
        meeting=meeting,
        number=(latest.number if latest else 0) + 1,
        snapshot=current,
        changes=changes,
        created_by=actor,
    )
    recorded = {"agenda_version": [latest.number if latest else None, version.number]}
    if meeting.status != status_before:
        recorded["status"] = [status_before, meeting.status]
    counts = ", ".join(f"{len(changes[key])} {key}" for key in ("added", "removed", "moved"))
    audit.record(actor, audit.Action.TRANSITION, meeting, recorded, note=f"agenda version {version.number}: {counts}")
    outbox.enqueue("matchmaking.send_agenda_version", {"version_id": version.pk})
    return version
