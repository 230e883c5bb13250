"""What a person sees when an address or a form carries hostile input (issue 13, finding 10): a clear answer, never
a 500. The crawl (test_crawl.py) sends such input everywhere; these pin down the answers."""

from datetime import time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.enums import RoleCode
from core.params import MAX_ID, parse_id
from matchmaking.models import JointMeeting
from tests.factories import StartupFactory

NOT_IDS = ["²", "١٢", "１２", "12a", " 12", "-1", "0", "", str(MAX_ID + 1), "9" * 5000, None, 12]


@pytest.mark.parametrize("text", NOT_IDS)
def test_parse_id_refuses_what_is_not_an_ascii_id_in_range(text):
    assert parse_id(text) is None


def test_parse_id_reads_ascii_ids_up_to_a_bigint():
    assert [parse_id("7"), parse_id("0042"), parse_id(str(MAX_ID))] == [7, 42, MAX_ID]


@pytest.mark.parametrize("path", ["/api/v1/tech-fields/1%00/", "/api/v1/programs/1%00/", "/needs/?q=%00", "/%00"])
def test_a_nul_in_the_address_is_refused_with_a_400_that_says_why(client, db, path):
    response = client.get(path)
    assert response.status_code == 400
    assert "NUL" in response.content.decode()


def test_an_id_in_the_path_past_a_bigint_names_nothing(client_for):
    assert client_for(RoleCode.PORTAL_ADMIN).get(f"/meetings/{10**30}/units/1/requests/").status_code == 404


def test_a_far_date_in_the_audit_filter_is_a_form_error(client_for):
    client = client_for(RoleCode.PORTAL_ADMIN)
    response = client.get(reverse("accounts:audit_list"), {"date_to": "9999-12-31"})
    assert response.status_code == 200
    assert "date_to" in response.context["form"].errors
    assert client.get(reverse("accounts:audit_export"), {"date_from": "9999-12-31"}).status_code == 200


@pytest.mark.parametrize("url", [reverse("programs:funnel"), reverse("programs:funnel_csv", args=["stages"])])
def test_a_far_date_in_the_funnel_filter_shows_every_figure_and_no_error_page(client_for, url):
    response = client_for(RoleCode.CURATOR).get(url, {"published_to": "9999-12-31", "published_from": "0001-01-01"})
    assert response.status_code == 200


def test_a_far_meeting_day_is_a_form_error_and_creates_nothing(client_for):
    response = client_for(RoleCode.PORTAL_ADMIN).post(
        reverse("meetings:create"),
        {"number": 7, "title": "遠い日", "kind": "startup_session", "days": "9999-12-31 23:00-23:59",
         "slot_minutes": 30, "rooms": "A"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "days" in response.context["form"].errors
    assert not JointMeeting.objects.exists()


def test_a_meeting_day_in_range_is_still_accepted(client_for):
    day = timezone.localdate() + timedelta(days=30)
    response = client_for(RoleCode.PORTAL_ADMIN).post(
        reverse("meetings:create"),
        {"number": 8, "title": "近い日", "kind": "startup_session", "days": f"{day} 10:00-12:00",
         "slot_minutes": 30, "rooms": "A"},
    )  # fmt: skip
    assert response.status_code == 302
    assert JointMeeting.objects.get().days.get().opens_at == time(10, 0)


@pytest.mark.parametrize("value", ["²", "１２", str(10**30)])
def test_an_odd_participant_id_on_the_agenda_download_is_a_404(client_for, value):
    from matchmaking.meetings.services import meeting_create

    client = client_for(RoleCode.PORTAL_ADMIN)
    day = timezone.localdate() + timedelta(days=30)
    meeting = meeting_create(actor=None, number=1, title="会", days=[(day, time(10), time(12))], rooms=["A"])
    for key in ("invitation", "unit"):
        assert client.get(reverse("meetings:my_agenda", args=[meeting.pk, "csv"]), {key: value}).status_code == 404


def test_an_odd_source_proposal_leaves_the_proposal_form_filled_from_the_company(client_for, user_with_role):
    from tests.helpers import published_need

    member = user_with_role(RoleCode.STARTUP_MEMBER)
    StartupFactory(organisation=member.organisation, description="会社の説明")
    need = published_need(owner_unit=user_with_role(RoleCode.NEED_AUTHOR).organisation, ref="N-2024-0001")
    client = client_for(None)
    client.force_login(member)
    response = client.get(reverse("needs:proposal_create", args=[need.pk]), {"from": "²"})
    assert response.status_code == 200


@pytest.mark.parametrize("text", ["１２:００", "١٢:٠٠", f"{10**30}:00", "9" * 5000])
def test_a_clock_time_is_ascii_hours_and_minutes(text):
    from matchmaking.meetings.slots import parse_clock

    with pytest.raises(ValueError):
        parse_clock(text)


@pytest.mark.parametrize(("field", "value"), [("number", str(10**30)), ("units", str(10**30)), ("breaks", "9" * 40)])
def test_a_huge_number_in_the_meeting_form_is_a_form_error(client_for, field, value):
    data = {"number": 9, "title": "会", "kind": "startup_session", "days": "2030-01-07 10:00-12:00",
            "slot_minutes": 30, "rooms": "A", field: value}  # fmt: skip
    response = client_for(RoleCode.PORTAL_ADMIN).post(reverse("meetings:create"), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors


def test_a_number_of_5000_digits_in_a_programmes_rules_is_a_form_error(client_for):
    response = client_for(RoleCode.CURATOR).post(reverse("programs:program_create"), {"rules": "9" * 5000})
    assert response.status_code == 200
    assert "rules" in response.context["form"].errors
