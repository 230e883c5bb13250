"""The new-entry consultation window: anonymous submission (page and API), its rate limit, and triage."""

import pytest
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.enums import RoleCode
from needs.enums import ConsultationStatus
from needs.models import ConsultationRequest
from seeds.models import CuratorNote, Startup
from tests.factories import StartupFactory, make_corporate_number

API_URL = "/api/v1/consultations/"
TRIAGERS = {RoleCode.PORTAL_ADMIN, RoleCode.CURATOR}
VALID_NUMBER = make_corporate_number(4242)
BAD_NUMBER = VALID_NUMBER[:-1] + str((int(VALID_NUMBER[-1]) + 1) % 10)  # one digit off: the check digit fails


@pytest.fixture(autouse=True)
def _empty_cache():
    """The rate limit counts in the cache: every test starts with a fresh budget."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api():
    return APIClient()


def five_items(**extra) -> dict:
    return {
        "company_name": "株式会社ソラミミ",
        "company_summary": "音響センサーを開発する従業員20名のスタートアップ（東京都）。",
        "inquiry": "防衛装備庁との取引を始めるための手続きを伺いたい。",
        "technology": "小型無人機の音響探知センサー（TRL 6）",
        "defense_record": "防衛関係の取引実績なし。主要顧客は電力会社、売上高は年3億円。",
        "contact_name": "空耳 太郎",
        "contact_email": "taro@soramimi.example.jp",
        "contact_phone": "03-1234-5678",
        **extra,
    }


def make_consultation(**extra) -> ConsultationRequest:
    return ConsultationRequest.objects.create(**five_items(**extra))


# --- Submission -------------------------------------------------------------------------------------------


def test_the_form_is_open_to_anyone(client, db):
    response = client.get(reverse("needs:consultation_new"))
    assert response.status_code == 200
    for name in ("company_name", "company_summary", "inquiry", "technology", "defense_record", "contact_email"):
        assert f'name="{name}"' in response.content.decode()


def test_an_anonymous_visitor_submits_and_gets_an_acknowledgement(client, db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("needs:consultation_new"), five_items(corporate_number=VALID_NUMBER))
    assert response.status_code == 302
    assert response["Location"] == reverse("needs:consultation_done")
    assert client.get(response["Location"]).status_code == 200
    consultation = ConsultationRequest.objects.get()
    assert (consultation.status, consultation.language, consultation.corporate_number) == (
        ConsultationStatus.NEW,
        "ja",
        VALID_NUMBER,
    )
    assert consultation.defense_record == five_items()["defense_record"]
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["taro@soramimi.example.jp"]
    assert message.extra_headers["Content-Language"] == "ja"
    assert str(consultation.pk) in message.subject
    # nothing the submitter typed is echoed to the address (the form is no relay for arbitrary text)
    assert "ソラミミ" not in message.body
    assert five_items()["inquiry"] not in message.body


def test_the_submitters_language_is_remembered(client, db, django_capture_on_commit_callbacks):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("needs:consultation_new"), five_items())
    assert ConsultationRequest.objects.get().language == "en"
    assert mail.outbox[0].extra_headers["Content-Language"] == "en"


def test_full_width_corporate_numbers_are_tidied(client, db):
    typed = "".join(chr(ord(digit) + 0xFEE0) for digit in VALID_NUMBER)  # １２３… as typed on a Japanese keyboard
    client.post(reverse("needs:consultation_new"), five_items(corporate_number=typed))
    assert ConsultationRequest.objects.get().corporate_number == VALID_NUMBER


def test_a_bad_corporate_number_is_refused_and_nothing_saved(client, api, db):
    response = client.post(reverse("needs:consultation_new"), five_items(corporate_number=BAD_NUMBER))
    assert response.status_code == 200
    assert "corporate_number" in response.context["form"].errors
    refused = api.post(API_URL, five_items(corporate_number=BAD_NUMBER), format="json")
    assert refused.status_code == 400
    assert "corporate_number" in refused.json()
    assert not ConsultationRequest.objects.exists()
    assert not mail.outbox


@pytest.mark.parametrize("missing", ["company_name", "company_summary", "inquiry", "technology", "defense_record"])
def test_each_of_the_five_items_is_required(client, api, db, missing):
    data = five_items()
    del data[missing]
    assert missing in client.post(reverse("needs:consultation_new"), data).context["form"].errors
    assert missing in api.post(API_URL, data, format="json").json()
    assert not ConsultationRequest.objects.exists()


def test_an_anonymous_api_client_submits(api, db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(API_URL, five_items(language="en"), format="json")
    assert response.status_code == 201
    consultation = ConsultationRequest.objects.get()
    assert response.json() == {"id": consultation.pk, "status": "new"}
    assert consultation.language == "en"
    assert mail.outbox[0].extra_headers["Content-Language"] == "en"


# --- The rate limit ---------------------------------------------------------------------------------------


def test_the_page_refuses_the_sixth_consultation_within_the_hour(client, db):
    url = reverse("needs:consultation_new")
    for _ in range(5):
        assert client.post(url, five_items()).status_code == 302
    refused = client.post(url, five_items())
    assert refused.status_code == 429
    assert refused.context["form"].non_field_errors()
    assert ConsultationRequest.objects.count() == 5
    # another client is not affected
    assert client.post(url, five_items(), REMOTE_ADDR="192.0.2.77").status_code == 302


def test_the_api_refuses_the_sixth_consultation_within_the_hour(api, db):
    for _ in range(5):
        assert api.post(API_URL, five_items(), format="json").status_code == 201
    refused = api.post(API_URL, five_items(), format="json")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert ConsultationRequest.objects.count() == 5


def test_page_and_api_share_one_budget_per_client(client, api, db):
    for _ in range(3):
        assert client.post(reverse("needs:consultation_new"), five_items()).status_code == 302
    for _ in range(2):
        assert api.post(API_URL, five_items(), format="json").status_code == 201
    assert api.post(API_URL, five_items(), format="json").status_code == 429
    assert client.post(reverse("needs:consultation_new"), five_items()).status_code == 429


def test_a_forged_forwarded_for_header_does_not_buy_a_new_budget(api, db):
    for number in range(6):
        response = api.post(API_URL, five_items(), format="json", HTTP_X_FORWARDED_FOR=f"198.51.100.{number}")
    assert response.status_code == 429


def test_refused_forms_do_not_use_up_the_budget(client, db):
    url = reverse("needs:consultation_new")
    for _ in range(6):
        assert client.post(url, five_items(contact_email="not-an-address")).status_code == 200
    assert client.post(url, five_items()).status_code == 302


# --- Triage: who -------------------------------------------------------------------------------------------


def test_triage_pages_send_anonymous_visitors_to_sign_in(client, db):
    consultation = make_consultation()
    for url in (reverse("needs:consultation_list"), reverse("needs:consultation_detail", args=[consultation.pk])):
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize("role", list(RoleCode))
def test_triage_is_for_portal_admins_and_curators_only(client_for, api, user_with_role, role):
    consultation = make_consultation()
    client = client_for(role)
    expected = 200 if role in TRIAGERS else 403
    assert client.get(reverse("needs:consultation_list")).status_code == expected
    assert client.get(reverse("needs:consultation_detail", args=[consultation.pk])).status_code == expected
    answer = client.post(reverse("needs:consultation_answer", args=[consultation.pk]), {"answer": "回答"})
    assert answer.status_code == (302 if role in TRIAGERS else 403)
    api.force_authenticate(user_with_role(role))
    assert api.get(API_URL).status_code == expected
    assert api.get(f"{API_URL}{consultation.pk}/").status_code == expected


def test_the_api_list_is_closed_to_anonymous_clients(api, db):
    make_consultation()
    assert api.get(API_URL).status_code in (401, 403)


def test_navigation_offers_the_window_to_everyone_and_the_triage_to_triagers(client_for, db):
    anonymous_page = client_for(None).get(reverse("home")).content.decode()
    assert f'href="{reverse("needs:consultation_new")}"' in anonymous_page
    assert f'href="{reverse("needs:consultation_list")}"' not in anonymous_page
    curator_page = client_for(RoleCode.CURATOR).get(reverse("home")).content.decode()
    assert f'href="{reverse("needs:consultation_list")}"' in curator_page


# --- Triage: the list -------------------------------------------------------------------------------------


def test_the_list_filters_by_status_and_counts(client_for, user_with_role):
    make_consultation(company_name="新規A")
    make_consultation(company_name="回答済B", status=ConsultationStatus.ANSWERED)
    make_consultation(company_name="終了C", status=ConsultationStatus.CLOSED)
    client = client_for(RoleCode.PORTAL_ADMIN)
    response = client.get(reverse("needs:consultation_list"), {"status": "answered"})
    assert [c.company_name for c in response.context["page"].object_list] == ["回答済B"]
    counts = {value: count for value, _label, count in response.context["statuses"]}
    assert counts == {"new": 1, "answered": 1, "closed": 1, "converted": 0}
    assert response.context["total"] == 3
    api = APIClient()
    api.force_authenticate(user_with_role(RoleCode.PORTAL_ADMIN))
    body = api.get(API_URL, {"status": "closed"}).json()
    assert [item["company_name"] for item in body["results"]] == ["終了C"]


def test_the_list_keeps_a_constant_query_count(client_for, db):
    client = client_for(RoleCode.CURATOR)

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("needs:consultation_list")).status_code == 200
        return len(queries)

    for _ in range(2):
        make_consultation()
    few = count_queries()
    for _ in range(28):
        make_consultation()
    assert count_queries() == few


# --- Triage: answer, close, convert -------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["ja", "en"])
def test_an_answer_is_emailed_in_the_submitters_language(client_for, db, django_capture_on_commit_callbacks, language):
    consultation = make_consultation(language=language)
    client = client_for(RoleCode.CURATOR)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("needs:consultation_answer", args=[consultation.pk]), {"answer": "装備政策課にご相談ください。"}
        )
    assert response.status_code == 302
    consultation.refresh_from_db()
    assert (consultation.status, consultation.answer) == (ConsultationStatus.ANSWERED, "装備政策課にご相談ください。")
    assert consultation.handled_by == response.wsgi_request.user
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [consultation.contact_email]
    assert message.extra_headers["Content-Language"] == language
    assert "装備政策課にご相談ください。" in message.body


def test_an_empty_answer_is_refused(client_for, db):
    consultation = make_consultation()
    response = client_for(RoleCode.CURATOR).post(reverse("needs:consultation_answer", args=[consultation.pk]), {})
    assert response.status_code == 400
    consultation.refresh_from_db()
    assert consultation.status == ConsultationStatus.NEW


def test_a_closed_consultation_is_no_longer_answered(client_for, db, django_capture_on_commit_callbacks):
    consultation = make_consultation()
    client = client_for(RoleCode.PORTAL_ADMIN)
    assert client.post(reverse("needs:consultation_close", args=[consultation.pk])).status_code == 302
    consultation.refresh_from_db()
    assert consultation.status == ConsultationStatus.CLOSED
    with django_capture_on_commit_callbacks(execute=True):
        refused = client.post(reverse("needs:consultation_answer", args=[consultation.pk]), {"answer": "遅れて回答"})
    assert refused.status_code == 400
    consultation.refresh_from_db()
    assert (consultation.status, consultation.answer) == (ConsultationStatus.CLOSED, "")
    assert not mail.outbox


def test_convert_creates_a_startup_and_links_it(client_for, db):
    consultation = make_consultation(corporate_number=VALID_NUMBER)
    client = client_for(RoleCode.CURATOR)
    response = client.post(
        reverse("needs:consultation_convert", args=[consultation.pk]), {"corporate_number": VALID_NUMBER}
    )
    assert response.status_code == 302
    startup = Startup.objects.get(corporate_number=VALID_NUMBER)
    assert (startup.name, startup.contact_email) == ("株式会社ソラミミ", "taro@soramimi.example.jp")
    consultation.refresh_from_db()
    assert (consultation.status, consultation.startup) == (ConsultationStatus.CONVERTED, startup)
    assert CuratorNote.objects.filter(startup=startup, body__contains=five_items()["technology"]).exists()


def test_convert_with_a_number_typed_by_the_triager(client_for, db):
    consultation = make_consultation()  # the submitter gave none
    client = client_for(RoleCode.PORTAL_ADMIN)
    url = reverse("needs:consultation_convert", args=[consultation.pk])
    assert client.post(url, {"corporate_number": ""}).status_code == 400
    assert client.post(url, {"corporate_number": VALID_NUMBER}).status_code == 302
    consultation.refresh_from_db()
    assert consultation.startup.corporate_number == consultation.corporate_number == VALID_NUMBER


def test_convert_links_a_company_already_in_the_registry(client_for, db):
    existing = StartupFactory(corporate_number=VALID_NUMBER, name="株式会社ソラミミ（登録済）")
    consultation = make_consultation(corporate_number=VALID_NUMBER)
    client_for(RoleCode.CURATOR).post(
        reverse("needs:consultation_convert", args=[consultation.pk]), {"corporate_number": VALID_NUMBER}
    )
    consultation.refresh_from_db()
    assert consultation.startup == existing
    assert Startup.objects.count() == 1


def test_convert_with_a_bad_corporate_number_saves_nothing(client_for, db):
    consultation = make_consultation()
    response = client_for(RoleCode.CURATOR).post(
        reverse("needs:consultation_convert", args=[consultation.pk]), {"corporate_number": BAD_NUMBER}
    )
    assert response.status_code == 400
    assert "corporate_number" in response.context["convert_form"].errors
    assert not Startup.objects.exists()
    consultation.refresh_from_db()
    assert (consultation.status, consultation.startup) == (ConsultationStatus.NEW, None)


def test_convert_is_atomic_when_the_registry_refuses(client_for, db):
    consultation = make_consultation(company_name="")  # the registry needs a name
    ConsultationRequest.objects.filter(pk=consultation.pk).update(company_name="")
    response = client_for(RoleCode.CURATOR).post(
        reverse("needs:consultation_convert", args=[consultation.pk]), {"corporate_number": VALID_NUMBER}
    )
    assert response.status_code == 400
    assert not Startup.objects.exists()
    assert not CuratorNote.objects.exists()
    consultation.refresh_from_db()
    assert consultation.status == ConsultationStatus.NEW


def test_the_detail_page_shows_the_five_items_and_the_triage_forms(client_for, db):
    consultation = make_consultation()
    response = client_for(RoleCode.CURATOR).get(reverse("needs:consultation_detail", args=[consultation.pk]))
    body = response.content.decode()
    for value in five_items().values():
        assert value in body
    for name in ("consultation_answer", "consultation_close", "consultation_convert"):
        assert reverse(f"needs:{name}", args=[consultation.pk]) in body
