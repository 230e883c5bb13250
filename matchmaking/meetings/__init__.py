"""Joint promotion meetings (合同推進会): from invitation to printed agenda. Service API for pages, API, tasks.

Models (`matchmaking.models`): JointMeeting (number, title/title_en, kind, status, venue, online_url,
slot_minutes, breaks, reply_by) with MeetingDay (date, opens_at, closes_at), MeetingRoom (name, unit: a unit's
own table), MeetingUnit (attending unit, unavailable_slots), Invitation (startup XOR VC organisation, status,
reply_by, unavailable_slots), MeetingRequest (invitation ↔ unit, priority, origin, need, declined_at = "no
thanks"), Appointment (invitation, unit, request, room, starts_at, ends_at, locked), ScheduleRun (status and
the solver's result), AgendaVersion (number, snapshot, changes). Codes in `meetings.enums`.

Slots (`meetings.slots`): `meeting_slots(meeting)` → [MeetingSlot(start, end)], `.key` "YYYY-MM-DDTHH:MM"
(Japan time) names a slot in availability lists and edits; `compute_slots(days, minutes, breaks)` is pure;
`parse_breaks("12:00-13:00, 15:00-15:15")`.

Writes — every one keyword-only, raising `errors.MeetingError` (a ValidationError with translated messages;
nothing changed) on bad state or input; authorisation is the caller's (rules below), except replies:
- `services.meeting_create(actor, number, title, days=[(date, opens, closes)], rooms=[name | (name, unit)],
  kind, title_en, venue, online_url, slot_minutes, breaks, reply_by, notes, units)`;
  `services.meeting_update(meeting, actor, days=, rooms=, breaks=, **MEETING_FIELDS)`;
  `services.meeting_transition(meeting, to, actor)` (planning → inviting → scheduled → published → held;
  to=published delegates to `versions.meeting_publish`); `services.meeting_units_set(meeting, units, actor)`.
- `services.invitation_create(meeting, actor, startups=, organisations=, reply_by=, message=)` → new
  invitations, e-mailed after commit (moves a planning meeting to inviting);
  `services.invitation_respond(invitation, actor, accept)` (members only: PermissionDenied otherwise);
  `services.invitations_remind_due(on=)` (beat task).
- `services.availability_set(actor, unavailable=[slot keys], invitation= | meeting_unit=)` → appointments now
  in unavailable slots.
- `services.request_set(meeting, invitation, unit, actor, priority, origin, need, note)`,
  `services.request_decline(request, actor, declined=True)`, `services.requests_propose(meeting, actor,
  per_unit=5, min_score=0.3)` (shortlists → must meet; match ranking → want to meet; the need a request names
  is always one the startup may see, `needs.rules.startup_needs_q`).
- `scheduling.schedule_enqueue(meeting, actor, time_limit_s=20)` → ScheduleRun (queued; task runs after
  commit); `scheduling.schedule_run(run_id=)` is the task body.
- `editing.appointment_move(appointment, slot_key, room, actor)`, `editing.appointment_swap(first, second,
  actor)`, `editing.appointment_lock(appointment, actor, locked=True)`, `editing.appointment_remove(appointment,
  actor)`, `editing.appointment_add(meeting, invitation, unit_id, slot_key, room, actor)` → `EditResult
  (appointments, warnings)`; `editing.check_placement(...)` → (hard conflicts, warnings) for a grid preview.
- `versions.meeting_publish(meeting, actor)` → AgendaVersion (first: scheduled → published; later: an update
  with the changes since the last version; participants notified after commit); `versions.pending_changes`.

Reads (`meetings.selectors`): `meetings_for(user)` (list, counts annotated), `meetings_visible_q(user)`,
`participant_of(user, meeting)` → Participant(invitation | meeting_unit) or None, `appointments(meeting,
participant=None)`, `invitations(meeting)`, `meeting_units(meeting)`, `requests(meeting, unit_id=)`,
`latest_run(meeting)`, `latest_version(meeting)`, `invitation_candidates(meeting, viewer=)`, `timetable(meeting)`.

What a person is shown (DESIGN.md §3): every page, file and e-mail that names a need passes it through
`matchmaking.rules.shown_need(viewer, need)` (a hidden need shows as nothing), and every score number through
`shown_score(viewer, need, score)` (`can_view_score`: government users, for needs they may see).

Exports (`meetings.exports`): `agenda_for(meeting, participant=None, viewer=None)` → agenda.Agenda;
`export_agenda(meeting, fmt, language, participant=None, actor=None)` → (bytes, content type, filename), fmt in
FORMATS (xlsx, csv, pdf, ics); `briefing.briefing_pdf(meeting, meeting_unit, language, actor=None)` → bytes. Both
name only the needs their reader (`actor`; None: anyone) may see.

Audit trail (`accounts.audit`): every write above records who did what (create, update, transition with the old
and new status, delete of an appointment), a scheduling run when queued and its result on the meeting, and
each agenda or briefing export (actor None: the command line). A refused write records nothing.

Permissions (`meetings.rules`, django-rules): matchmaking.manage_meetings (portal admins: create, edit,
invite, schedule, edit the timetable, publish, export the whole meeting), matchmaking.view_meetings,
matchmaking.view_meeting (obj: meeting; admin or participant), matchmaking.respond_invitation (obj:
invitation), matchmaking.set_invitee_availability (obj: invitation), matchmaking.set_unit_availability and
matchmaking.manage_unit_requests (obj: MeetingUnit; that unit's need authors/reviewers, or admins).
"""
