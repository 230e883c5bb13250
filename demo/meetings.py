"""The demo's joint promotion meetings (合同推進会), run through the meeting services as the administrator, the
invited startups and the units would: one held some weeks ago, whose startups then proposed to the units they
met there (the funnel's "meetings held" rows), and one coming up, with the scheduler's draft agenda for the
administrator to edit and publish. Both fall on days government offices are open (demo.workdays).

Idempotent: a meeting whose number is already there is left as it is (the admin may have changed it)."""

from dataclasses import dataclass
from datetime import date, time, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from accounts.enums import UnitCode as U
from accounts.models import Organisation
from demo import people, registry
from demo.workdays import office_day_from
from matchmaking.meetings import scheduling, services
from matchmaking.meetings.enums import MeetingStatus
from matchmaking.models import JointMeeting
from matchmaking.selectors import RECOMMEND_MIN_SCORE


@dataclass(frozen=True)
class DemoMeeting:
    number: int
    title: str
    title_en: str
    days_from_today: int  # then moved to the nearest office day: earlier for a meeting held, later for one to come
    units: tuple[str, ...]
    invitees: tuple[str, ...]  # demo.registry_data slugs
    held: bool = False


MEETINGS = [
    DemoMeeting(
        1,
        "第1回 防衛産業へのスタートアップ活用に向けた合同推進会",
        "1st joint promotion meeting for startups in the defense industry",
        -42,
        (U.GSDF, U.MSDF, U.ASDF, U.ATLA),
        ("soramichi", "kazenone", "wadatsumi-marine", "hakuun-aero"),
        held=True,
    ),
    DemoMeeting(
        2,
        "第2回 防衛産業へのスタートアップ活用に向けた合同推進会",
        "2nd joint promotion meeting for startups in the defense industry",
        21,
        (U.GSDF, U.MSDF, U.INTERNAL_BUREAU, U.ATLA),
        ("soramichi", "minamo-qs", "tobiuo-port", "mimamori-vitals"),
    ),
]


def companies() -> set[str]:
    """The invited companies: each needs a member to accept its invitation."""
    return {slug for meeting in MEETINGS for slug in meeting.invitees}


def meeting_day(demo: DemoMeeting) -> date:
    return office_day_from(timezone.localdate() + timedelta(days=demo.days_from_today), step=-1 if demo.held else 1)


def load() -> int:
    """Create the demo meetings that are not there yet; returns how many."""
    admin = get_user_model().objects.get(email=people.ADMIN)
    created = 0
    for demo in MEETINGS:
        if not JointMeeting.objects.filter(number=demo.number).exists():
            _meeting_put(demo, admin)
            created += 1
    return created


def _meeting_put(demo: DemoMeeting, admin) -> JointMeeting:
    day = meeting_day(demo)
    meeting = services.meeting_create(
        actor=admin,
        number=demo.number,
        title=demo.title,
        title_en=demo.title_en,
        days=[(day, time(10, 0), time(16, 0))],
        rooms=["会議室A", "会議室B", "会議室C"],
        venue="防衛省 A棟 会議室",
        slot_minutes=30,
        breaks="12:00-13:00",
        reply_by=None if demo.held else office_day_from(day - timedelta(days=7), step=-1),
        units=Organisation.objects.filter(unit_code__in=demo.units),
    )
    startups = {slug: registry.company(slug) for slug in demo.invitees}
    slugs = {startup.pk: slug for slug, startup in startups.items()}
    for invitation in services.invitation_create(meeting=meeting, actor=admin, startups=list(startups.values())):
        member = get_user_model().objects.get(email=registry.member_email(slugs[invitation.startup_id]))
        services.invitation_respond(invitation=invitation, actor=member, accept=True)
    meeting.refresh_from_db()  # inviting now: the services moved their own locked copy
    # The units' shortlists become must-meets and fair matches (as a startup's recommendations count them)
    # want-to-meets, each naming the need it is about.
    services.requests_propose(meeting=meeting, actor=admin, per_unit=len(startups), min_score=RECOMMEND_MIN_SCORE)
    run = scheduling.schedule_enqueue(meeting=meeting, actor=admin, time_limit_s=10)
    # The task's body, now: the agenda is needed before commit; the task sent at commit finds the run taken.
    scheduling.schedule_run(run_id=run.pk)
    if demo.held:
        for status in (MeetingStatus.PUBLISHED, MeetingStatus.HELD):
            meeting = services.meeting_transition(meeting=meeting, to=status, actor=admin)
    return meeting
