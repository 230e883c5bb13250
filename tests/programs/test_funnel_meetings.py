"""The funnel's "meetings held and what followed them": which meetings count as held, the startups, appointments
and units of each, the later proposals between the pairs that met (not those before the meeting, not pairs
that never met), the filters, its chart and CSV, and who may download it."""

import csv
import io
from datetime import datetime, time, timedelta

import pytest
from django.db import connection
from django.db.models import Exists, OuterRef
from django.db.models.functions import TruncDate
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.enums import RoleCode, UnitCode
from matchmaking.meetings.enums import MeetingStatus
from matchmaking.models import Appointment
from needs.enums import ProposalStatus
from needs.models import Proposal
from programs import clock
from programs.clock import TOKYO
from programs.selectors.funnel import FOLLOW_UP_STAGES, FunnelFilters, meeting_follow_ups
from seeds.models import TechField
from tests.factories import StartupFactory

S = ProposalStatus
ROLES = list(RoleCode)
FUNNEL_READERS = {RoleCode.CURATOR, RoleCode.NEED_AUTHOR, RoleCode.NEED_REVIEWER, RoleCode.PORTAL_ADMIN}
TODAY = clock.today()
FIRST, SECOND = TODAY - timedelta(days=40), TODAY - timedelta(days=10)  # the two meetings held


def at(day, days_after=0, hour=15):
    """A moment in Japan `days_after` days after `day`."""
    return datetime.combine(day + timedelta(days=days_after), time(hour), tzinfo=TOKYO)


@pytest.fixture
def meetings(funnel_builder):
    """Meeting 1 held 40 days ago, meeting 2 with a final agenda whose day passed 10 days ago; meeting 3 final but
    still ahead and meeting 4 only scheduled: neither was held. Startup A works in AI, as does D."""
    b = funnel_builder
    ai = TechField.objects.get(code="ai")
    a, bb, c, d = (StartupFactory() for _ in range(4))
    a.tech_fields.add(ai)
    d.tech_fields.add(ai)
    gsdf_ai = b.need(unit=UnitCode.GSDF, fields=["ai"], published=at(FIRST, -60))
    gsdf = b.need(unit=UnitCode.GSDF, published=at(FIRST, -60))
    msdf = b.need(unit=UnitCode.MSDF, fields=["unmanned"], published=at(FIRST, -60))
    G, M = UnitCode.GSDF, UnitCode.MSDF
    b.meeting(day=FIRST, met=[(a, G), (a, M), (bb, G), (c, M)])
    b.meeting(day=SECOND, status=MeetingStatus.PUBLISHED, met=[(a, G), (d, G)])
    b.meeting(day=TODAY + timedelta(days=10), status=MeetingStatus.PUBLISHED, met=[(bb, M)])
    b.meeting(day=FIRST, status=MeetingStatus.SCHEDULED, met=[(c, G)])
    b.proposal(gsdf_ai, S.CONTRACTED, startup=a, submitted=at(FIRST, 5))  # after 1, before 2
    b.proposal(msdf, S.SELECTED, startup=a, submitted=at(FIRST, -5))  # before the meeting: not counted
    b.proposal(gsdf, S.SHORTLISTED, startup=bb, submitted=at(SECOND, 2))  # follows meeting 1 only
    b.proposal(msdf, S.PITCH, startup=bb, submitted=at(FIRST, 1))  # B met MSDF only at meeting 3, not held
    b.proposal(gsdf_ai, S.UNDER_REVIEW, startup=c, submitted=at(FIRST, 1))  # C met GSDF only at meeting 4
    b.proposal(gsdf_ai, S.REJECTED, startup=d, submitted=at(SECOND, 0, hour=9))  # on the first day: counted
    b.proposal(gsdf, S.DRAFT, startup=a)  # never submitted
    return b


def direct(meeting_numbers) -> list:
    """Counted straight from the rows: the appointments of those meetings, and submitted proposals whose
    startup met the need's unit at one of them on or before the day (Japan) it was submitted."""
    appointments = Appointment.objects.filter(meeting__number__in=meeting_numbers)
    met_before = appointments.filter(
        invitation__startup=OuterRef("startup"),
        unit=OuterRef("need__owner_unit"),
        meeting__days__date__lte=OuterRef("submitted_day"),
    )
    later = (
        Proposal.objects.filter(submitted_at__isnull=False)
        .annotate(submitted_day=TruncDate("submitted_at", tzinfo=TOKYO))
        .filter(Exists(met_before))
    )

    def reached(stages):
        return later.filter(transitions__to_status__in=stages).distinct().count()

    return [
        appointments.values("invitation__startup").distinct().count(),
        appointments.count(),
        appointments.values("unit").distinct().count(),
        later.count(),
        reached([S.SHORTLISTED, S.PITCH, S.SELECTED, S.CONTRACTED]),
        reached([S.SELECTED, S.CONTRACTED]),
        reached([S.CONTRACTED]),
    ]


def numbers(item) -> list:
    return [
        item.startups_met,
        item.appointments,
        item.units,
        item.proposals,
        *(item.reached[stage] for stage in FOLLOW_UP_STAGES),
    ]


