"""`meetings/`, `meetings/{id}/schedule/`, `meetings/{id}/agenda/`: each role sees what it takes part in."""

from datetime import time

import icalendar
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from accounts.enums import OrganisationKind, RoleCode, UnitCode
from matchmaking.meetings import services
from matchmaking.models import Appointment, ScheduleRun
from tests.factories import OrganisationFactory, StartupFactory, UserFactory
from tests.matchmaking.meetings.conftest import STARTUP_NAMES, make_unit


@pytest.fixture
def api():
    return APIClient()


def as_user(api, user):
    api.force_authenticate(user)
    return api


def other_meeting(world, meeting_day, number=2):
    return services.meeting_create(
        actor=world.admin, number=number, title=f"第{number}回", days=[(meeting_day, time(13), time(15))], rooms=["A"]
    )


def ids(response):
    return [item["id"] for item in response.json()["results"]]


def test_admins_list_every_meeting(api, scheduled, meeting_day):
    second = other_meeting(scheduled, meeting_day)
    response = as_user(api, scheduled.admin).get("/api/v1/meetings/")
    assert response.status_code == 200 and ids(response) == [second.pk, scheduled.meeting.pk]
    item = response.json()["results"][1]
    assert item["number"] == 1 and item["status"] == "scheduled" and item["accepted_count"] == 4
    assert item["days"][0]["opens_at"] == "10:00:00"


def test_participants_list_only_the_meetings_they_take_part_in(api, scheduled, meeting_day):
    other_meeting(scheduled, meeting_day)
    for user in (scheduled.members[0], scheduled.gsdf_user, scheduled.atla_user):
        assert ids(as_user(api, user).get("/api/v1/meetings/")) == [scheduled.meeting.pk]


def outsiders(world):
    stranger_org = OrganisationFactory(kind=OrganisationKind.STARTUP)
    StartupFactory(organisation=stranger_org)
    msdf = make_unit(OrganisationKind.MOD_UNIT, UnitCode.MSDF, "海上幕僚監部", "MSDF Staff Office")
    return [
        UserFactory(organisation=stranger_org, roles=[RoleCode.STARTUP_MEMBER]),
        UserFactory(organisation=msdf, roles=[RoleCode.NEED_AUTHOR]),
        UserFactory(organisation=world.startups[0].organisation, roles=[]),  # in the company, not a member
    ]


def test_outsiders_see_no_meeting_and_get_404_for_its_id(api, scheduled):
    meeting = scheduled.meeting.pk
    for user in outsiders(scheduled):
        client = as_user(api, user)
        assert ids(client.get("/api/v1/meetings/")) == []
        assert client.get(f"/api/v1/meetings/{meeting}/").status_code == 404
        assert client.get(f"/api/v1/meetings/{meeting}/agenda/").status_code == 404
        assert client.post(f"/api/v1/meetings/{meeting}/schedule/").status_code == 404


def test_curators_read_every_meeting_and_its_agenda_as_json_only(api, scheduled):
    meeting = scheduled.meeting.pk
    curator = UserFactory(organisation=OrganisationFactory(government=True), roles=[RoleCode.CURATOR])
    client = as_user(api, curator)
    assert ids(client.get("/api/v1/meetings/")) == [meeting]
    assert len(client.get(f"/api/v1/meetings/{meeting}/agenda/").json()["appointments"]) == 8
    for fmt in ("csv", "xlsx", "pdf", "ics"):
        assert client.get(f"/api/v1/meetings/{meeting}/agenda/?format={fmt}").status_code == 403
    assert client.post(f"/api/v1/meetings/{meeting}/schedule/").status_code == 403


def test_anonymous_clients_must_authenticate(api, scheduled):
    assert api.get("/api/v1/meetings/").status_code in (401, 403)
    assert api.get(f"/api/v1/meetings/{scheduled.meeting.pk}/agenda/").status_code in (401, 403)


