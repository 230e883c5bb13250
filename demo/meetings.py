"""A demo joint promotion meeting for `load_demo`: four startups invited and accepted, four units attending,
their requests, and a draft agenda computed by the scheduler, so that the admin can edit and publish it.

Idempotent: a meeting with the demo number already there is left as it is (the admin may have changed it)."""

from datetime import time, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from accounts.enums import UnitCode
from accounts.models import Organisation
from matchmaking.meetings import services
from matchmaking.meetings.enums import InvitationStatus, MeetingStatus, RequestOrigin, RequestPriority
from matchmaking.meetings.scheduling import schedule_run
from matchmaking.models import Invitation, JointMeeting, ScheduleRun
from seeds.models import Startup

DEMO_NUMBER = 1
DEMO_ADMIN_EMAIL = "admin@demo.example.jp"
UNIT_CODES = [UnitCode.GSDF, UnitCode.MSDF, UnitCode.INTERNAL_BUREAU, UnitCode.ATLA]
# (startup index, unit index) pairs that must meet; every other pair wants to meet.
MUST_MEET = {(0, 0), (1, 3), (2, 1), (3, 2)}


def load() -> JointMeeting | None:
    """Create and schedule the demo meeting; None when it already exists or the demo registry is missing."""
    if JointMeeting.objects.filter(number=DEMO_NUMBER).exists():
        return None
    admin = get_user_model().objects.filter(email=DEMO_ADMIN_EMAIL).first()
    units = list(Organisation.objects.filter(unit_code__in=UNIT_CODES).order_by("unit_code"))
    claimed = list(Startup.objects.filter(organisation__isnull=False).order_by("corporate_number")[:3])
    others = list(Startup.objects.filter(organisation__isnull=True).order_by("corporate_number")[: 4 - len(claimed)])
    startups = claimed + others
    if admin is None or len(units) < 2 or len(startups) < 2:
        return None
    day = timezone.localdate() + timedelta(days=21)
    meeting = services.meeting_create(
        actor=admin,
        number=DEMO_NUMBER,
        title="第1回 防衛産業へのスタートアップ活用に向けた合同推進会",
        title_en="1st joint promotion meeting for startups in the defense industry",
        days=[(day, time(10, 0), time(16, 0))],
        rooms=["会議室A", "会議室B", "会議室C"],
        venue="防衛省 A棟 会議室",
        slot_minutes=30,
        breaks="12:00-13:00",
        reply_by=day - timedelta(days=7),
        units=units,
    )
    # Written directly (not through invitation_create): the demo sends no e-mail and the replies are given.
    invitations = [
        Invitation.objects.create(
            meeting=meeting,
            startup=startup,
            status=InvitationStatus.ACCEPTED,
            reply_by=meeting.reply_by,
            invited_by=admin,
            responded_at=timezone.now(),
        )
        for startup in startups
    ]
    meeting.status = MeetingStatus.INVITING
    meeting.save(update_fields=["status"])
    for i, invitation in enumerate(invitations):
        for u, unit in enumerate(units):
            must = (i, u) in MUST_MEET
            services.request_set(
                meeting=meeting,
                invitation=invitation,
                unit=unit,
                actor=admin,
                priority=RequestPriority.MUST_MEET if must else RequestPriority.WANT_TO_MEET,
                origin=RequestOrigin.UNIT_PREFERENCE if must else RequestOrigin.MATCH_SCORE,
            )
    run = ScheduleRun.objects.create(meeting=meeting, requested_by=admin, time_limit_s=10)
    schedule_run(run_id=run.pk)  # in-process: the demo has its draft agenda at once
    meeting.refresh_from_db()
    return meeting
