"""Writes for joint promotion meetings: the meeting and its state machine, units, invitations and replies,
availability, and meeting requests. Every function is keyword-only, checks the meeting's state, refuses bad
input with a translated `MeetingError` (nothing changed), and sends e-mail only after commit."""

from collections.abc import Iterable, Sequence
from datetime import date, time, timedelta

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit, outbox
from accounts.enums import OrganisationKind
from accounts.models import Organisation
from matchmaking.meetings.enums import (
    MEETING_TRANSITIONS,
    REPLY_OPEN,
    InvitationStatus,
    MeetingKind,
    MeetingStatus,
    RequestOrigin,
    RequestPriority,
)
from matchmaking.meetings.errors import MeetingError
from matchmaking.meetings.rules import is_invitee_member
from matchmaking.meetings.slots import meeting_slots, parse_breaks
from matchmaking.models import (
    Appointment,
    Invitation,
    JointMeeting,
    MeetingDay,
    MeetingRequest,
    MeetingRoom,
    MeetingUnit,
)
from needs.models import Need
from needs.rules import startup_needs_q

UNIT_KINDS = {OrganisationKind.MOD_UNIT, OrganisationKind.ATLA}
REMINDER_DAYS = 2  # pending invitations are reminded this many days before their reply-by date (once)

MEETING_FIELDS = ("title", "title_en", "kind", "venue", "online_url", "slot_minutes", "reply_by", "notes")


def today() -> date:
    return timezone.localdate()


def lock_meeting(meeting: JointMeeting) -> JointMeeting:
    """Re-read the meeting under a row lock: timetable writes of one meeting happen one at a time."""
    return JointMeeting.objects.select_for_update().get(pk=meeting.pk)


# --- The meeting ---------------------------------------------------------------------------------------------------


def _grid(meeting: JointMeeting) -> dict:
    """Days and rooms as plain data, for the audit trail (they live in rows of their own, not in the meeting)."""
    return {
        "days": [f"{d.date} {d.opens_at:%H:%M}-{d.closes_at:%H:%M}" for d in meeting.days.order_by("date")],
        "rooms": [f"{r.name} ({r.unit_id})" if r.unit_id else r.name for r in meeting.rooms.order_by("position")],
    }


def _set_days(meeting: JointMeeting, days: Sequence[tuple[date, time, time]]) -> None:
    if not days:
        raise MeetingError(_("A meeting needs at least one day."))
    if len({entry[0] for entry in days}) != len(days):
        raise MeetingError(_("Each day may be given only once."))
    for day, opens, closes in days:
        if closes <= opens:
            raise MeetingError(_("On %(day)s the closing time must be after the opening time.") % {"day": day})
    meeting.days.all().delete()
    MeetingDay.objects.bulk_create(
        MeetingDay(meeting=meeting, date=day, opens_at=opens, closes_at=closes) for day, opens, closes in days
    )


def _set_rooms(meeting: JointMeeting, rooms: Sequence[str | tuple[str, Organisation | None]]) -> None:
    """Rooms by name (kept, so appointments keep theirs); a room gone from the list must have no appointments."""
    wanted = [(room, None) if isinstance(room, str) else room for room in rooms]
    names = [name.strip() for name, _unit in wanted]
    if not names or any(not name for name in names):
        raise MeetingError(_("A meeting needs at least one room or table, each with a name."))
    if len(set(names)) != len(names):
        raise MeetingError(_("Each room or table needs its own name."))
    if any(unit is not None and unit.kind not in UNIT_KINDS for _name, unit in wanted):
        raise MeetingError(_("Only MOD units, the Internal Bureau and ATLA can attend as units."))
    gone = meeting.rooms.exclude(name__in=names)
    if Appointment.objects.filter(room__in=gone).exists():
        raise MeetingError(_("A room that still has appointments cannot be removed; move them first."))
    gone.delete()
    for position, (name, (_name, unit)) in enumerate(zip(names, wanted, strict=True)):
        MeetingRoom.objects.update_or_create(meeting=meeting, name=name, defaults={"position": position, "unit": unit})


def _normalise_breaks(breaks: str | Sequence[dict]) -> list[dict]:
    try:
        return (
            parse_breaks(breaks)
            if isinstance(breaks, str)
            else parse_breaks(", ".join(f"{b['start']}-{b['end']}" for b in breaks))
        )
    except (ValueError, KeyError, TypeError):
        raise MeetingError(_("Breaks are written as 12:00-13:00, separated by commas.")) from None


