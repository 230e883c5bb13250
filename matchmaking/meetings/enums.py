"""Codes of joint promotion meetings (合同推進会): kinds, statuses, priorities, origins."""

from django.db import models
from django.utils.translation import pgettext_lazy


class MeetingKind(models.TextChoices):
    STARTUP_SESSION = "startup_session", pgettext_lazy("meeting kind", "Startup session")
    VC_SESSION = "vc_session", pgettext_lazy("meeting kind", "VC session")


class MeetingStatus(models.TextChoices):
    PLANNING = "planning", pgettext_lazy("meeting status", "Planning")
    INVITING = "inviting", pgettext_lazy("meeting status", "Inviting")
    SCHEDULED = "scheduled", pgettext_lazy("meeting status", "Draft agenda")
    PUBLISHED = "published", pgettext_lazy("meeting status", "Final agenda")
    HELD = "held", pgettext_lazy("meeting status", "Held")


# The moves `meeting_transition` allows. Back from scheduled to inviting lets the admin invite late arrivals;
# published → scheduled is not a move: edits after publication stay "published" and go out as a new version.
MEETING_TRANSITIONS: dict[str, set[str]] = {
    MeetingStatus.PLANNING: {MeetingStatus.INVITING},
    MeetingStatus.INVITING: {MeetingStatus.SCHEDULED, MeetingStatus.PLANNING},
    MeetingStatus.SCHEDULED: {MeetingStatus.PUBLISHED, MeetingStatus.INVITING},
    MeetingStatus.PUBLISHED: {MeetingStatus.HELD},
    MeetingStatus.HELD: set(),
}

# Statuses in which invitees may still reply and state their availability, and units their availability.
REPLY_OPEN = {MeetingStatus.INVITING, MeetingStatus.SCHEDULED}
# Statuses in which the timetable may be (re)scheduled and edited by hand.
TIMETABLE_OPEN = {MeetingStatus.INVITING, MeetingStatus.SCHEDULED, MeetingStatus.PUBLISHED}


class InvitationStatus(models.TextChoices):
    INVITED = "invited", pgettext_lazy("invitation status", "Invited")
    ACCEPTED = "accepted", pgettext_lazy("invitation status", "Accepted")
    DECLINED = "declined", pgettext_lazy("invitation status", "Declined")


class RequestPriority(models.IntegerChoices):
    """The weight the scheduler maximises: a must-meet counts three want-to-meets."""

    MUST_MEET = 3, pgettext_lazy("meeting request priority", "Must meet")
    WANT_TO_MEET = 1, pgettext_lazy("meeting request priority", "Want to meet")


class RequestOrigin(models.TextChoices):
    UNIT_PREFERENCE = "unit_preference", pgettext_lazy("meeting request origin", "Unit's preference")
    STARTUP_REQUEST = "startup_request", pgettext_lazy("meeting request origin", "Startup's request")
    MATCH_SCORE = "match_score", pgettext_lazy("meeting request origin", "Match ranking")
    ADMIN = "admin", pgettext_lazy("meeting request origin", "Placed by the administrator")


class ScheduleRunStatus(models.TextChoices):
    QUEUED = "queued", pgettext_lazy("schedule run", "Queued")
    RUNNING = "running", pgettext_lazy("schedule run", "Running")
    DONE = "done", pgettext_lazy("schedule run", "Done")
    FAILED = "failed", pgettext_lazy("schedule run", "Failed")
