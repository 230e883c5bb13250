"""Reads for joint promotion meetings: visible meetings, a user's part in a meeting, the timetable, candidates."""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from accounts.rules import is_need_author, is_need_reviewer, is_portal_admin, is_startup_member, is_verified
from matchmaking.models import Appointment, Invitation, JointMeeting, MeetingRequest, MeetingUnit


@dataclass(frozen=True)
class Participant:
    """A user's part in a meeting: the invitation it answers for, or the attending unit it belongs to."""

    invitation: Invitation | None = None
    meeting_unit: MeetingUnit | None = None

    @property
    def name(self) -> str:
        if self.invitation is not None:
            return self.invitation.invitee_name
        return self.meeting_unit.unit.display_name


def _invitee_q(user) -> Q:
    """The invitations `user` answers for (as `rules.is_invitee_member`): its organisation's as an invited VC,
    and, for a startup member, those of the startup its organisation claimed."""
    q = Q(organisation_id=user.organisation_id)
    if is_startup_member(user):
        q |= Q(startup__organisation_id=user.organisation_id)
    return q


def meetings_visible_q(user) -> Q:
    """Admins and METI curators (read-only): every meeting; a startup's (or VC's) members: the meetings it is
    invited to; unit staff: the meetings their unit attends. The same rule as `rules.can_view_meeting`."""
    from matchmaking.meetings.rules import is_meeting_observer

    if is_portal_admin(user) or is_meeting_observer(user):
        return Q()
    if not is_verified(user) or user.organisation_id is None:
        return Q(pk__in=[])
    q = Exists(Invitation.objects.filter(_invitee_q(user), meeting=OuterRef("pk")))
    if is_need_author(user) or is_need_reviewer(user):
        q |= Exists(MeetingUnit.objects.filter(meeting=OuterRef("pk"), unit_id=user.organisation_id))
    return q


def meetings_for(user) -> QuerySet[JointMeeting]:
    """The meetings `user` may see, with what a list shows (days, counts) in a constant number of queries."""
    return (
        JointMeeting.objects.filter(meetings_visible_q(user))
        .prefetch_related("days")
        .annotate(
            invitation_count=Count("invitations", distinct=True),
            accepted_count=Count("invitations", filter=Q(invitations__status="accepted"), distinct=True),
            unit_count=Count("units", distinct=True),
        )
        .order_by("-number")
    )


def participant_of(user, meeting: JointMeeting) -> Participant | None:
    """The invitation `user` answers for, else the attending unit `user` is staff of, else None (admins: None)."""
    if not is_verified(user) or user.organisation_id is None:
        return None
    invitation = (
        Invitation.objects.filter(_invitee_q(user), meeting=meeting).select_related("startup", "organisation").first()
    )
    if invitation is not None:
        return Participant(invitation=invitation)
    if is_need_author(user) or is_need_reviewer(user):
        meeting_unit = MeetingUnit.objects.filter(meeting=meeting, unit_id=user.organisation_id).first()
        if meeting_unit is not None:
            return Participant(meeting_unit=meeting_unit)
    return None


def appointments(meeting: JointMeeting, *, participant: Participant | None = None) -> QuerySet[Appointment]:
    """The meeting's appointments in time order (one participant's only, when given), with names loaded."""
    qs = Appointment.objects.filter(meeting=meeting).select_related(
        "invitation__startup", "invitation__organisation", "unit", "room", "request__need"
    )
    if participant is not None and participant.invitation is not None:
        qs = qs.filter(invitation=participant.invitation)
    elif participant is not None:
        qs = qs.filter(unit_id=participant.meeting_unit.unit_id)
    return qs.order_by("starts_at", "room__position", "room__name", "pk")


def invitations(meeting: JointMeeting) -> QuerySet[Invitation]:
    return meeting.invitations.select_related("startup", "organisation").order_by("invited_at", "pk")


def meeting_units(meeting: JointMeeting) -> QuerySet[MeetingUnit]:
    return meeting.units.select_related("unit").order_by("unit__name")