@transaction.atomic
def meeting_create(
    *,
    actor,
    number: int,
    title: str,
    days: Sequence[tuple[date, time, time]],
    rooms: Sequence[str | tuple[str, Organisation | None]],
    kind: str = MeetingKind.STARTUP_SESSION,
    title_en: str = "",
    venue: str = "",
    online_url: str = "",
    slot_minutes: int = 30,
    breaks: str | Sequence[dict] = (),
    reply_by: date | None = None,
    notes: str = "",
    units: Iterable[Organisation] = (),
) -> JointMeeting:
    """Create a meeting in `planning` with its days (date, opens, closes), rooms (names, or (name, unit) for a
    unit's own table) and attending units."""
    if JointMeeting.objects.filter(number=number).exists():
        raise MeetingError(_("Meeting number %(number)s already exists.") % {"number": number})
    if slot_minutes < 5:
        raise MeetingError(_("A slot lasts at least 5 minutes."))
    meeting = JointMeeting.objects.create(
        number=number,
        title=title,
        title_en=title_en,
        kind=kind,
        venue=venue,
        online_url=online_url,
        slot_minutes=slot_minutes,
        breaks=_normalise_breaks(breaks),
        reply_by=reply_by,
        notes=notes,
        created_by=actor,
    )
    _set_days(meeting, days)
    _set_rooms(meeting, rooms)
    grid = _grid(meeting)
    audit.record_created(actor, meeting, note=f"days: {grid['days']}, rooms: {grid['rooms']}")
    meeting_units_set(meeting=meeting, units=units, actor=actor)
    return meeting


@transaction.atomic
def meeting_update(
    *,
    meeting: JointMeeting,
    actor,
    days: Sequence[tuple[date, time, time]] | None = None,
    rooms: Sequence[str | tuple[str, Organisation | None]] | None = None,
    breaks: str | Sequence[dict] | None = None,
    **fields,
) -> JointMeeting:
    """Change the meeting's details (MEETING_FIELDS), days, rooms or breaks. The time grid (days, slot length,
    breaks) is frozen once appointments exist, so that no appointment falls outside the slots."""
    meeting = lock_meeting(meeting)
    if meeting.status == MeetingStatus.HELD:
        raise MeetingError(_("A meeting that was held cannot be changed."))
    unknown = set(fields) - set(MEETING_FIELDS)
    if unknown:
        raise TypeError(f"meeting_update got unknown fields {sorted(unknown)}")
    current_days = [(d.date, d.opens_at, d.closes_at) for d in meeting.days.all()]
    new_breaks = _normalise_breaks(breaks) if breaks is not None else meeting.breaks
    # A form sends every field back: only a real change of the time grid counts.
    grid_changes = (
        (days is not None and sorted(days) != current_days)
        or new_breaks != meeting.breaks
        or int(fields.get("slot_minutes", meeting.slot_minutes)) != meeting.slot_minutes
    )
    if grid_changes and meeting.appointments.exists():
        raise MeetingError(_("Days, slot length and breaks cannot change while the timetable has appointments."))
    if "number" in fields:
        raise TypeError("a meeting's number does not change")
    before, grid_before = audit.snapshot(meeting), _grid(meeting)
    for name, value in fields.items():
        setattr(meeting, name, value)
    meeting.breaks = new_breaks
    meeting.save()
    if days is not None and sorted(days) != current_days:
        _set_days(meeting, days)
    if rooms is not None:
        _set_rooms(meeting, rooms)
    changes, grid_after = audit.diff(before, meeting), _grid(meeting)
    changes.update({name: [old, grid_after[name]] for name, old in grid_before.items() if old != grid_after[name]})
    if changes:
        audit.record(actor, audit.Action.UPDATE, meeting, changes)
    return meeting


def meeting_transition(*, meeting: JointMeeting, to: str, actor) -> JointMeeting:
    """Move the meeting along planning → inviting → scheduled → published → held (MEETING_TRANSITIONS).
    Publishing goes through `versions.meeting_publish` (it stores the agenda version and notifies)."""
    if to == MeetingStatus.PUBLISHED:
        from matchmaking.meetings.versions import meeting_publish

        meeting_publish(meeting=meeting, actor=actor)
        meeting.refresh_from_db()
        return meeting
    with transaction.atomic():
        locked = lock_meeting(meeting)
        if to not in MEETING_TRANSITIONS.get(locked.status, set()):
            raise MeetingError(
                _("A meeting cannot go from “%(from)s” to “%(to)s”.")
                % {"from": MeetingStatus(locked.status).label, "to": MeetingStatus(to).label}
            )
        if to == MeetingStatus.SCHEDULED and not locked.appointments.exists():
            raise MeetingError(_("Schedule the meeting first: the draft agenda has no appointments."))
        audit.record(actor, audit.Action.TRANSITION, locked, {"status": [locked.status, to]})
        locked.status = to
        locked.save(update_fields=["status", "updated_at"])
    meeting.refresh_from_db()
    return meeting


