"""The meetings list, the create/edit form (validation in Japanese, nothing saved on error), the meeting page
for each kind of reader and the status moves with their confirmation; query counts at two sizes."""

from datetime import time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from matchmaking.meetings import services
from matchmaking.meetings.enums import MeetingStatus
from matchmaking.models import JointMeeting
from tests.factories import OrganisationFactory, StartupFactory


def ja(msgid: str) -> str:
    with translation.override("ja"):
        return translation.gettext(msgid)


def form_data(world, **changes) -> dict:
    day = timezone.localdate() + timedelta(days=30)
    data = {
        "number": 7,
        "title": "第7回 合同推進会",
        "title_en": "7th joint promotion meeting",
        "kind": "startup_session",
        "days": f"{day:%Y-%m-%d} 10:00-12:00\n{day + timedelta(days=1):%Y-%m-%d} 13:00-15:00",
        "slot_minutes": 20,
        "breaks": "11:00-11:20",
        "rooms": "会議室A\n会議室B",
        "units": [world.gsdf.pk, world.atla.pk],
        "venue": "防衛省",
        "online_url": "",
        "reply_by": f"{timezone.localdate() + timedelta(days=10):%Y-%m-%d}",
        "notes": "",
    }
    data.update(changes)
    return data


def test_admin_creates_a_meeting_with_days_rooms_breaks_and_units(client, world):
    client.force_login(world.admin)
    response = client.post(reverse("meetings:create"), form_data(world))
    meeting = JointMeeting.objects.get(number=7)
    assert response.status_code == 302 and response["Location"] == reverse("meetings:detail", args=[meeting.pk])
    assert [(d.opens_at, d.closes_at) for d in meeting.days.all()] == [(time(10), time(12)), (time(13), time(15))]
    assert [r.name for r in meeting.rooms.all()] == ["会議室A", "会議室B"]
    assert meeting.breaks == [{"start": "11:00", "end": "11:20"}] and meeting.slot_minutes == 20
    assert set(meeting.units.values_list("unit_id", flat=True)) == {world.gsdf.pk, world.atla.pk}
    page = client.get(response["Location"]).content.decode()
    assert "第7回 合同推進会" in page and "11:00–11:20" in page


@pytest.mark.parametrize(
    ("changes", "field", "msgid"),
    [
        ({"days": "2026-13-45 10:00-12:00"}, "days", "Line %(line)s is not a day like 2026-12-01 10:00-17:00."),
        ({"days": "2030-01-10 12:00-10:00"}, "days", "Line %(line)s: the closing time must be after the opening time."),
        ({"days": ""}, "days", "This field is required."),
        ({"breaks": "lunch"}, "breaks", "Breaks are written as 12:00-13:00, separated by commas."),
        ({"rooms": "A\nA"}, "rooms", "Each room or table needs its own name."),
        ({"number": 1}, None, "Meeting number %(number)s already exists."),
    ],
)
def test_bad_input_is_refused_in_japanese_and_nothing_is_saved(client, world, changes, field, msgid):
    client.force_login(world.admin)
    before = JointMeeting.objects.count()
    response = client.post(reverse("meetings:create"), form_data(world, **changes))
    assert response.status_code == 200 and JointMeeting.objects.count() == before
    form = response.context["form"]
    errors = form.errors[field] if field else form.non_field_errors()
    expected = ja(msgid).split("%(")[0]
    assert expected != msgid.split("%(")[0] or msgid == "This field is required."
    assert any(error.startswith(expected) for error in errors), errors


def test_edit_keeps_the_number_and_refuses_a_grid_change_once_scheduled(client, scheduled):
    meeting = scheduled.meeting
    client.force_login(scheduled.admin)
    url = reverse("meetings:edit", args=[meeting.pk])
    initial = client.get(url).context["form"].initial
    data = {**initial, "units": initial["units"], "reply_by": "", "number": 99, "title": "新しい題名"}
    response = client.post(url, data)
    meeting.refresh_from_db()
    assert response.status_code == 302 and meeting.title == "新しい題名" and meeting.number == 1
    response = client.post(url, {**data, "title": "変えない", "slot_minutes": 15})
    meeting.refresh_from_db()
    assert response.status_code == 200 and meeting.title == "新しい題名" and meeting.slot_minutes == 30
    assert ja("Days, slot length and breaks cannot change while the timetable has appointments.") in str(
        response.context["form"].non_field_errors()
    )


