"""The funnel dashboard: its counts equal counts made directly from the data, its filters, time in stage,
the designation mix, CSV of exactly the numbers shown, and government users only."""

import csv
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.enums import RoleCode, UnitCode
from needs.enums import NeedStatus, ProposalStatus
from needs.models import Need, Proposal
from programs.selectors.funnel import FunnelFilters, designation_mix, funnel_counts, stage_times
from seeds.models import Designation
from tests.factories import StartupFactory

S = ProposalStatus
ROLES = list(RoleCode)
GOVERNMENT = {RoleCode.CURATOR, RoleCode.NEED_AUTHOR, RoleCode.NEED_REVIEWER}
FUNNEL_READERS = GOVERNMENT | {RoleCode.PORTAL_ADMIN}  # DESIGN.md §2: admins see funnel analytics
PUBLISHED = timezone.now() - timedelta(days=90)


@pytest.fixture
def world(funnel_builder):
    """Two units, two fields, proposals at every stage, a draft and a need never published."""
    b = funnel_builder
    gsdf = b.need(unit=UnitCode.GSDF, fields=["unmanned"], published=PUBLISHED)
    msdf = b.need(unit=UnitCode.MSDF, fields=["unmanned", "ai"], published=PUBLISHED)
    b.need(unit=UnitCode.GSDF, published=None, status=NeedStatus.DRAFT)
    j_startup = StartupFactory()
    Designation.objects.create(startup=j_startup, program="jstartup", cohort="2023")
    for final in (S.SUBMITTED, S.UNDER_REVIEW, S.SHORTLISTED, S.PITCH, S.REJECTED):
        b.proposal(gsdf, final)
    b.proposal(gsdf, S.SELECTED, startup=j_startup)
    b.proposal(msdf, S.CONTRACTED)
    b.proposal(msdf, S.DRAFT)  # never submitted: not in the funnel
    return b


def reached(statuses) -> int:
    """Counted independently: submitted proposals with a transition into any of `statuses`."""
    return Proposal.objects.filter(submitted_at__isnull=False, transitions__to_status__in=statuses).distinct().count()


def test_overall_counts_equal_counts_made_directly_from_the_data(world):
    counts = funnel_counts(FunnelFilters())
    assert counts == {
        "needs_published": Need.objects.filter(published_at__isnull=False).count(),
        "proposals": Proposal.objects.filter(submitted_at__isnull=False).count(),
        S.SHORTLISTED: reached([S.SHORTLISTED, S.PITCH, S.SELECTED, S.CONTRACTED]),
        S.PITCH: reached([S.PITCH, S.SELECTED, S.CONTRACTED]),
        S.SELECTED: reached([S.SELECTED, S.CONTRACTED]),
        S.CONTRACTED: reached([S.CONTRACTED]),
    }
    assert list(counts.values()) == [2, 7, 4, 3, 2, 1]  # the world as built, read by a person


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (FunnelFilters(unit=UnitCode.MSDF), [1, 1, 1, 1, 1, 1]),
        (FunnelFilters(tech_field="ai"), [1, 1, 1, 1, 1, 1]),
        (FunnelFilters(tech_field="unmanned"), [2, 7, 4, 3, 2, 1]),
        (FunnelFilters(published_to=(PUBLISHED - timedelta(days=2)).date()), [0, 0, 0, 0, 0, 0]),
    ],
)
def test_filters_pick_needs_and_what_followed(world, filters, expected):
    assert list(funnel_counts(filters).values()) == expected


def test_time_in_stage_comes_from_the_transition_records(world):
    times = {item.stage: item for item in stage_times(FunnelFilters())}
    # Every built stay lasts 3 days; submitted → under review happened for all but the one still submitted.
    assert times[S.SUBMITTED].stays == Proposal.objects.filter(submitted_at__isnull=False).count() - 1
    assert times[S.SUBMITTED].median_days == 3.0
    assert times[S.PITCH].stays == 1 and times[S.SELECTED].stays == 1


def test_designation_mix_answers_whether_j_startup_companies_won(world):
    mix = {share.program: share for share in designation_mix(FunnelFilters())}
    assert (mix["jstartup"].proposers, mix["jstartup"].selected) == (1, 1)
    assert (mix[""].proposers, mix[""].selected) == (6, 1)