@transaction.atomic
def meeting_units_set(*, meeting: JointMeeting, units: Iterable[Organisation], actor) -> list[MeetingUnit]:
    """The attending units, exactly `units` (MOD units and ATLA). A unit that leaves takes its requests and
    appointments with it; a unit that stays keeps its availability."""
    units = list(units)
    if any(unit.kind not in UNIT_KINDS for unit in units):
        raise MeetingError(_("Only MOD units, the Internal Bureau and ATLA can attend as units."))
    meeting = lock_meeting(meeting)
    if (
        meeting.status in {MeetingStatus.PUBLISHED, MeetingStatus.HELD}
        and meeting.units.exclude(unit__in=units).exists()
    ):
        raise MeetingError(_("Units cannot leave a meeting whose agenda is final; remove their appointments first."))
    before = sorted(meeting.units.values_list("unit_id", flat=True))
    leaving = meeting.units.exclude(unit__in=units)
    appointments = Appointment.objects.filter(meeting=meeting, unit_id__in=leaving.values("unit_id")).delete()[0]
    requests = MeetingRequest.objects.filter(meeting=meeting, unit_id__in=leaving.values("unit_id")).delete()[0]
    leaving.delete()
    for unit in units:
        MeetingUnit.objects.get_or_create(meeting=meeting, unit=unit)
    after = sorted({unit.pk for unit in units})
    if after != before:
        removed = appointments or requests
        note = f"removed with the leaving units: {appointments} appointments, {requests} requests" if removed else ""
        audit.record(actor, audit.Action.UPDATE, meeting, {"units": [before, after]}, note=note)
    return list(meeting.units.select_related("unit"))


# --- Invitations ---------------------------------------------------------------------------------------------------


@transaction.atomic
def invitation_create(
    *,
    meeting: JointMeeting,
    actor,
    startups: Iterable = (),
    organisations: Iterable[Organisation] = (),
    reply_by: date | None = None,
    message: str = "",
) -> list[Invitation]:
    """Invite startups (startup sessions) or VC organisations (VC sessions); one already invited is skipped.
    A meeting still in planning moves to inviting. Each new invitee's members get a translated e-mail after
    commit. Returns the new invitations."""
    meeting = lock_meeting(meeting)
    if meeting.status not in {MeetingStatus.PLANNING, *REPLY_OPEN}:
        raise MeetingError(_("Invitations can no longer be sent for this meeting."))
    startups, organisations = list(startups), list(organisations)
    if meeting.kind == MeetingKind.STARTUP_SESSION and organisations:
        raise MeetingError(_("A startup session invites startups."))
    if meeting.kind == MeetingKind.VC_SESSION and (
        startups or any(o.kind != OrganisationKind.VC for o in organisations)
    ):
        raise MeetingError(_("A VC session invites venture capital organisations."))
    reply_by = reply_by or meeting.reply_by
    if reply_by is not None and reply_by < today():
        raise MeetingError(_("The reply-by date has already passed."))
    already_s = set(meeting.invitations.filter(startup__in=startups).values_list("startup_id", flat=True))
    already_o = set(
        meeting.invitations.filter(organisation__in=organisations).values_list("organisation_id", flat=True)
    )
    common = {"meeting": meeting, "reply_by": reply_by, "message": message, "invited_by": actor}
    created = [Invitation.objects.create(startup=s, **common) for s in startups if s.pk not in already_s]
    created += [Invitation.objects.create(organisation=o, **common) for o in organisations if o.pk not in already_o]
    for invitation in created:
        audit.record_created(actor, invitation, note=f"meeting {meeting.number}")
    if meeting.status == MeetingStatus.PLANNING:
        audit.record(actor, audit.Action.TRANSITION, meeting, {"status": [meeting.status, MeetingStatus.INVITING]})
        meeting.status = MeetingStatus.INVITING
        meeting.save(update_fields=["status", "updated_at"])
    for invitation in created:
        outbox.enqueue("matchmaking.send_meeting_invitation", {"invitation_id": invitation.pk})
    return created