def test_only_admins_schedule(api, invited, django_capture_on_commit_callbacks):
    url = f"/api/v1/meetings/{invited.meeting.pk}/schedule/"
    for user in (invited.members[0], invited.gsdf_user):
        assert as_user(api, user).post(url).status_code == 403
    assert not ScheduleRun.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(api, invited.admin).post(url)
    assert response.status_code == 202
    body = response.json()
    assert body["status"] == "queued"  # answered before the task starts, after commit
    assert ScheduleRun.objects.get(pk=body["run"]).status == "done"
    latest = as_user(api, invited.admin).get(url).json()
    assert latest["run"] == body["run"] and latest["status"] == "done" and latest["solver_status"] == "optimal"
    assert latest["placed"] == 8 and latest["gap"] == 0 and latest["unplaced"] == []
    assert as_user(api, invited.members[0]).get(url).status_code == 403
    assert Appointment.objects.filter(meeting=invited.meeting).count() == 8  # the task ran after commit


def test_scheduling_a_meeting_in_planning_is_a_clear_400(api, world):
    response = as_user(api, world.admin).post(f"/api/v1/meetings/{world.meeting.pk}/schedule/")
    assert response.status_code == 400 and response.json()["detail"]


def test_the_admin_gets_the_whole_agenda_and_a_startup_only_its_own(api, scheduled):
    url = f"/api/v1/meetings/{scheduled.meeting.pk}/agenda/"
    whole = as_user(api, scheduled.admin).get(url).json()
    assert whole["participant"] is None and len(whole["appointments"]) == 8
    own = as_user(api, scheduled.members[0]).get(url).json()
    assert own["participant"] == STARTUP_NAMES[0] and len(own["appointments"]) == 2
    assert {a["invitee"]["name"] for a in own["appointments"]} == {STARTUP_NAMES[0]}
    unit = as_user(api, scheduled.gsdf_user).get(url).json()
    assert len(unit["appointments"]) == 4 and {a["unit"]["id"] for a in unit["appointments"]} == {scheduled.gsdf.pk}


@pytest.mark.parametrize(("fmt", "content_type"), [("ics", "text/calendar"), ("pdf", "application/pdf")])
def test_agenda_files_through_the_format_parameter(api, scheduled, fmt, content_type):
    url = f"/api/v1/meetings/{scheduled.meeting.pk}/agenda/?format={fmt}"
    response = as_user(api, scheduled.members[1]).get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith(content_type)
    assert f".{fmt}" in response["Content-Disposition"]
    if fmt == "ics":
        events = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
        assert len(events) == 2


def test_an_unknown_format_is_refused(api, scheduled):
    url = f"/api/v1/meetings/{scheduled.meeting.pk}/agenda/?format=doc"
    assert as_user(api, scheduled.admin).get(url).status_code == 404


def test_the_meetings_are_in_the_openapi_schema(api, db):
    paths = api.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()["paths"]
    assert {"/api/v1/meetings/", "/api/v1/meetings/{id}/schedule/", "/api/v1/meetings/{id}/agenda/"} <= set(paths)


def count_queries(client, url) -> int:
    client.get(url)  # warm: the user's roles are read once per user object
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_list_queries_do_not_grow_with_meetings(api, scheduled, meeting_day):
    client = as_user(api, scheduled.admin)
    few = count_queries(client, "/api/v1/meetings/")
    for number in range(2, 7):
        other_meeting(scheduled, meeting_day, number)
    assert count_queries(client, "/api/v1/meetings/") == few


def test_agenda_queries_do_not_grow_with_appointments(api, scheduled, django_capture_on_commit_callbacks):
    from matchmaking.meetings.scheduling import schedule_enqueue

    client = as_user(api, scheduled.admin)
    url = f"/api/v1/meetings/{scheduled.meeting.pk}/agenda/"
    keep = list(Appointment.objects.order_by("pk").values_list("pk", flat=True)[:2])
    Appointment.objects.exclude(pk__in=keep).delete()
    few = count_queries(client, url)
    with django_capture_on_commit_callbacks(execute=True):
        schedule_enqueue(meeting=scheduled.meeting, actor=scheduled.admin, time_limit_s=10)
    assert len(client.get(url).json()["appointments"]) == 8
    assert count_queries(client, url) == few
