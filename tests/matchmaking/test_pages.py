"""The match pages: who may open each (DESIGN.md §3), what a startup's member never sees (scores, needs hidden from
it), reasons in the page's language, the shortlist, filters, the curators' overview, navigation and home links,
and constant query counts. Assertions are on status codes, data attributes, database state and texts looked up
through the catalogue, not on wording."""

import re

import pytest
from django.conf import settings
from django.db import connection
from django.template.defaultfilters import floatformat
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from matchmaking.models import MatchRun, MatchScore, Shortlist
from tests.factories import StartupFactory
from tests.matchmaking.conftest import make_need, score_all

GOVERNMENT = ["owning_author", "other_unit_author", "reviewer", "curator"]


def need_url(need) -> str:
    return reverse("matchmaking:need_matches", args=[need.pk])


def startup_url(startup) -> str:
    return reverse("matchmaking:startup_matches", args=[startup.pk])


def signed_in(client, world, who):
    if who != "anonymous":
        client.force_login(world.users[who])
    return client


def rows(response) -> list[str]:
    """The data-startup (or data-need) ids of the match rows, in page order."""
    return re.findall(r'data-(?:startup|need)="(\d+)" data-testid="match-row"', response.content.decode())


def catalogue_prefix(msgid: str, language: str) -> str:
    """The fixed start of a translated sentence with placeholders ("共通技術: " for "Shared technology: …")."""
    with translation.override(language):
        return translation.gettext(msgid).split("%(")[0]


# --- A need's matches ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        *[(who, 200) for who in GOVERNMENT],
        ("admin", 403),  # may see the public need, but scores are for government users
        ("radar_member", 403),
    ],
)
def test_need_matches_page_is_for_government_users_who_may_see_the_need(client, world, who, status):
    response = signed_in(client, world, who).get(need_url(world.need))
    assert response.status_code == status
    if status == 302:
        assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize(("who", "status"), [("owning_author", 200), ("reviewer", 200), ("other_unit_author", 404)])
def test_a_draft_needs_matches_are_hidden_like_the_draft(client, world, who, status):
    assert signed_in(client, world, who).get(need_url(world.draft_need)).status_code == status


def test_need_matches_rank_the_english_radar_first_with_score_bars_reasons_and_pathway(client, world):
    response = signed_in(client, world, "owning_author").get(need_url(world.need))
    content = response.content.decode()
    ranked = rows(response)
    assert ranked[0] == str(world.startups["radar"].pk)
    assert len(ranked) == MatchScore.objects.filter(need=world.need).count()
    first = response.context["rows"][0]
    assert first.rank == 1
    assert {reason.code for reason in first.reasons} >= {"shared_concepts", "field_overlap", "trl_ok"}
    assert first.pathway["code"] == "early_equipment"
    assert world.startups["radar"].corporate_number in content
    shown = floatformat(first.match.score, "2u")  # as the page rounds it
    with translation.override("ja"):
        label = translation.gettext("score %(value)s") % {"value": shown}
    assert f'aria-label="{label}"' in content
    assert f'data-score="{shown}"' in content
    assert 'data-component="concepts"' in content
    assert 'data-pathway="early_equipment"' in content


def test_reasons_are_in_japanese_by_default_and_in_english_with_the_language_cookie(client, world):
    client = signed_in(client, world, "owning_author")
    radar = world.startups["radar"]

    def radar_reasons():
        response = client.get(need_url(world.need))
        row = next(row for row in response.context["rows"] if row.match.startup_id == radar.pk)
        return {reason.code: reason.text for reason in row.reasons}

    japanese = radar_reasons()
    assert japanese["shared_concepts"].startswith(catalogue_prefix("Shared technology: %(concepts)s", "ja"))
    assert "無人航空機 (UAV)" in japanese["shared_concepts"]
    assert "センシング・探知" in japanese["field_overlap"]
    assert "7" in japanese["trl_ok"] and "5" in japanese["trl_ok"]

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = radar_reasons()
    assert english["shared_concepts"].startswith(catalogue_prefix("Shared technology: %(concepts)s", "en"))
    assert "UAV" in english["shared_concepts"] and "無人航空機" not in english["shared_concepts"]
    assert "Sensing and detection" in english["field_overlap"]