@transaction.atomic
def invitation_respond(*, invitation: Invitation, actor, accept: bool) -> Invitation:
    """Accept or decline, by a member of the invited startup (or VC), before the reply-by date, while the
    meeting takes replies. Declining after scheduling removes the invitee's appointments."""
    if not is_invitee_member(actor, invitation):
        raise PermissionDenied
    meeting = lock_meeting(invitation.meeting)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if meeting.status not in REPLY_OPEN:
        raise MeetingError(_("This meeting no longer takes replies."))
    if invitation.reply_by is not None and today() > invitation.reply_by:
        raise MeetingError(_("The reply-by date (%(date)s) has passed.") % {"date": invitation.reply_by})
    status = InvitationStatus.ACCEPTED if accept else InvitationStatus.DECLINED
    removed = 0 if accept else invitation.appointments.all().delete()[0]
    note = f"{removed} appointments removed" if removed else ""
    audit.record(actor, audit.Action.TRANSITION, invitation, {"status": [invitation.status, status]}, note=note)
    invitation.status = status
    invitation.responded_by, invitation.responded_at = actor, timezone.now()
    invitation.save(update_fields=["status", "responded_by", "responded_at"])
    return invitation


def invitations_remind_due(*, on: date | None = None) -> int:
    """Remind every pending invitee whose reply-by date is within REMINDER_DAYS, once (beat task, daily).
    The reminded_at stamp is claimed with a conditional update, so two workers never send the same reminder."""
    on = on or today()
    due = Invitation.objects.filter(
        status=InvitationStatus.INVITED,
        reminded_at__isnull=True,
        reply_by__gte=on,
        reply_by__lte=on + timedelta(days=REMINDER_DAYS),
        meeting__status__in=REPLY_OPEN,
    ).values_list("pk", flat=True)
    sent = 0
    for pk in list(due):
        if Invitation.objects.filter(pk=pk, reminded_at__isnull=True).update(reminded_at=timezone.now()):
            from matchmaking.meetings.notifications import invitation_send

            invitation_send(Invitation.objects.select_related("meeting", "startup").get(pk=pk), reminder=True)
            sent += 1
    return sent


# --- Availability --------------------------------------------------------------------------------------------------


def _check_slot_keys(meeting: JointMeeting, keys: Iterable[str]) -> list[str]:
    known = {slot.key for slot in meeting_slots(meeting)}
    keys = sorted(set(keys))
    if any(key not in known for key in keys):
        raise MeetingError(_("Some of the chosen slots are not slots of this meeting."))
    return keys


@transaction.atomic
def availability_set(
    *,
    actor,
    unavailable: Iterable[str],
    invitation: Invitation | None = None,
    meeting_unit: MeetingUnit | None = None,
) -> list[Appointment]:
    """Store the slot keys an invitee (or an attending unit) cannot make; every other slot is available.
    Returns the appointments already placed in slots now marked unavailable (the admin will want to move them).
    """
    target = invitation if invitation is not None else meeting_unit
    if target is None:
        raise TypeError("availability_set needs an invitation or a meeting_unit")
    meeting = lock_meeting(target.meeting)
    if meeting.status == MeetingStatus.HELD:
        raise MeetingError(_("A meeting that was held cannot be changed."))
    if invitation is not None and invitation.status == InvitationStatus.DECLINED:
        raise MeetingError(_("The invitation was declined."))
    before = audit.snapshot(target, ["unavailable_slots"])
    target.unavailable_slots = _check_slot_keys(meeting, unavailable)
    target.save(update_fields=["unavailable_slots"])
    audit.record_changed(actor, target, before, note=f"meeting {meeting.number}")
    placed = Appointment.objects.filter(meeting=meeting)
    placed = placed.filter(invitation=invitation) if invitation is not None else placed.filter(unit=meeting_unit.unit)
    return [a for a in placed.select_related("room") if a.slot_key in set(target.unavailable_slots)]


# --- Meeting requests ----------------------------------------------------------------------------------------------


def _open_for_requests(meeting: JointMeeting) -> None:
    if meeting.status in {MeetingStatus.PUBLISHED, MeetingStatus.HELD}:
        raise MeetingError(_("The agenda is final: ask the administrator to change the timetable."))


