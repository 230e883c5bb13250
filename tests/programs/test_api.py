"""`programs/` (public catalogue with filters) and `startups/{id}/programs/` (per role), in the schema."""

import pytest
from rest_framework.test import APIClient

from accounts.enums import RoleCode
from tests.factories import StartupFactory

ROLES = list(RoleCode)
GOVERNMENT = {RoleCode.CURATOR, RoleCode.NEED_AUTHOR, RoleCode.NEED_REVIEWER}


@pytest.fixture
def api():
    return APIClient()


def test_catalogue_is_public_paginated_and_carries_the_figures(api, db, today):
    body = api.get("/api/v1/programs/", {"page_size": 100}).json()
    assert {"count", "results"} <= set(body)
    assert body["count"] >= 27
    page = api.get("/api/v1/programs/deeptech_seed/").json()
    assert (page["max_amount_yen"], page["standard_amount_yen"], page["rate_text"], page["rate"]) == (
        500_000_000,
        300_000_000,
        "2/3",
        "0.6667",
    )
    assert page["parent"] == "deeptech"
    assert page["rules"] == [{"kind": "stage_in", "stages": ["seed"]}, {"kind": "vc_investment"}]


@pytest.mark.parametrize(
    ("query", "included", "excluded"),
    [
        ({"category": "investment"}, "jic_vgi", "deeptech"),
        ({"stage": "later"}, "deeptech_mass", "deeptech_seed"),
        ({"pathway": "industry_day"}, "industry_day", "fastar"),
        ({"open_now": "true"}, "consultation_window", "gotech_normal"),
    ],
)
def test_catalogue_filters_match_the_page(api, db, today, query, included, excluded):
    codes = {item["code"] for item in api.get("/api/v1/programs/", {**query, "page_size": 100}).json()["results"]}
    assert included in codes and excluded not in codes


def test_open_now_is_reported_for_japans_today(api, db, today):
    item = api.get("/api/v1/programs/gotech_normal/").json()
    assert item["applications"] == {"open_now": False, "next_deadline": None, "next_opening": None}


def test_bad_filter_value_is_a_400_with_the_reason(api, db):
    response = api.get("/api/v1/programs/", {"category": "lottery"})
    assert response.status_code == 400
    assert "category" in response.json()


@pytest.mark.parametrize("role", ROLES)
def test_startup_programmes_for_government_users_and_404_for_other_roles(api, user_with_role, role, today):
    startup = StartupFactory(stage="seed", is_sme=True)
    api.force_authenticate(user_with_role(role))
    response = api.get(f"/api/v1/startups/{startup.pk}/programs/")
    assert response.status_code == (200 if role in GOVERNMENT else 404)


def test_anonymous_client_must_authenticate_for_a_startups_programmes(api, db):
    startup = StartupFactory()
    assert api.get(f"/api/v1/startups/{startup.pk}/programs/").status_code in (401, 403)


def test_startup_member_gets_its_ranked_programmes_with_reasons(api, member_and_startup, today):
    member, startup = member_and_startup
    api.force_authenticate(member)
    body = api.get(f"/api/v1/startups/{startup.pk}/programs/", HTTP_ACCEPT_LANGUAGE="en").json()
    items = {item["program"]["code"]: item for item in body["results"]}
    assert [item["rank"] for item in body["results"]] == list(range(1, len(body["results"]) + 1))
    seed = items["deeptech_seed"]
    assert seed["status"] == "incomplete"
    vc = next(rule for rule in seed["rules"] if rule["kind"] == "vc_investment")
    assert (vc["status"], vc["field"]) == ("unknown", "has_vc_investment")
    assert vc["reason"].startswith("Needs investment from a VC")


def test_unknown_startup_is_404(api, user_with_role):
    api.force_authenticate(user_with_role(RoleCode.CURATOR))
    assert api.get("/api/v1/startups/999999/programs/").status_code == 404


def test_schema_lists_both_paths(api, db):
    paths = api.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()["paths"]
    assert "/api/v1/programs/" in paths and "/api/v1/startups/{id}/programs/" in paths


def test_startup_member_answers_the_programme_questions_through_the_startup_api(api, member_and_startup, today):
    member, startup = member_and_startup
    api.force_authenticate(member)
    response = api.patch(f"/api/v1/startups/{startup.pk}/", {"has_vc_investment": True}, format="json")
    assert response.status_code == 200, response.json()
    assert api.get(f"/api/v1/startups/{startup.pk}/").json()["has_vc_investment"] is True
    items = api.get(f"/api/v1/startups/{startup.pk}/programs/").json()["results"]
    assert next(item for item in items if item["program"]["code"] == "deeptech_seed")["status"] == "eligible"