def test_filters_keep_the_whole_rankings_rank(client, world):
    client = signed_in(client, world, "owning_author")
    ids = {key: str(startup.pk) for key, startup in world.startups.items()}

    by_trl = rows(client.get(need_url(world.need), {"min_trl": 6}))
    assert set(by_trl) == {ids["radar"], ids["rf"], ids["farm"], ids["food"]}

    response = client.get(need_url(world.need), {"designation": "jva"})
    assert rows(response) == [ids["rf"]]
    assert response.context["rows"][0].rank == 2  # second in the need's whole ranking

    assert set(rows(client.get(need_url(world.need), {"prefecture": "大阪府"}))) == {ids["acoustic"], ids["rf"]}
    response = client.get(need_url(world.need), {"min_trl": 9, "designation": "jstartup"})
    assert rows(response) == [] and 'data-testid="no-match"' in response.content.decode()


def test_matches_are_paginated_25_a_page(client, world):
    for _number in range(25):
        StartupFactory(description="小型無人機（ドローン）を探知するレーダー", trl=7)
    score_all()
    client = signed_in(client, world, "owning_author")
    response = client.get(need_url(world.need))
    assert response.context["page"].paginator.count == 31
    assert len(rows(response)) == 25
    second = client.get(need_url(world.need), {"page": 2})
    assert len(rows(second)) == 6
    assert second.context["rows"][0].rank == 26


# --- Shortlist -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("owning_author", 302),
        ("reviewer", 302),
        ("curator", 302),
        ("other_unit_author", 403),
        ("admin", 403),
        ("radar_member", 403),
        ("anonymous", 302),
    ],
)
def test_who_may_shortlist(client, world, who, status):
    radar = world.startups["radar"]
    response = signed_in(client, world, who).post(
        reverse("matchmaking:shortlist_add", args=[world.need.pk]), {"startup": radar.pk}
    )
    assert response.status_code == status
    shortlisted = Shortlist.objects.filter(need=world.need, startup=radar).exists()
    assert shortlisted == (who in {"owning_author", "reviewer", "curator"})


def test_shortlist_add_and_remove_from_the_page(client, world):
    client = signed_in(client, world, "owning_author")
    radar, rf = world.startups["radar"], world.startups["rf"]
    add = reverse("matchmaking:shortlist_add", args=[world.need.pk])
    page = need_url(world.need) + "?min_trl=6"
    response = client.post(add, {"startup": radar.pk, "next": page})
    assert response.status_code == 302 and response.url == page  # back to the filtered list
    client.post(add, {"startup": rf.pk})
    client.post(add, {"startup": rf.pk})  # twice: still one entry
    entries = Shortlist.objects.filter(need=world.need)
    assert sorted(entries.values_list("startup_id", flat=True)) == sorted([radar.pk, rf.pk])
    assert entries.get(startup=radar).added_by == world.users["owning_author"]

    response = client.get(need_url(world.need))
    shortlist = response.content.decode().split('data-testid="shortlist"')[1].split("</section>")[0]
    assert f'data-startup="{radar.pk}"' in shortlist and f'data-startup="{rf.pk}"' in shortlist
    assert response.context["shortlisted"] == {radar.pk, rf.pk}

    client.post(reverse("matchmaking:shortlist_remove", args=[world.need.pk, radar.pk]))
    assert list(Shortlist.objects.filter(need=world.need).values_list("startup_id", flat=True)) == [rf.pk]


def test_shortlist_needs_a_post(client, world):
    client = signed_in(client, world, "owning_author")
    assert client.get(reverse("matchmaking:shortlist_add", args=[world.need.pk])).status_code == 405


