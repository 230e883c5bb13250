"""The admin's timetable: the grid (rooms × slots, per day), scheduling runs and their progress, editing one
appointment (move with a conflict preview, swap, lock, remove), adding one by hand, and publishing."""

from datetime import datetime
from itertools import islice

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.decorators import permission_required
from matchmaking import scheduling as core
from matchmaking.meetings import editing, scheduling, selectors, versions
from matchmaking.meetings.enums import ScheduleRunStatus
from matchmaking.meetings.errors import MeetingError
from matchmaking.meetings.exports import FORMATS
from matchmaking.meetings.forms import AddForm, PlacementForm, SwapForm, appointment_label
from matchmaking.meetings.slots import TOKYO
from matchmaking.meetings.views.common import confirm, fetch_appointment_meeting, fetch_meeting, refused
from matchmaking.models import Appointment, Invitation, JointMeeting, MeetingUnit

REASONS = {
    core.NO_COMMON_SLOT: gettext_lazy("No common free slot"),
    core.CAPACITY: gettext_lazy("No room left: the common slots are taken"),
    core.DUPLICATE_PAIR: gettext_lazy("The pair already has a meeting"),
    core.UNKNOWN_PARTICIPANT: gettext_lazy("The invitee or unit no longer takes part"),
    core.TIME_LIMIT: gettext_lazy("The solver ran out of time"),
    # left out before solving (meetings.scheduling.scheduling_scope)
    scheduling.NOT_ACCEPTED: gettext_lazy("The invitee has not accepted the invitation yet"),
    scheduling.NO_ACCOUNT: gettext_lazy(
        "The invitee has no portal account, so it cannot accept: ask it to register, or add the meeting by hand"
    ),
    scheduling.INVITATION_DECLINED: gettext_lazy("The invitee declined the invitation"),
    scheduling.DECLINED_BY_UNIT: gettext_lazy("The unit said no thanks"),
}
RUNNING = {ScheduleRunStatus.QUEUED, ScheduleRunStatus.RUNNING}


def _named(rows: list[dict], units: dict) -> list[dict]:
    """Rows of {"invitation", "unit", "reason"} with names and translated reasons (one query at most)."""
    if not rows:
        return []
    invitations = Invitation.objects.select_related("startup", "organisation").in_bulk(
        [row["invitation"] for row in rows]
    )
    return [
        {
            "invitee": invitations[row["invitation"]].invitee_name if row["invitation"] in invitations else "—",
            "unit": units[row["unit"]].display_name if row["unit"] in units else "—",
            "reason": REASONS.get(row["reason"], row["reason"]),
        }
        for row in rows
    ]


def _run_rows(run, *, left_out: bool) -> list[dict]:
    """The run's requests it could not place (left_out=False) or did not try (left_out=True)."""
    return [row for row in (run.unplaced if run else []) if bool(row.get("left_out")) == left_out]


def _left_out_now(meeting: JointMeeting) -> list[dict]:
    """The requests the next run would leave out, and why."""
    _included, left_out = scheduling.scheduling_scope(meeting)
    return [{"invitation": r.request.invitation_id, "unit": r.request.unit_id, "reason": r.reason} for r in left_out]


@permission_required("matchmaking.view_timetable", fetch=fetch_meeting)
def timetable(request, pk: int, obj: JointMeeting):
    """The grid and the latest run; editing controls and downloads for admins only (curators read)."""
    grid = selectors.timetable(obj)
    days: dict = {}
    for slot, cells in grid.rows:
        days.setdefault(slot.day, []).append((slot, list(zip(cells, grid.rooms, strict=True))))
    run = selectors.latest_run(obj)
    meeting_units = list(selectors.meeting_units(obj))
    # Three lists of requests, named together: one query for their invitations.
    lists = (_run_rows(run, left_out=False), _run_rows(run, left_out=True), _left_out_now(obj))
    named = iter(_named([row for rows in lists for row in rows], {mu.unit_id: mu.unit for mu in meeting_units}))
    unplaced, run_left_out, left_out = (list(islice(named, len(rows))) for rows in lists)
    context = {
        "flagged": _unavailable_placed(meeting_units, grid),
        "meeting": obj,
        "rooms": grid.rooms,
        "days": list(days.items()),
        "waiting": grid.unplaced_requests,
        "run": run,
        "running": run is not None and run.status in RUNNING,
        "unplaced": unplaced,
        "run_left_out": run_left_out,
        "left_out": left_out,
        "version": selectors.latest_version(obj),
        "changes": versions.pending_changes(obj),
        "formats": list(FORMATS),
        "can_manage": request.user.has_perm("matchmaking.manage_meetings"),
    }
    return render(request, "matchmaking/meetings/timetable.html", context)


