"""Joint promotion meetings (合同推進会): the meeting, its invitees, attending units, requests, timetable and agenda
versions. Writes go through `matchmaking.meetings.services`; reads through `matchmaking.meetings.selectors`."""

from datetime import time

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from matchmaking.meetings.enums import (
    InvitationStatus,
    MeetingKind,
    MeetingStatus,
    RequestOrigin,
    RequestPriority,
    ScheduleRunStatus,
)


class JointMeeting(models.Model):
    number = models.PositiveIntegerField(_("number"), unique=True)  # 第N回
    title = models.CharField(_("title (Japanese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=MeetingKind.choices, default=MeetingKind.STARTUP_SESSION)
    status = models.CharField(_("status"), max_length=12, choices=MeetingStatus.choices, default=MeetingStatus.PLANNING)
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    online_url = models.URLField(_("online link"), max_length=500, blank=True)
    slot_minutes = models.PositiveSmallIntegerField(_("slot length (minutes)"), default=30)
    # Breaks on every day, as [{"start": "12:00", "end": "13:00"}, …]; slots overlapping them are left out.
    breaks = models.JSONField(_("breaks"), default=list, blank=True)
    reply_by = models.DateField(_("reply by"), null=True, blank=True)  # default for new invitations
    notes = models.TextField(_("notes"), max_length=4000, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("joint promotion meeting")
        verbose_name_plural = _("joint promotion meetings")
        ordering = ["-number"]

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        if get_language() == "en" and self.title_en:
            return self.title_en
        return self.title

    @property
    def venue_text(self) -> str:
        return " / ".join(part for part in (self.venue, self.online_url) if part)


class MeetingDay(models.Model):
    """A day of the meeting with its opening hours (Japan time)."""

    meeting = models.ForeignKey(JointMeeting, on_delete=models.CASCADE, related_name="days")
    date = models.DateField(_("date"))
    opens_at = models.TimeField(_("opens at"), default=time(10, 0))
    closes_at = models.TimeField(_("closes at"), default=time(17, 0))

    class Meta:
        verbose_name = _("meeting day")
        verbose_name_plural = _("meeting days")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "date"], name="meeting_day_unique"),
            models.CheckConstraint(condition=Q(closes_at__gt=models.F("opens_at")), name="meeting_day_closes_after"),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.opens_at:%H:%M}–{self.closes_at:%H:%M}"