# --- Empty state and "score now" ---------------------------------------------------------------------------


def test_an_unscored_need_explains_when_scores_come_and_curators_can_score_it_now(client, world):
    fresh = make_need(world.unit, "G-0099")
    owning = signed_in(client, world, "owning_author").get(need_url(fresh)).content.decode()
    assert 'data-testid="not-scored"' in owning and 'data-testid="score-now"' not in owning
    assert client.post(reverse("matchmaking:need_score_now", args=[fresh.pk])).status_code == 403

    client.force_login(world.users["curator"])
    assert 'data-testid="score-now"' in client.get(need_url(fresh)).content.decode()
    response = client.post(reverse("matchmaking:need_score_now", args=[fresh.pk]))
    assert response.status_code == 302
    assert MatchScore.objects.filter(need=fresh).exists()
    assert rows(client.get(need_url(fresh)))[0] == str(world.startups["radar"].pk)


# --- A startup's matches ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        *[(who, 200) for who in GOVERNMENT],
        ("radar_member", 200),
        ("farm_member", 404),  # another startup's
        ("unclaimed_member", 404),
        ("admin", 404),
    ],
)
def test_startup_matches_are_for_government_users_and_the_startups_own_members(client, world, who, status):
    assert signed_in(client, world, who).get(startup_url(world.startups["radar"])).status_code == status


def test_government_users_see_the_startups_matched_needs_they_may_see_with_scores(client, world):
    radar = world.startups["radar"]
    curator = signed_in(client, world, "curator").get(startup_url(radar))
    assert set(rows(curator)) == {str(n.pk) for n in (world.need, world.government_need, world.closed_need)}
    assert "<meter" in curator.content.decode() and "data-score=" in curator.content.decode()

    client.force_login(world.users["owning_author"])
    assert str(world.draft_need.pk) in rows(client.get(startup_url(radar)))  # the unit's own draft


def test_a_startup_member_sees_recommended_needs_without_scores_nor_hidden_needs(client, world):
    radar = world.startups["radar"]
    response = signed_in(client, world, "radar_member").get(startup_url(radar))
    content = response.content.decode()
    # Only the public, published, open need: not the government-only one, the draft, or the one past its deadline.
    assert rows(response) == [str(world.need.pk)]
    for hidden in (world.government_need, world.draft_need, world.closed_need):
        assert hidden.ref not in content
    # No score anywhere: no bars, no numbers, no components.
    assert "<meter" not in content and "data-score" not in content and "data-component" not in content
    for match in MatchScore.objects.filter(startup=radar):
        for text in (
            floatformat(match.score, "2u"),
            floatformat(match.score, "4u"),
            f"{match.score:.3f}",
            str(match.score),
        ):
            assert text not in content
    # The human reasons and the pathway hint are there.
    row = response.context["rows"][0]
    assert {reason.code for reason in row.reasons} >= {"shared_concepts", "trl_ok"}
    assert 'data-reason="shared_concepts"' in content and 'data-pathway="early_equipment"' in content


def test_my_company_and_home_lead_a_member_to_the_recommended_needs(client, world):
    radar = world.startups["radar"]
    client = signed_in(client, world, "radar_member")
    assert startup_url(radar) in client.get(reverse("seeds:my_company")).content.decode()
    home = client.get(reverse("home")).content.decode()
    assert reverse("matchmaking:my_recommendations") in home
    response = client.get(reverse("matchmaking:my_recommendations"))
    assert response.status_code == 302 and response.url == startup_url(radar)

    client.force_login(world.users["unclaimed_member"])
    response = client.get(reverse("matchmaking:my_recommendations"))
    assert response.status_code == 302 and response.url == reverse("seeds:my_company")


# --- The need page's link, navigation, home ----------------------------------------------------------------