@pytest.mark.parametrize("role", ROLES)
def test_only_government_users_and_admins_see_the_dashboard(client_for, role):
    response = client_for(role).get(reverse("programs:funnel"))
    assert response.status_code == (200 if role in FUNNEL_READERS else 403)


@pytest.mark.parametrize("role", ROLES)
def test_only_government_users_and_admins_download_its_csv(client_for, role):
    response = client_for(role).get(reverse("programs:funnel_csv", args=["stages"]))
    assert response.status_code == (200 if role in FUNNEL_READERS else 403)


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    assert client.get(reverse("programs:funnel")).status_code == 302
    assert client.get(reverse("programs:funnel_csv", args=["stages"])).status_code == 302


def test_dashboard_counts_and_each_csv_hold_exactly_the_numbers_shown(client_for, world):
    client = client_for(RoleCode.CURATOR)
    query = {"unit": UnitCode.GSDF}
    charts = client.get(reverse("programs:funnel"), query).context["charts"]
    assert [row[1] for row in charts[0].rows] == list(funnel_counts(FunnelFilters(unit=UnitCode.GSDF)).values())
    for chart in charts:
        response = client.get(reverse("programs:funnel_csv", args=[chart.key]), query)
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert rows[0] == [str(column) for column in chart.columns]
        assert rows[1:] == [["" if value is None else str(value) for value in row] for row in chart.rows]


def test_unknown_chart_csv_is_404(client_for, db):
    assert client_for(RoleCode.CURATOR).get(reverse("programs:funnel_csv", args=["pie"])).status_code == 404


def test_bad_period_is_explained_and_the_figures_stay_unfiltered(client_for, world):
    response = client_for(RoleCode.CURATOR).get(
        reverse("programs:funnel"), {"published_from": "2024-05-01", "published_to": "2024-04-01"}
    )
    assert response.context["form"].errors["published_to"]
    assert response.context["charts"][0].rows[0][1] == 2


def test_charts_carry_their_values_as_text_and_tell_series_apart_without_colour(client_for, world):
    body = client_for(RoleCode.CURATOR).get(reverse("programs:funnel")).content.decode()
    assert 'role="img"' in body and "<title" in body
    assert "url(#hatch-designations)" in body  # the second series is hatched, and a legend names it
    assert 'class="bar-value"' in body and "https://" not in body.split("<main")[1]


def test_dashboard_runs_the_same_queries_with_more_data(client_for, world, funnel_builder):
    client = client_for(RoleCode.CURATOR)
    url = reverse("programs:funnel")
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for unit in (UnitCode.ASDF, UnitCode.JOINT_STAFF):
        need = funnel_builder.need(unit=unit, fields=["ai", "space"], published=PUBLISHED)
        for final in (S.CONTRACTED, S.PITCH, S.REJECTED, S.SELECTED):
            startup = StartupFactory()
            Designation.objects.create(startup=startup, program="jva", cohort="2022")
            funnel_builder.proposal(need, final, startup=startup)
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(large.captured_queries) == len(small.captured_queries)


def test_counts_by_month_of_publication_in_japan(funnel_builder):
    from datetime import datetime

    from programs.clock import TOKYO
    from programs.selectors.funnel import funnel_by_month

    # 31 March 2024 23:30 in Tokyo is still March there (14:30 UTC).
    march = funnel_builder.need(published=datetime(2024, 3, 31, 23, 30, tzinfo=TOKYO))
    april = funnel_builder.need(published=datetime(2024, 4, 1, 0, 30, tzinfo=TOKYO))
    funnel_builder.proposal(march, S.SELECTED)
    funnel_builder.proposal(april, S.SUBMITTED)
    funnel_builder.proposal(april, S.CONTRACTED)
    months = {f"{month:%Y-%m}": counts for month, counts in funnel_by_month(FunnelFilters()).items()}
    assert list(months) == ["2024-03", "2024-04"]
    assert (months["2024-03"]["needs_published"], months["2024-03"]["proposals"], months["2024-03"][S.SELECTED]) == (
        1,
        1,
        1,
    )
    assert (months["2024-04"]["proposals"], months["2024-04"][S.CONTRACTED]) == (2, 1)
