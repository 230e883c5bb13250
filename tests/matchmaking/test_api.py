"""`needs/{id}/matches/` and `startups/{id}/matches/` (DESIGN.md §3, §6): who reads what, the item shape, scores
never shown to a startup's member, reasons in the client's language, filters and constant query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from rest_framework.test import APIClient

from matchmaking.models import MatchScore

GOVERNMENT = ["owning_author", "other_unit_author", "reviewer", "curator"]


def need_matches(need) -> str:
    return f"/api/v1/needs/{need.pk}/matches/"


def startup_matches(startup) -> str:
    return f"/api/v1/startups/{startup.pk}/matches/"


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def as_user(api, world):
    def make(who: str) -> APIClient:
        if who != "anonymous":
            api.force_authenticate(world.users[who])
        return api

    return make


# --- needs/{id}/matches/ -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [*[(who, 200) for who in GOVERNMENT], ("admin", 403), ("radar_member", 403), ("anonymous", 403)],
)
def test_need_matches_are_for_government_users_who_may_see_the_need(as_user, world, who, status):
    assert as_user(who).get(need_matches(world.need)).status_code == status


@pytest.mark.parametrize(
    ("who", "status"), [("owning_author", 200), ("reviewer", 200), ("other_unit_author", 404), ("curator", 404)]
)
def test_a_draft_needs_matches_are_hidden_like_the_draft(as_user, world, who, status):
    assert as_user(who).get(need_matches(world.draft_need)).status_code == status


def test_unknown_ids_are_404(as_user, world):
    client = as_user("curator")
    assert client.get("/api/v1/needs/999999/matches/").status_code == 404
    assert client.get("/api/v1/startups/999999/matches/").status_code == 404


def test_a_need_match_item_carries_rank_score_startup_components_reasons_and_pathway(as_user, world):
    body = as_user("owning_author").get(need_matches(world.need)).json()
    assert body["count"] == MatchScore.objects.filter(need=world.need).count()
    items = body["results"]
    radar = world.startups["radar"]
    first = items[0]
    assert set(first) == {"rank", "score", "components", "reasons", "pathway_hint", "startup"}
    assert first["startup"] == {
        "id": radar.pk,
        "corporate_number": radar.corporate_number,
        "name": radar.name,
        "name_en": radar.name_en,
    }
    assert [item["rank"] for item in items] == list(range(1, len(items) + 1))
    assert [item["score"] for item in items] == sorted((item["score"] for item in items), reverse=True)
    assert first["score"] == pytest.approx(MatchScore.objects.get(need=world.need, startup=radar).score)
    assert set(first["components"]) >= {"text", "concepts", "fields", "maturity"}
    codes = [reason["code"] for reason in first["reasons"]]
    assert {"shared_concepts", "field_overlap", "trl_ok"} <= set(codes)
    assert all(reason["text"] for reason in first["reasons"])
    assert first["pathway_hint"]["code"] == "early_equipment"
    assert first["pathway_hint"]["label"] and first["pathway_hint"]["reason"]


def test_need_matches_filter_by_trl_designation_and_prefecture(as_user, world):
    client = as_user("owning_author")
    ids = {key: startup.pk for key, startup in world.startups.items()}

    def startups(**params):
        return [item["startup"]["id"] for item in client.get(need_matches(world.need), params).json()["results"]]

    assert set(startups(min_trl=6)) == {ids["radar"], ids["rf"], ids["farm"], ids["food"]}
    assert startups(designation="jstartup") == [ids["radar"]]
    assert set(startups(prefecture="大阪府")) == {ids["acoustic"], ids["rf"]}
    jva = client.get(need_matches(world.need), {"designation": "jva"}).json()["results"]
    assert jva[0]["rank"] == 2  # the place in the need's whole ranking
    assert client.get(need_matches(world.need), {"min_trl": 12}).status_code == 400


def test_reasons_follow_the_clients_language(as_user, world):
    client = as_user("owning_author")

    def radar_reasons(language):
        response = client.get(need_matches(world.need), HTTP_ACCEPT_LANGUAGE=language)
        item = next(i for i in response.json()["results"] if i["startup"]["id"] == world.startups["radar"].pk)
        return {reason["code"]: reason["text"] for reason in item["reasons"]}, item["pathway_hint"]

    japanese, pathway_ja = radar_reasons("ja")
    english, pathway_en = radar_reasons("en")
    assert "無人航空機 (UAV)" in japanese["shared_concepts"]
    assert "UAV" in english["shared_concepts"] and "無人航空機" not in english["shared_concepts"]
    assert "センシング・探知" in japanese["field_overlap"] and "Sensing and detection" in english["field_overlap"]
    for language, pathway in (("ja", pathway_ja), ("en", pathway_en)):
        with translation.override(language):
            from needs.enums import Pathway

            assert pathway["label"] == str(Pathway.EARLY_EQUIPMENT.label)


# --- startups/{id}/matches/ --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [
        *[(who, 200) for who in GOVERNMENT],
        ("radar_member", 200),
        ("farm_member", 404),
        ("unclaimed_member", 404),
        ("admin", 404),
        ("anonymous", 403),
    ],
)
def test_startup_matches_are_for_government_users_and_the_startups_own_members(as_user, world, who, status):
    assert as_user(who).get(startup_matches(world.startups["radar"])).status_code == status


def test_government_users_get_the_scored_needs_they_may_see(as_user, world):
    body = as_user("curator").get(startup_matches(world.startups["radar"])).json()
    needs = {item["need"]["id"] for item in body["results"]}
    assert needs == {world.need.pk, world.government_need.pk, world.closed_need.pk}  # not the draft
    item = body["results"][0]
    assert set(item) == {"rank", "score", "components", "reasons", "pathway_hint", "need"}
    assert set(item["need"]) == {"id", "ref", "title"}


def test_a_startup_member_gets_recommended_needs_without_scores_nor_hidden_needs(as_user, world):
    response = as_user("radar_member").get(startup_matches(world.startups["radar"]))
    body = response.json()
    assert [item["need"]["ref"] for item in body["results"]] == [world.need.ref]
    for item in body["results"]:
        assert "score" not in item and "components" not in item
        assert {"shared_concepts", "trl_ok"} <= {reason["code"] for reason in item["reasons"]}
        assert item["pathway_hint"]["code"] == "early_equipment"
    text = response.content.decode()
    assert '"score"' not in text and '"components"' not in text
    for hidden in (world.government_need, world.draft_need, world.closed_need):
        assert hidden.ref not in text
    for match in MatchScore.objects.filter(startup=world.startups["radar"]):
        assert f"{match.score:.3f}" not in text and str(match.score) not in text


# --- Query counts ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("endpoint", "viewer"), [("need", "author"), ("startup", "author"), ("startup", "member")])
def test_match_lists_run_the_same_number_of_queries_for_2_and_30_rows(api, growing, endpoint, viewer):
    api.force_authenticate(growing[viewer])
    url = need_matches(growing["need"]) if endpoint == "need" else startup_matches(growing["radar"])
    kind = "startups" if endpoint == "need" else "needs"
    growing["add"](kind, 1)
    api.get(url)  # warm up
    with CaptureQueriesContext(connection) as two:
        assert len(api.get(url).json()["results"]) == 2
    growing["add"](kind, 28)
    with CaptureQueriesContext(connection) as thirty:
        body = api.get(url).json()
    assert (body["count"], len(body["results"])) == (30, 25)
    assert len(thirty.captured_queries) == len(two.captured_queries)