@pytest.mark.parametrize(("who", "linked"), [("owning_author", True), ("curator", True), ("radar_member", False)])
def test_the_need_page_links_to_its_matches_for_government_users(client, world, who, linked):
    content = signed_in(client, world, who).get(reverse("needs:need_detail", args=[world.need.pk])).content.decode()
    assert (need_url(world.need) in content) == linked


@pytest.mark.parametrize(
    ("who", "shown"), [("curator", True), ("admin", True), ("owning_author", False), ("radar_member", False)]
)
def test_navigation_and_home_show_the_overview_to_curators_and_admins(client, world, who, shown):
    content = signed_in(client, world, who).get(reverse("home")).content.decode()
    assert (reverse("matchmaking:overview") in content) == shown


# --- Overview --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("curator", 200),
        ("admin", 200),
        ("owning_author", 403),
        ("reviewer", 403),
        ("radar_member", 403),
        ("anonymous", 302),
    ],
)
def test_overview_is_for_curators_and_admins(client, world, who, status):
    assert signed_in(client, world, who).get(reverse("matchmaking:overview")).status_code == status


def test_overview_counts_startups_matching_many_needs_and_needs_with_few_good_matches(client, world):
    response = signed_in(client, world, "curator").get(reverse("matchmaking:overview"))
    startups = {startup.pk: count for startup, count in response.context["startups"]}
    published = {world.need, world.government_need, world.closed_need}  # what a curator may see, published
    good = {need.pk: MatchScore.objects.filter(need=need, score__gte=0.3).count() for need in published}
    assert startups[world.startups["radar"].pk] == sum(1 for n in good.values() if n)
    assert world.startups["food"].pk not in startups
    few = {need.pk: need.good for need in response.context["needs"]}
    assert few == {pk: n for pk, n in good.items() if n < 3}
    content = response.content.decode()
    assert need_url(world.need) in content and startup_url(world.startups["radar"]) in content


def test_overview_without_published_needs_says_so_instead_of_praising_their_matches(client, world):
    from needs.enums import NeedStatus
    from needs.models import Need

    Need.objects.filter(status=NeedStatus.PUBLISHED).update(status=NeedStatus.CLOSED)
    content = signed_in(client, world, "curator").get(reverse("matchmaking:overview")).content.decode()
    assert "公開中のニーズはまだありません" in content
    assert "十分な数の良好なマッチング" not in content


def test_overview_shows_the_latest_run_and_recompute_starts_one(client, world, django_capture_on_commit_callbacks):
    client = signed_in(client, world, "curator")
    assert 'data-testid="recompute"' in client.get(reverse("matchmaking:overview")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("matchmaking:recompute"))
    assert response.status_code == 302
    run = MatchRun.objects.get()
    # One chunk of needs and one of startups at this size.
    assert (run.status, run.done_chunks, run.total_chunks) == (MatchRun.Status.DONE, 2, 2)
    content = client.get(reverse("matchmaking:overview")).content.decode()
    assert f'data-status="{MatchRun.Status.DONE}"' in content and "<progress" in content

    client.force_login(world.users["owning_author"])
    assert client.post(reverse("matchmaking:recompute")).status_code == 403


# --- Query counts ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("page", "viewer"), [("need", "author"), ("startup", "author"), ("startup", "member")])
def test_match_pages_run_the_same_number_of_queries_for_2_and_30_rows(
    client, growing, page, viewer, django_assert_num_queries
):
    client.force_login(growing[viewer])
    url = need_url(growing["need"]) if page == "need" else startup_url(growing["radar"])
    kind = "startups" if page == "need" else "needs"
    growing["add"](kind, 1)
    client.get(url)  # warm up: session, content types
    with CaptureQueriesContext(connection) as two:
        response = client.get(url)
    assert len(rows(response)) == 2
    growing["add"](kind, 28)
    with django_assert_num_queries(len(two.captured_queries)):
        response = client.get(url)
    assert len(rows(response)) == 25