@transaction.atomic
def request_set(
    *,
    meeting: JointMeeting,
    invitation: Invitation,
    unit: Organisation,
    actor,
    priority: int = RequestPriority.WANT_TO_MEET,
    origin: str = RequestOrigin.UNIT_PREFERENCE,
    need=None,
    note: str = "",
    score: float | None = None,
) -> MeetingRequest:
    """Create or update the request between an invitee and an attending unit (one per pair); a request that
    had been marked "no thanks" is taken up again."""
    _open_for_requests(meeting)
    if invitation.meeting_id != meeting.pk or not meeting.units.filter(unit=unit).exists():
        raise MeetingError(_("Both the invitee and the unit must take part in this meeting."))
    if priority not in RequestPriority.values:
        raise MeetingError(_("Unknown priority."))
    stored = MeetingRequest.objects.filter(meeting=meeting, invitation=invitation, unit=unit).first()
    before = audit.snapshot(stored) if stored is not None else None
    request, _created = MeetingRequest.objects.update_or_create(
        meeting=meeting,
        invitation=invitation,
        unit=unit,
        defaults={"priority": priority, "need": need, "note": note, "declined_at": None},
        create_defaults={
            "priority": priority,
            "need": need,
            "note": note,
            "origin": origin,
            "score": score,
            "created_by": actor,
        },
    )
    if before is None:
        audit.record_created(actor, request)
    else:
        audit.record_changed(actor, request, before)
    return request


def request_decline(*, request: MeetingRequest, actor, declined: bool = True) -> MeetingRequest:
    """The unit's "no thanks" (or taking it back): a declined request is left out of scheduling. An unlocked
    appointment for it goes at the next scheduling run; nothing is removed here."""
    _open_for_requests(request.meeting)
    before = audit.snapshot(request, ["declined_at"])
    request.declined_at = timezone.now() if declined else None
    request.save(update_fields=["declined_at"])
    audit.record_changed(actor, request, before)
    return request


@transaction.atomic
def requests_propose(
    *, meeting: JointMeeting, actor, per_unit: int = 5, min_score: float = 0.3
) -> list[MeetingRequest]:
    """Propose requests between the invitees and the attending units from what the units have said and the
    match ranking: a startup on the shortlist of one of the unit's needs → must meet (unit preference); else
    a startup among the unit's `per_unit` best-scoring invitees with score ≥ min_score → want to meet (match
    ranking). Existing requests, "no thanks" included, are left as they are. Returns the new requests.

    The startup's agenda names the request's need, so it is only ever one the startup may see
    (`startup_needs_q`): the ranking counts those needs alone, and a shortlist for a need the startup may not
    see still asks to meet, naming no need."""
    from matchmaking.models import MatchScore, Shortlist

    _open_for_requests(meeting)
    invites = {i.startup_id: i for i in meeting.invitations.exclude(status=InvitationStatus.DECLINED) if i.startup_id}
    unit_ids = list(meeting.units.values_list("unit_id", flat=True))
    existing = set(meeting.requests.values_list("invitation_id", "unit_id"))
    visible = set(Need.objects.filter(startup_needs_q(), owner_unit_id__in=unit_ids).values_list("pk", flat=True))
    proposals: dict[tuple[int, int], dict] = {}
    for entry in Shortlist.objects.filter(startup_id__in=invites, need__owner_unit_id__in=unit_ids).select_related(
        "need"
    ):
        key = (invites[entry.startup_id].pk, entry.need.owner_unit_id)
        proposal = proposals.setdefault(
            key, {"need": None, "priority": RequestPriority.MUST_MEET, "origin": RequestOrigin.UNIT_PREFERENCE}
        )
        if proposal["need"] is None and entry.need_id in visible:
            proposal["need"] = entry.need
    scores = MatchScore.objects.filter(startup_id__in=invites, need_id__in=visible, score__gte=min_score)
    scores = scores.select_related("need")
    best: dict[tuple[int, int], MatchScore] = {}
    for score in scores:
        key = (invites[score.startup_id].pk, score.need.owner_unit_id)
        if key not in best or score.score > best[key].score:
            best[key] = score
    for unit_id in unit_ids:
        ranked = sorted((s for (i, u), s in best.items() if u == unit_id), key=lambda s: -s.score)[:per_unit]
        for score in ranked:
            key = (invites[score.startup_id].pk, unit_id)
            proposal = proposals.setdefault(
                key, {"need": None, "priority": RequestPriority.WANT_TO_MEET, "origin": RequestOrigin.MATCH_SCORE}
            )
            proposal["need"] = proposal["need"] or score.need
            proposal["score"] = score.score
    created = []
    for (invitation_id, unit_id), proposal in proposals.items():
        if (invitation_id, unit_id) in existing:
            continue
        try:
            with transaction.atomic():
                created.append(
                    MeetingRequest.objects.create(
                        meeting=meeting, invitation_id=invitation_id, unit_id=unit_id, created_by=actor, **proposal
                    )
                )
        except IntegrityError:  # made meanwhile by the unit itself: theirs stands
            continue
    for request in created:
        audit.record_created(actor, request, note="proposed")
    return created