def requests(meeting: JointMeeting, *, unit_id: int | None = None) -> QuerySet[MeetingRequest]:
    qs = meeting.requests.select_related("invitation__startup", "invitation__organisation", "unit", "need")
    if unit_id is not None:
        qs = qs.filter(unit_id=unit_id)
    return qs.order_by("-priority", "created_at", "pk")


def meeting_detail(pk: int) -> JointMeeting:
    """One meeting with its days and rooms loaded (raises JointMeeting.DoesNotExist)."""
    return JointMeeting.objects.prefetch_related("days", Prefetch("rooms")).get(pk=pk)


def latest_run(meeting: JointMeeting):
    return meeting.schedule_runs.order_by("-created_at", "-pk").first()


def latest_version(meeting: JointMeeting):
    return meeting.agenda_versions.order_by("-number").first()


@dataclass
class Timetable:
    """The grid of the timetable page: one row per slot, one cell per room (an Appointment or None)."""

    slots: list
    rooms: list
    rows: list  # [(MeetingSlot, [Appointment | None per room])]
    unplaced_requests: list  # open requests of accepted invitees without an appointment


def timetable(meeting: JointMeeting) -> Timetable:
    """Slots × rooms with the appointments placed, in a constant number of queries."""
    from matchmaking.meetings.slots import meeting_slots

    slots = meeting_slots(meeting)
    rooms = list(meeting.rooms.select_related("unit"))
    placed = list(appointments(meeting))
    cells = {(a.starts_at, a.room_id): a for a in placed}
    rows = [(slot, [cells.get((slot.start, room.pk)) for room in rooms]) for slot in slots]
    pairs = {(a.invitation_id, a.unit_id) for a in placed}
    waiting = [
        r
        for r in requests(meeting).filter(declined_at__isnull=True, invitation__status="accepted")
        if (r.invitation_id, r.unit_id) not in pairs
    ]
    return Timetable(slots, rooms, rows, waiting)


@dataclass
class Candidate:
    """A startup the admin might invite: the units that shortlisted it for one of their needs (their stated
    preference), and its best match among the attending units' needs that the viewer may see, with the
    score's number only where the score rule allows (`matchmaking.rules.can_view_score`)."""

    startup: object
    best_score: float | None
    best_need: object
    shortlisted_by: list
    invited: bool


def invitation_candidates(meeting: JointMeeting, *, viewer, limit: int = 50) -> list[Candidate]:
    """Startups shortlisted for the attending units' needs, then the best-scoring ones, up to `limit`. The
    order uses every score; what a row shows follows what `viewer` may see."""
    from matchmaking.models import MatchScore, Shortlist
    from matchmaking.rules import shown_score
    from needs.models import Need
    from needs.rules import need_visibility_q
    from seeds.models import Startup

    unit_ids = list(meeting.units.values_list("unit_id", flat=True))
    shortlists = list(
        Shortlist.objects.filter(need__owner_unit_id__in=unit_ids).select_related("need__owner_unit").order_by("pk")
    )
    ranked = MatchScore.objects.filter(need__owner_unit_id__in=unit_ids).order_by("-score", "pk")
    best = dict.fromkeys(ranked.values_list("startup_id", flat=True)[: limit * max(len(unit_ids), 1) * 4])
    order = list(dict.fromkeys([s.startup_id for s in shortlists] + list(best)))[:limit]
    needs = Need.objects.filter(need_visibility_q(viewer), owner_unit_id__in=unit_ids)
    visible = MatchScore.objects.filter(startup_id__in=order, need__in=needs).select_related("need")
    shown: dict = {}
    for score in visible.order_by("-score", "pk"):
        shown.setdefault(score.startup_id, score)
    startups = Startup.objects.in_bulk(order)
    invited = set(meeting.invitations.filter(startup_id__in=order).values_list("startup_id", flat=True))
    candidates = []
    for startup_id in order:
        units = {s.need.owner_unit.display_name for s in shortlists if s.startup_id == startup_id}
        match = shown.get(startup_id)
        candidates.append(
            Candidate(
                startup=startups[startup_id],
                best_score=shown_score(viewer, match.need, match.score) if match else None,
                best_need=match.need if match else None,
                shortlisted_by=sorted(units),
                invited=startup_id in invited,
            )
        )
    return candidates
