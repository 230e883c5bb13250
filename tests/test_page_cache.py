"""The page cache (config/page_cache.py): the busiest pages are rendered once per session and data version,
every change shows at the next request, and each visitor only ever gets a page made for them."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.enums import RoleCode
from matchmaking import services as matching
from needs.enums import NeedStatus
from needs.services import needs as need_services
from seeds import services as seed_services
from tests.factories import StartupFactory
from tests.helpers import published_need
from tests.seeds.test_import import csv_bytes, row

pytestmark = [pytest.mark.django_db, pytest.mark.page_cache]


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    client.get(reverse("home"))  # the first page hands out the CSRF cookie, as in a browser
    return client


@pytest.fixture
def curator(user_with_role):
    return user_with_role(RoleCode.CURATOR)


def test_a_page_seen_again_is_served_without_reading_the_data_again(curator):
    StartupFactory.create_batch(3)
    client = signed_in(curator)
    first = client.get(reverse("seeds:startup_list"))
    with CaptureQueriesContext(connection) as again:
        second = client.get(reverse("seeds:startup_list"))
    assert second.status_code == 200 and second.content == first.content
    assert not [query for query in again.captured_queries if "seeds_startup" in query["sql"]]
    assert "Content-Security-Policy" in second  # the headers are the middleware's, made for this response


def test_an_edited_need_shows_on_the_board_at_the_next_request(user_with_role):
    author = user_with_role(RoleCode.NEED_AUTHOR)
    need = published_need(owner_unit=author.organisation, ref="GSDF-2025-801")
    need.status = NeedStatus.DRAFT
    need.save()
    client = signed_in(author)
    assert need.title in client.get(reverse("needs:need_list")).content.decode()
    need_services.need_update(need=need, data={"title": "夜間監視用の小型無人機"}, actor=author)
    assert "夜間監視用の小型無人機" in client.get(reverse("needs:need_list")).content.decode()


def test_a_bulk_import_shows_in_the_registry_and_the_api_at_the_next_request(curator):
    client, api = signed_in(curator), APIClient()
    api.force_authenticate(curator)
    assert "株式会社試験7" not in client.get(reverse("seeds:startup_list")).content.decode()
    assert api.get("/api/v1/startups/").json()["count"] == 0
    report = seed_services.startup_import_file(content=csv_bytes([row(7)]), filename="l.csv", actor=None, dry_run=False)
    assert report.ok
    assert "株式会社試験7" in client.get(reverse("seeds:startup_list")).content.decode()
    assert api.get("/api/v1/startups/").json()["count"] == 1


def test_new_scores_and_the_shortlist_show_on_a_need_s_matches_at_once(user_with_role):
    author = user_with_role(RoleCode.NEED_AUTHOR)
    need = published_need(owner_unit=author.organisation, ref="GSDF-2025-802")
    startup = StartupFactory(name="株式会社ヨルミ", description="夜間の小型無人機による監視", trl=6)
    client = signed_in(author)
    url = reverse("matchmaking:need_matches", args=[need.pk])
    assert "株式会社ヨルミ" not in client.get(url).content.decode()
    matching.matches_recompute_sync()
    assert "株式会社ヨルミ" in client.get(url).content.decode()

    client.post(reverse("matchmaking:shortlist_add", args=[need.pk]), {"startup": startup.pk})
    shortlist = client.get(url).content.decode()
    assert f'/shortlist/{startup.pk}/remove/"' in shortlist
    need.title = "改題した要望"
    need.save()
    assert "改題した要望" in client.get(url).content.decode()


def test_a_flash_message_is_shown_once_and_never_kept_in_a_page(user_with_role):
    author = user_with_role(RoleCode.NEED_AUTHOR)
    need = published_need(owner_unit=author.organisation, ref="GSDF-2025-803")
    startup = StartupFactory(name="株式会社ヨルミ")
    client = signed_in(author)
    url = reverse("matchmaking:need_matches", args=[need.pk])
    client.get(url)
    shown = client.post(reverse("matchmaking:shortlist_add", args=[need.pk]), {"startup": startup.pk}, follow=True)
    assert 'class="message message-success"' in shown.content.decode()
    assert 'class="message' not in client.get(url).content.decode()


def test_each_visitor_gets_only_the_page_made_for_them(user_with_role):
    author = user_with_role(RoleCode.NEED_AUTHOR)
    draft = published_need(owner_unit=author.organisation, ref="GSDF-2025-804")
    draft.status = NeedStatus.DRAFT
    draft.title = "未公開の要望"
    draft.save()
    member = user_with_role(RoleCode.STARTUP_MEMBER)
    board = reverse("needs:need_list")
    assert "未公開の要望" in signed_in(author).get(board).content.decode()
    member_page = signed_in(member).get(board).content.decode()
    assert "未公開の要望" not in member_page
    assert str(member) in member_page and str(author) not in member_page


def test_the_csrf_token_in_a_page_served_from_the_cache_is_valid_for_its_session(curator):
    client = Client(enforce_csrf_checks=True)
    client.force_login(curator)
    client.get(reverse("home"))
    client.get(reverse("seeds:startup_list"))
    cached = client.get(reverse("seeds:startup_list")).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', cached).group(1)
    switched = client.post(
        reverse("accounts:switch_language"), {"language": "en", "next": "/seeds/", "csrfmiddlewaretoken": token}
    )
    assert switched.status_code == 302
    # The same address, now in English: another entry.
    assert 'lang="en"' in client.get(reverse("seeds:startup_list")).content.decode()


def test_a_withdrawn_role_or_organisation_is_seen_at_the_next_request(curator):
    client = signed_in(curator)
    url, create = reverse("seeds:startup_list"), reverse("seeds:startup_create")
    assert create in client.get(url).content.decode()
    assert create in client.get(url).content.decode()  # served from the cache
    curator.roles.clear()
    assert create not in client.get(url).content.decode()
    curator.organisation.is_active = False
    curator.organisation.save()
    assert client.get(url).status_code == 403


def test_a_deactivated_account_is_signed_out_at_the_next_request(curator):
    client = signed_in(curator)
    url = reverse("seeds:startup_list")
    client.get(url)
    client.get(url)
    curator.is_active = False
    curator.save()
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
