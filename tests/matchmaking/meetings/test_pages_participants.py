"""What participants do on their pages: an invitee's and a unit's availability grid, a unit's requests
(priority, "no thanks"), the admin's requests overview with proposals from rankings, each participant's own
agenda files and a unit's briefing pack."""

import io

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from matchmaking.meetings.enums import RequestOrigin, RequestPriority
from matchmaking.meetings.slots import meeting_slots
from matchmaking.models import MeetingRequest, Shortlist
from tests.matchmaking.conftest import make_need


def ja(msgid: str) -> str:
    with translation.override("ja"):
        return translation.gettext(msgid)


def test_the_invitee_ticks_the_slots_it_can_make(client, invited):
    invitation = invited.invitation(0)
    keys = [s.key for s in meeting_slots(invited.meeting)]
    client.force_login(invited.members[0])
    url = reverse("meetings:invitee_availability", args=[invited.meeting.pk, invitation.pk])
    page = client.get(url)
    assert page.content.decode().count('name="available"') == len(keys)
    response = client.post(url, {"available": keys[1:3]})
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.unavailable_slots == [keys[0], keys[3]]
    again = client.get(url).content.decode()
    assert f'value="{keys[1]}" checked' in again and f'value="{keys[0]}" checked' not in again


def test_an_unknown_slot_is_refused_in_japanese_and_nothing_changes(client, invited):
    meeting_unit = invited.meeting.units.get(unit=invited.gsdf)
    client.force_login(invited.gsdf_user)
    url = reverse("meetings:unit_availability", args=[invited.meeting.pk, meeting_unit.pk])
    response = client.post(url, {"available": ["2001-01-01T10:00"]})
    assert response.status_code == 200
    meeting_unit.refresh_from_db()
    assert meeting_unit.unavailable_slots == []
    with translation.override("ja"):
        expected = translation.gettext("Select a valid choice. %(value)s is not one of the available choices.")
    assert expected.split("%(")[0] in response.content.decode()


def test_a_unit_marks_no_thanks_changes_a_priority_and_adds_a_request(client, invited):
    meeting, meeting_unit = invited.meeting, invited.meeting.units.get(unit=invited.gsdf)
    client.force_login(invited.gsdf_user)
    page = client.get(reverse("meetings:unit_requests", args=[meeting.pk, meeting_unit.pk]))
    wishes = list(page.context["page"].object_list)
    assert len(wishes) == 4 and {w.unit_id for w in wishes} == {invited.gsdf.pk}
    change = reverse("meetings:unit_request_change", args=[meeting.pk, meeting_unit.pk, wishes[0].pk])
    client.post(change, {"action": "decline"})
    client.post(
        reverse("meetings:unit_request_change", args=[meeting.pk, meeting_unit.pk, wishes[1].pk]),
        {"action": "priority", "priority": RequestPriority.MUST_MEET},
    )
    wishes[0].refresh_from_db()
    wishes[1].refresh_from_db()
    assert wishes[0].declined_at is not None and wishes[1].priority == RequestPriority.MUST_MEET
    client.post(change, {"action": "priority", "priority": 42})
    wishes[0].refresh_from_db()
    assert wishes[0].priority == RequestPriority.WANT_TO_MEET
    MeetingRequest.objects.filter(pk=wishes[2].pk).delete()
    client.post(
        reverse("meetings:unit_requests", args=[meeting.pk, meeting_unit.pk]),
        {"invitation": wishes[2].invitation_id, "priority": RequestPriority.MUST_MEET, "note": "ぜひ"},
    )
    new = MeetingRequest.objects.get(invitation_id=wishes[2].invitation_id, unit=invited.gsdf)
    assert new.origin == RequestOrigin.UNIT_PREFERENCE and new.note == "ぜひ"


def test_a_unit_cannot_touch_another_units_requests(client, invited):
    atla_unit = invited.meeting.units.get(unit=invited.atla)
    wish = MeetingRequest.objects.filter(unit=invited.atla).first()
    client.force_login(invited.gsdf_user)
    url = reverse("meetings:unit_request_change", args=[invited.meeting.pk, atla_unit.pk, wish.pk])
    assert client.post(url, {"action": "decline"}).status_code == 403
    wish.refresh_from_db()
    assert wish.declined_at is None


def test_the_admin_proposes_requests_from_shortlists(client, world):
    from tests.matchmaking.meetings.conftest import invite_all

    invite_all(world)
    need = make_need(world.gsdf, "N-1")
    Shortlist.objects.create(need=need, startup=world.startups[0], added_by=world.gsdf_user)
    client.force_login(world.admin)
    client.post(reverse("meetings:requests_propose", args=[world.meeting.pk]))
    wish = MeetingRequest.objects.get(invitation=world.invitation(0), unit=world.gsdf)
    assert wish.priority == RequestPriority.MUST_MEET and wish.origin == RequestOrigin.UNIT_PREFERENCE
    page = client.get(reverse("meetings:requests", args=[world.meeting.pk]))
    assert world.startups[0].name in page.content.decode()


@pytest.mark.parametrize("who", ["member", "unit"])
def test_participants_download_their_own_agenda_only(client, scheduled, who):
    user = scheduled.members[0] if who == "member" else scheduled.gsdf_user
    client.force_login(user)
    response = client.get(reverse("meetings:my_agenda", args=[scheduled.meeting.pk, "xlsx"]))
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    text = " ".join(str(cell) for row in rows for cell in row if cell)
    if who == "member":
        assert scheduled.startups[0].name in text and scheduled.startups[1].name not in text
    else:
        assert all(s.name in text for s in scheduled.startups)
    pdf = client.get(reverse("meetings:my_agenda", args=[scheduled.meeting.pk, "pdf"]))
    assert pdf.content.startswith(b"%PDF")


def test_a_unit_downloads_its_briefing_pack(client, scheduled):
    meeting_unit = scheduled.meeting.units.get(unit=scheduled.gsdf)
    client.force_login(scheduled.gsdf_user)
    response = client.get(reverse("meetings:briefing", args=[scheduled.meeting.pk, meeting_unit.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert response["Content-Type"] == "application/pdf"