def _unavailable_placed(meeting_units: list, grid) -> set[int]:
    """Appointments in a slot their invitee or unit has since said it cannot make: the admin should move them."""
    unit_off = {mu.unit_id: set(mu.unavailable_slots) for mu in meeting_units}
    placed = [a for _slot, cells in grid.rows for a in cells if a is not None]
    return {
        a.pk
        for a in placed
        if a.slot_key in a.invitation.unavailable_slots or a.slot_key in unit_off.get(a.unit_id, ())
    }


@require_POST
@permission_required("matchmaking.manage_meetings", fetch=fetch_meeting)
def schedule(request, pk: int, obj: JointMeeting):
    try:
        scheduling.schedule_enqueue(meeting=obj, actor=request.user)
    except MeetingError as error:
        refused(request, error)
    else:
        messages.success(request, _("Scheduling has started; the timetable follows when it is done."))
    return redirect("meetings:timetable", pk=pk)


@permission_required("matchmaking.view_timetable", fetch=fetch_meeting)
def schedule_status(request, pk: int, obj: JointMeeting):
    """The latest run as JSON, for the timetable page's progress (polled by static/js/meetings.js)."""
    run = selectors.latest_run(obj)
    if run is None:
        return JsonResponse({"status": None})
    fields = ("status", "solver_status", "objective", "bound", "gap", "placed", "idle_slots", "seconds")
    data = {name: getattr(run, name) for name in fields}
    left_out = scheduling.left_out_count(run)
    data.update(status_label=run.get_status_display(), unplaced=len(run.unplaced) - left_out, error=run.error)
    data["left_out"] = left_out
    return JsonResponse(data)


def _appointment(meeting: JointMeeting, appointment_pk: int) -> Appointment:
    return get_object_or_404(selectors.appointments(meeting).select_related("request__need"), pk=appointment_pk)


@permission_required("matchmaking.manage_meetings", fetch=fetch_appointment_meeting)
def appointment_detail(request, pk: int, appointment_pk: int, obj: JointMeeting):
    """One appointment: move it (preview the conflicts first), swap it, lock or unlock it, remove it."""
    appointment = _appointment(obj, appointment_pk)
    initial = {"slot": appointment.slot_key, "room": appointment.room_id}
    move_form = PlacementForm(request.POST if request.method == "POST" else None, meeting=obj, initial=initial)
    swap_form = SwapForm(request.POST if request.method == "POST" else None, appointment=appointment)
    preview = None
    action = request.POST.get("action")
    if request.method == "POST" and action in {"preview", "move"} and move_form.is_valid():
        slot, room = move_form.slot_object(), move_form.cleaned_data["room"]
        if action == "preview":
            hard, warnings = editing.check_placement(
                obj,
                invitation=appointment.invitation,
                unit_id=appointment.unit_id,
                slot=slot,
                room=room,
                ignore={appointment.pk},
            )
            preview = {"hard": hard, "warnings": warnings}
        else:
            try:
                result = editing.appointment_move(
                    appointment=appointment, slot_key=slot.key, room=room, actor=request.user
                )
            except MeetingError as error:
                move_form.add_error(None, error)
            else:
                return _done(request, obj, _("The meeting was moved."), result.warnings)
    elif request.method == "POST" and action == "swap" and swap_form.is_valid():
        try:
            result = editing.appointment_swap(
                first=appointment, second=swap_form.cleaned_data["other"], actor=request.user
            )
        except MeetingError as error:
            swap_form.add_error(None, error)
        else:
            return _done(request, obj, _("The two meetings were swapped."), result.warnings)
    elif request.method == "POST" and action in {"lock", "unlock"}:
        try:
            editing.appointment_lock(appointment=appointment, actor=request.user, locked=action == "lock")
        except MeetingError as error:
            refused(request, error)
        else:
            text = _("The meeting is locked.") if action == "lock" else _("The meeting is unlocked.")
            return _done(request, obj, text, [])
    context = {
        "meeting": obj,
        "appointment": appointment,
        "label": appointment_label(appointment),
        "move_form": move_form if action in {"preview", "move"} else PlacementForm(meeting=obj, initial=initial),
        "swap_form": swap_form if action == "swap" else SwapForm(appointment=appointment),
        "preview": preview,
    }
    return render(request, "matchmaking/meetings/appointment.html", context)


def _done(request, meeting: JointMeeting, text: str, warnings: list[str]):
    messages.success(request, text)
    for warning in warnings:
        messages.warning(request, warning)
    return redirect("meetings:timetable", pk=meeting.pk)


