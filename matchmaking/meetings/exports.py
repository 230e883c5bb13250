"""A meeting's agenda as an `agenda.Agenda` (whole, or one participant's) and its files (XLSX, CSV, PDF, ICS)
through the exporters of `matchmaking.agenda`."""

from dataclasses import dataclass
from datetime import datetime

from django.utils import translation

from accounts import audit
from matchmaking import agenda as exporters
from matchmaking.meetings import selectors
from matchmaking.meetings.selectors import Participant
from matchmaking.models import JointMeeting
from matchmaking.rules import shown_need

FORMATS = {
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", exporters.to_xlsx),
    "csv": ("text/csv; charset=utf-8", exporters.to_csv),
    "pdf": ("application/pdf", exporters.to_pdf),
    "ics": ("text/calendar; charset=utf-8", exporters.to_ics),
}


@dataclass(frozen=True)
class ExportedFile:
    content: bytes
    content_type: str
    filename: str


def agenda_for(meeting: JointMeeting, participant: Participant | None = None, *, viewer=None) -> exporters.Agenda:
    """The agenda (every appointment, or the participant's own) with the current published version number
    (0 while it is a draft): the iCalendar SEQUENCE, so calendars take the newer revision. A request's need
    is named only if `viewer` may see it (None, e.g. the command line: only what anyone may see)."""
    latest = selectors.latest_version(meeting)
    head = exporters.AgendaMeeting(
        id=meeting.pk,
        number=meeting.number,
        title=meeting.display_title,  # in the language of the export (the caller overrides it)
        venue=meeting.venue_text,
        days=[day.date for day in meeting.days.all()],
        version=latest.number if latest else 0,
    )
    items, pairs = [], set()
    for appointment in selectors.appointments(meeting, participant=participant):
        pairs.add((appointment.invitation_id, appointment.unit_id))
        invitee = appointment.invitation.startup or appointment.invitation.organisation
        need = shown_need(viewer, appointment.request.need if appointment.request_id else None)
        items.append(
            exporters.AgendaItem(
                uid_key=f"{appointment.invitation_id}-{appointment.unit_id}",  # the pair: survives re-runs
                start=appointment.starts_at,
                end=appointment.ends_at,
                room=appointment.room.name,
                startup_name=invitee.name,
                startup_name_en=invitee.name_en,
                unit_name=appointment.unit.name,
                unit_name_en=appointment.unit.name_en,
                need_ref=need.ref if need else "",
                need_title=need.title if need else "",
            )
        )
    cancelled = _cancelled(meeting, participant, pairs)
    name = participant.name if participant else ""
    return exporters.Agenda(meeting=head, items=items, participant=name, cancelled=cancelled)


def _cancelled(meeting: JointMeeting, participant: Participant | None, current: set) -> list[exporters.AgendaItem]:
    """The appointments some published version had whose pair the agenda no longer has (the participant's
    only), as last published: calendars that imported them are told they are off."""
    gone: dict = {}
    for version in meeting.agenda_versions.order_by("number"):
        for row in version.snapshot.get("appointments", []):
            gone[(row["invitation"], row["unit"])] = row
    if participant is not None:
        gone = {pair: row for pair, row in gone.items() if _concerns(participant, pair)}
    gone = {pair: row for pair, row in gone.items() if pair not in current}
    if not gone:
        return []
    invitees = {i.pk: i.startup or i.organisation for i in selectors.invitations(meeting)}
    units = {mu.unit_id: mu.unit for mu in selectors.meeting_units(meeting)}
    return [
        exporters.AgendaItem(
            uid_key=f"{invitation_id}-{unit_id}",
            start=datetime.fromisoformat(row["start"]),
            end=datetime.fromisoformat(row["end"]),
            room=row.get("room_name", ""),
            startup_name=invitees[invitation_id].name if invitation_id in invitees else "—",
            startup_name_en=invitees[invitation_id].name_en if invitation_id in invitees else "",
            unit_name=units[unit_id].name if unit_id in units else "—",
            unit_name_en=units[unit_id].name_en if unit_id in units else "",
        )
        for (invitation_id, unit_id), row in gone.items()
    ]


def _concerns(participant: Participant, pair: tuple[int, int]) -> bool:
    if participant.invitation is not None:
        return pair[0] == participant.invitation.pk
    return pair[1] == participant.meeting_unit.unit_id


def export_agenda(
    meeting: JointMeeting,
    fmt: str,
    *,
    language: str = "ja",
    participant: Participant | None = None,
    actor=None,
) -> ExportedFile:
    """The agenda file in `fmt` (a key of FORMATS; KeyError otherwise) as `actor` may read it, recorded in the
    audit trail as an export by `actor` (None: the command line)."""
    content_type, render = FORMATS[fmt]
    with translation.override(language):
        agenda = agenda_for(meeting, participant, viewer=actor)
    suffix = f"-{'i' if participant.invitation else 'u'}{_participant_id(participant)}" if participant else ""
    exported = ExportedFile(render(agenda, language), content_type, f"meeting-{meeting.number}{suffix}.{fmt}")
    whose = f"agenda of {suffix[1:]}" if participant else "whole agenda"  # i12: invitation 12, u3: unit 3
    note = f"{fmt} ({language}), {whose}, {len(agenda.items)} appointments"
    audit.record(actor, audit.Action.EXPORT, meeting, note=note)
    return exported


def _participant_id(participant: Participant) -> int:
    return participant.invitation.pk if participant.invitation else participant.meeting_unit.unit_id