class MeetingRoom(models.Model):
    """A room or table. With a `unit`, only that unit meets there (its own table); otherwise any unit may."""

    meeting = models.ForeignKey(JointMeeting, on_delete=models.CASCADE, related_name="rooms")
    name = models.CharField(_("room or table"), max_length=100)
    unit = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("reserved for unit"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("room or table")
        verbose_name_plural = _("rooms and tables")
        ordering = ["position", "name"]
        constraints = [models.UniqueConstraint(fields=["meeting", "name"], name="meeting_room_unique_name")]

    def __str__(self) -> str:
        return self.name


class MeetingUnit(models.Model):
    """An attending unit (MOD staff office, Internal Bureau, ATLA) and the slots it cannot meet in.

    `unavailable_slots` holds slot keys ("2026-12-01T10:00", see `meetings.slots`); empty: free all day."""

    meeting = models.ForeignKey(JointMeeting, on_delete=models.CASCADE, related_name="units")
    unit = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="meetings_attended"
    )
    unavailable_slots = models.JSONField(_("unavailable slots"), default=list, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attending unit")
        verbose_name_plural = _("attending units")
        ordering = ["unit__name"]
        constraints = [models.UniqueConstraint(fields=["meeting", "unit"], name="meeting_unit_unique")]

    def __str__(self) -> str:
        return f"{self.meeting_id}: {self.unit}"


class Invitation(models.Model):
    """An invited startup (startup sessions) or VC organisation (VC sessions): exactly one of the two is set.

    `unavailable_slots`: slot keys the invitee cannot meet in (empty: free all day)."""

    meeting = models.ForeignKey(JointMeeting, on_delete=models.CASCADE, related_name="invitations")
    startup = models.ForeignKey(
        "seeds.Startup",
        verbose_name=_("startup"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meeting_invitations",
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("venture capital"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meeting_invitations",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=InvitationStatus.choices, default=InvitationStatus.INVITED
    )
    reply_by = models.DateField(_("reply by"), null=True, blank=True)
    message = models.TextField(_("message to the invitee"), max_length=2000, blank=True)
    unavailable_slots = models.JSONField(_("unavailable slots"), default=list, blank=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    invited_at = models.DateTimeField(_("invited at"), default=timezone.now)
    responded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    responded_at = models.DateTimeField(_("responded at"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)  # the reminder goes out once

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["invited_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(startup__isnull=False) & Q(organisation__isnull=True))
                | (Q(startup__isnull=True) & Q(organisation__isnull=False)),
                name="invitation_startup_xor_organisation",
            ),
            models.UniqueConstraint(
                fields=["meeting", "startup"], condition=Q(startup__isnull=False), name="invitation_unique_startup"
            ),
            models.UniqueConstraint(
                fields=["meeting", "organisation"],
                condition=Q(organisation__isnull=False),
                name="invitation_unique_organisation",
            ),
        ]

    def __str__(self) -> str:
        return self.invitee_name

    @property
    def invitee_name(self) -> str:
        invitee = self.startup if self.startup_id else self.organisation
        return invitee.display_name if invitee is not None else ""

    @property
    def invitee_organisation_id(self) -> int | None:
        """The organisation whose members answer for the invitee (a startup's claiming organisation)."""
        return self.startup.organisation_id if self.startup_id else self.organisation_id


class MeetingRequest(models.Model):
    """An invitee ↔ unit meeting wish. `declined_at` set: the unit said "no thanks" and it is not scheduled."""

    meeting = models.ForeignKey(JointMeeting, on_delete=models.CASCADE, related_name="requests")
    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="requests")
    unit = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    need = models.ForeignKey(
        "needs.Need", verbose_name=_("related need"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=RequestPriority.choices, default=RequestPriority.WANT_TO_MEET
    )
    origin = models.CharField(_("origin"), max_length=20, choices=RequestOrigin.choices)
    score = models.FloatField(_("match score"), null=True, blank=True)  # when it came from the ranking
    note = models.CharField(_("note"), max_length=500, blank=True)
    declined_at = models.DateTimeField(_("declined (no thanks) at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("meeting request")
        verbose_name_plural = _("meeting requests")
        ordering = ["-priority", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "invitation", "unit"], name="meeting_request_unique_pair")
        ]

    def __str__(self) -> str:
        return f"{self.invitation_id} ↔ {self.unit_id} ({self.priority})"


class Appointment(models.Model):
    """A placed meeting: invitee × unit in a room for one slot. `locked`: placed or pinned by hand, kept by
    every re-run of the scheduler."""

    meeting = models.ForeignKey(JointMeeting, on_delete=models.CASCADE, related_name="appointments")
    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="appointments")
    unit = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    request = models.ForeignKey(
        MeetingRequest, on_delete=models.SET_NULL, null=True, blank=True, related_name="appointments"
    )
    room = models.ForeignKey(MeetingRoom, verbose_name=_("room or table"), on_delete=models.PROTECT, related_name="+")
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    locked = models.BooleanField(_("locked"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        ordering = ["starts_at", "room__position", "room__name", "pk"]
        constraints = [
            # Each pair meets at most once; double bookings of a slot are refused by the services (they need to
            # swap two appointments inside one transaction, which per-slot unique constraints would not allow).
            models.UniqueConstraint(fields=["meeting", "invitation", "unit"], name="appointment_unique_pair"),
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="appointment_ends_after"),
        ]
        indexes = [models.Index(fields=["meeting", "starts_at"], name="appointment_meeting_start")]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M} {self.room_id}: {self.invitation_id} × {self.unit_id}"

    @property
    def slot_key(self) -> str:
        from matchmaking.meetings.slots import slot_key

        return slot_key(self.starts_at)


class ScheduleRun(models.Model):
    """One scheduling of a meeting, queued by the admin and run by a Celery task; its progress and result."""

    meeting = models.ForeignKey(JointMeeting, on_delete=models.CASCADE, related_name="schedule_runs")
    status = models.CharField(max_length=10, choices=ScheduleRunStatus.choices, default=ScheduleRunStatus.QUEUED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    time_limit_s = models.FloatField(default=30.0)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The result (scheduling core's Solution): phase-1 status optimal/feasible/heuristic, objective, bound, gap.
    solver_status = models.CharField(max_length=12, blank=True)
    objective = models.FloatField(null=True, blank=True)
    bound = models.FloatField(null=True, blank=True)
    gap = models.FloatField(null=True, blank=True)
    idle_slots = models.PositiveIntegerField(null=True, blank=True)
    placed = models.PositiveIntegerField(default=0)
    # [{"request": id, "invitation": id, "unit": id, "reason": code, "params": {…}}]
    unplaced = models.JSONField(default=list, blank=True)
    phases = models.JSONField(default=list, blank=True)  # [{"name", "status", "objective", "bound", "seconds"}]
    seconds = models.FloatField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.meeting_id} {self.created_at:%Y-%m-%d %H:%M} {self.status}"


class AgendaVersion(models.Model):
    """A published agenda: the appointments as they stood (`snapshot`), numbered 1, 2, … per meeting.

    `snapshot`: {"appointments": [{"id", "invitation", "unit", "room", "start", "end", …}]} — see
    `meetings.versions.snapshot`; `changes` is the diff from the previous version."""

    meeting = models.ForeignKey(JointMeeting, on_delete=models.CASCADE, related_name="agenda_versions")
    number = models.PositiveIntegerField(_("version"))
    snapshot = models.JSONField(default=dict)
    changes = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("published at"), auto_now_add=True)

    class Meta:
        verbose_name = _("agenda version")
        verbose_name_plural = _("agenda versions")
        ordering = ["meeting", "-number"]
        constraints = [models.UniqueConstraint(fields=["meeting", "number"], name="agenda_version_unique")]

    def __str__(self) -> str:
        return f"{self.meeting_id} v{self.number}"