@require_POST
@permission_required("matchmaking.manage_meetings", fetch=fetch_appointment_meeting)
def appointment_drop(request, pk: int, appointment_pk: int, obj: JointMeeting):
    """A drag-and-drop move from the grid (static/js/meetings.js posts the target slot and room)."""
    appointment = _appointment(obj, appointment_pk)
    form = PlacementForm(request.POST, meeting=obj)
    if not form.is_valid():
        messages.error(request, _("Choose a slot and a room of this meeting."))
        return redirect("meetings:timetable", pk=pk)
    try:
        result = editing.appointment_move(
            appointment=appointment,
            slot_key=form.cleaned_data["slot"],
            room=form.cleaned_data["room"],
            actor=request.user,
        )
    except MeetingError as error:
        refused(request, error)
        return redirect("meetings:timetable", pk=pk)
    return _done(request, obj, _("The meeting was moved."), result.warnings)


@permission_required("matchmaking.manage_meetings", fetch=fetch_appointment_meeting)
def appointment_remove(request, pk: int, appointment_pk: int, obj: JointMeeting):
    appointment = _appointment(obj, appointment_pk)
    back = reverse("meetings:appointment", args=[pk, appointment_pk])
    if request.method != "POST":
        return confirm(
            request,
            title=_("Remove the meeting"),
            text=_("Remove %(meeting)s from the timetable? The request stays; the next run may place it again.")
            % {"meeting": appointment_label(appointment)},
            button=_("Remove"),
            cancel_url=back,
        )
    try:
        editing.appointment_remove(appointment=appointment, actor=request.user)
    except MeetingError as error:
        refused(request, error)
        return redirect(back)
    return _done(request, obj, _("The meeting was removed."), [])


@permission_required("matchmaking.manage_meetings", fetch=fetch_meeting)
def appointment_add(request, pk: int, obj: JointMeeting):
    initial = {"slot": request.GET.get("slot"), "room": request.GET.get("room")}
    form = AddForm(request.POST if request.method == "POST" else None, meeting=obj, initial=initial)
    preview = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        unit: MeetingUnit = data["unit"]
        if request.POST.get("action") == "preview":
            hard, warnings = editing.check_placement(
                obj, invitation=data["invitation"], unit_id=unit.unit_id, slot=form.slot_object(), room=data["room"]
            )
            preview = {"hard": hard, "warnings": warnings}
        else:
            try:
                result = editing.appointment_add(
                    meeting=obj,
                    invitation=data["invitation"],
                    unit_id=unit.unit_id,
                    slot_key=data["slot"],
                    room=data["room"],
                    actor=request.user,
                )
            except MeetingError as error:
                form.add_error(None, error)
            else:
                return _done(request, obj, _("The meeting was added."), result.warnings)
    return render(
        request, "matchmaking/meetings/appointment_add.html", {"meeting": obj, "form": form, "preview": preview}
    )


@permission_required("matchmaking.manage_meetings", fetch=fetch_meeting)
def publish(request, pk: int, obj: JointMeeting):
    """First publication: the draft becomes the final agenda. Later: an update listing the pending changes."""
    latest = selectors.latest_version(obj)
    if request.method != "POST":
        changes = versions.pending_changes(obj)
        items = _change_lines(obj, changes) if changes else []
        if latest is None:
            text = _("Publish the draft agenda as final? Every participant will be notified.")
        else:
            text = _("Publish these changes as version %(number)s? The participants concerned will be told.") % {
                "number": latest.number + 1
            }
        return confirm(
            request,
            title=_("Publish the agenda"),
            text=text,
            button=_("Publish"),
            cancel_url=reverse("meetings:timetable", args=[pk]),
            items=items,
        )
    try:
        version = versions.meeting_publish(meeting=obj, actor=request.user)
    except MeetingError as error:
        refused(request, error)
    else:
        messages.success(request, _("Version %(number)s of the agenda was published.") % {"number": version.number})
    return redirect("meetings:timetable", pk=pk)


def _change_lines(meeting: JointMeeting, changes: dict) -> list[str]:
    """Readable lines for the changes since the last version (names looked up in two queries)."""
    invitations = {i.pk: i.invitee_name for i in selectors.invitations(meeting)}
    units = {mu.unit_id: mu.unit.display_name for mu in selectors.meeting_units(meeting)}

    def who(row):
        return f"{invitations.get(row['invitation'], '—')} × {units.get(row['unit'], '—')}"

    def when(row):
        start = datetime.fromisoformat(row["start"]).astimezone(TOKYO)  # snapshots store UTC
        return f"{start:%Y-%m-%d %H:%M} {row['room_name']}"

    lines = [_("Added: %(who)s at %(when)s") % {"who": who(r), "when": when(r)} for r in changes["added"]]
    lines += [_("Removed: %(who)s (was %(when)s)") % {"who": who(r), "when": when(r)} for r in changes["removed"]]
    lines += [
        _("Moved: %(who)s from %(before)s to %(after)s")
        % {"who": who(m["after"]), "before": when(m["before"]), "after": when(m["after"])}
        for m in changes["moved"]
    ]
    return lines