def test_each_meeting_held_and_the_overall_row_equal_counts_made_directly_from_the_data(meetings):
    first, second, overall = meeting_follow_ups(FunnelFilters())
    assert (first.meeting.number, second.meeting.number, overall.meeting) == (1, 2, None)
    assert numbers(first) == direct([1])
    assert numbers(second) == direct([2])
    assert numbers(overall) == direct([1, 2])
    # Read by a person: A, B and C met two units 4 times at meeting 1; A's contract and B's shortlisting followed.
    assert numbers(first) == [3, 4, 2, 2, 2, 1, 1]
    # At meeting 2 A and D met the GSDF; only D proposed afterwards (A had already proposed), and was rejected.
    assert numbers(second) == [2, 2, 1, 1, 0, 0, 0]
    assert numbers(overall) == [4, 6, 2, 3, 2, 1, 1]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        # The MSDF's appointments only: A and C at meeting 1; A's proposal came before it.
        (FunnelFilters(unit=UnitCode.MSDF), [[2, 2, 1, 0, 0, 0, 0], [2, 2, 1, 0, 0, 0, 0]]),
        # AI startups (A, D) and AI needs: A's contracted proposal after meeting 1, D's rejected after meeting 2.
        (FunnelFilters(tech_field="ai"), [[1, 2, 2, 1, 1, 1, 1], [2, 2, 1, 1, 0, 0, 0], [2, 4, 2, 2, 1, 1, 1]]),
        # The period picks meetings by their first day.
        (FunnelFilters(published_from=SECOND - timedelta(days=1)), [[2, 2, 1, 1, 0, 0, 0], [2, 2, 1, 1, 0, 0, 0]]),
        (FunnelFilters(published_to=FIRST - timedelta(days=1)), [[0, 0, 0, 0, 0, 0, 0]]),
    ],
)
def test_filters_pick_meetings_pairs_and_needs(meetings, filters, expected):
    assert [numbers(item) for item in meeting_follow_ups(filters)] == expected


def test_a_meeting_marked_held_counts_even_before_its_day_has_passed(funnel_builder):
    startup = StartupFactory()
    funnel_builder.meeting(day=TODAY, status=MeetingStatus.HELD, met=[(startup, UnitCode.GSDF)])
    funnel_builder.meeting(day=TODAY, status=MeetingStatus.PUBLISHED, met=[(startup, UnitCode.MSDF)])
    rows = meeting_follow_ups(FunnelFilters())
    assert [item.meeting.number for item in rows[:-1]] == [1]  # the published one's day is today: not yet held


def test_the_selector_runs_the_same_queries_with_more_data(meetings, funnel_builder):
    with CaptureQueriesContext(connection) as small:
        meeting_follow_ups(FunnelFilters())
    need = funnel_builder.need(unit=UnitCode.ASDF, fields=["ai"], published=at(FIRST, -30))
    for _ in range(3):
        startups = [StartupFactory() for _ in range(3)]
        funnel_builder.meeting(day=FIRST + timedelta(days=3), met=[(s, UnitCode.ASDF) for s in startups])
        for startup in startups:
            funnel_builder.proposal(need, S.CONTRACTED, startup=startup, submitted=at(FIRST, 6))
    with CaptureQueriesContext(connection) as large:
        rows = meeting_follow_ups(FunnelFilters())
    assert numbers(rows[-1])[:4] == [13, 15, 3, 12]
    assert len(large.captured_queries) == len(small.captured_queries) == 3


def test_the_dashboard_shows_the_meetings_chart_and_its_csv_holds_exactly_its_numbers(client_for, meetings):
    client = client_for(RoleCode.CURATOR)
    response = client.get(reverse("programs:funnel"))
    chart = {chart.key: chart for chart in response.context["charts"]}["meetings"]
    assert [row[1:] for row in chart.rows] == [numbers(item) for item in meeting_follow_ups(FunnelFilters())]
    assert [row[0] for row in chart.rows] == [
        f"第1回（{FIRST:%Y-%m-%d}）",
        f"第2回（{SECOND:%Y-%m-%d}）",
        "開催済みの全会合",
    ]
    body = response.content.decode()
    assert "url(#dots-meetings)" in body and "url(#hatch-meetings)" in body  # three series told apart by pattern
    csv_response = client.get(reverse("programs:funnel_csv", args=["meetings"]))
    rows = list(csv.reader(io.StringIO(csv_response.content.decode("utf-8-sig"))))
    assert rows[0] == [str(column) for column in chart.columns]
    assert rows[1:] == [[str(value) for value in row] for row in chart.rows]


def test_with_no_meeting_held_the_chart_says_so(client_for, funnel_builder):
    funnel_builder.meeting(
        day=TODAY + timedelta(days=3), status=MeetingStatus.PUBLISHED, met=[(StartupFactory(), UnitCode.GSDF)]
    )
    response = client_for(RoleCode.CURATOR).get(reverse("programs:funnel"))
    assert {chart.key: chart for chart in response.context["charts"]}["meetings"].rows == []


@pytest.mark.parametrize("role", ROLES)
def test_only_government_users_and_admins_download_the_meetings_csv(client_for, role):
    response = client_for(role).get(reverse("programs:funnel_csv", args=["meetings"]))
    assert response.status_code == (200 if role in FUNNEL_READERS else 403)