def test_status_moves_ask_first_then_move(client, scheduled):
    meeting = scheduled.meeting
    client.force_login(scheduled.admin)
    detail = client.get(reverse("meetings:detail", args=[meeting.pk]))
    assert [to for to, _label in detail.context["moves"]] == ["inviting", "published"]
    url = reverse("meetings:move", args=[meeting.pk, "published"])
    confirm = client.get(url)
    assert confirm.status_code == 200 and b'data-testid="confirm"' in confirm.content
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.SCHEDULED  # asking changes nothing
    client.post(url)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PUBLISHED and meeting.agenda_versions.count() == 1


def test_a_refused_move_says_why_and_changes_nothing(client, world):
    client.force_login(world.admin)
    response = client.post(reverse("meetings:move", args=[world.meeting.pk, "held"]), follow=True)
    world.meeting.refresh_from_db()
    assert world.meeting.status == MeetingStatus.PLANNING
    assert ja("A meeting cannot go from “%(from)s” to “%(to)s”.").split("%(")[0] in response.content.decode()


def test_participants_see_their_part_on_the_meeting_page(client, scheduled):
    url = reverse("meetings:detail", args=[scheduled.meeting.pk])
    client.force_login(scheduled.members[0])
    page = client.get(url)
    assert page.context["participant"].invitation.startup == scheduled.startups[0]
    assert {a.invitation.startup_id for a in page.context["appointments"]} == {scheduled.startups[0].pk}
    assert b'data-testid="admin-actions"' not in page.content
    client.force_login(scheduled.gsdf_user)
    page = client.get(url)
    assert {a.unit_id for a in page.context["appointments"]} == {scheduled.gsdf.pk}
    assert b'data-testid="briefing"' in page.content


def test_the_list_shows_status_days_and_counts(client, scheduled):
    client.force_login(scheduled.admin)
    page = client.get(reverse("meetings:list"))
    row = page.context["page"].object_list[0]
    assert (row.invitation_count, row.accepted_count, row.unit_count) == (4, 4, 2)
    with translation.override("ja"):
        assert translation.pgettext("meeting status", "Draft agenda") in page.content.decode()
    client.force_login(scheduled.members[1])
    assert [m.pk for m in client.get(reverse("meetings:list")).context["page"].object_list] == [scheduled.meeting.pk]


def test_the_list_is_empty_for_the_uninvited(client, world):
    stranger_org = OrganisationFactory(kind="startup")
    StartupFactory(organisation=stranger_org)
    from tests.factories import UserFactory

    client.force_login(UserFactory(organisation=stranger_org, roles=["startup_member"]))
    page = client.get(reverse("meetings:list"))
    assert ja("You have not been invited to a joint promotion meeting yet.") in page.content.decode()


def grow(world, meeting_day, count: int) -> None:
    """More meetings, invitees and units' days: the pages must not query more."""
    start = JointMeeting.objects.count() + 1
    for number in range(start, start + count):
        meeting = services.meeting_create(
            actor=world.admin,
            number=number + 100,
            title=f"第{number}回",
            days=[(meeting_day, time(10), time(12)), (meeting_day + timedelta(days=1), time(10), time(12))],
            rooms=["A", "B"],
            units=world.units,
        )
        startups = [StartupFactory() for _ in range(2)]
        services.invitation_create(meeting=meeting, actor=world.admin, startups=startups)


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("page", ["list", "detail"])
def test_query_counts_do_not_grow_with_the_data(client, scheduled, meeting_day, page):
    client.force_login(scheduled.admin)
    url = reverse("meetings:list") if page == "list" else reverse("meetings:detail", args=[scheduled.meeting.pk])
    grow(scheduled, meeting_day, 2)
    small = count_queries(client, url)
    grow(scheduled, meeting_day, 5)
    services.invitation_create(meeting=scheduled.meeting, actor=scheduled.admin, startups=[StartupFactory()])
    assert count_queries(client, url) == small
