import pytest
from django.urls import reverse
from openapi_spec_validator import validate
from rest_framework.test import APIClient

from accounts.enums import RoleCode
from tests.factories import TEST_PASSWORD, UserFactory


@pytest.fixture
def api():
    return APIClient()


def test_schema_is_valid_openapi_3(api, db):
    response = api.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    validate(schema)
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/me/" in schema["paths"]


def test_docs_page_loads_its_assets_from_the_portal_itself(client, db):
    body = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in body
    assert "https://" not in body.split("<body")[0]
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in body


def test_token_is_issued_for_a_verified_account_and_authenticates(api, db):
    user = UserFactory(email="api@test.example.jp", roles=[RoleCode.CURATOR])
    response = api.post("/api/v1/auth/token/", {"email": user.email, "password": TEST_PASSWORD}, format="json")
    assert response.status_code == 200
    api.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    me = api.get("/api/v1/me/").json()
    assert me["email"] == "api@test.example.jp"
    assert me["roles"] == ["curator"]


def test_token_is_refused_to_a_wrong_password_and_an_unverified_account(api, db):
    user = UserFactory(email_verified_at=None)
    assert api.post("/api/v1/auth/token/", {"email": user.email, "password": "wrong"}).status_code == 400
    assert api.post("/api/v1/auth/token/", {"email": user.email, "password": TEST_PASSWORD}).status_code == 400


def test_anonymous_api_client_must_authenticate(api, db):
    assert api.get("/api/v1/me/").status_code in (401, 403)
    assert api.get("/api/v1/organisations/").status_code in (401, 403)


@pytest.mark.parametrize("role", list(RoleCode))
def test_organisation_directory_api_is_for_portal_admins_only(api, user_with_role, role):
    api.force_authenticate(user_with_role(role))
    response = api.get("/api/v1/organisations/")
    assert response.status_code == (200 if role == RoleCode.PORTAL_ADMIN else 403)


def test_organisation_list_is_paginated_and_filterable(api, user_with_role):
    api.force_authenticate(user_with_role(RoleCode.PORTAL_ADMIN))
    UserFactory.create_batch(3)
    body = api.get("/api/v1/organisations/", {"kind": "startup"}).json()
    assert body["count"] == 3
    assert {"count", "next", "previous", "results"} <= set(body)
    assert all(item["kind"] == "startup" for item in body["results"])


def test_session_authentication_works_for_the_browser(client, user_with_role):
    client.force_login(user_with_role(RoleCode.NEED_AUTHOR))
    assert client.get(reverse("api-me")).json()["is_government_user"] is True


def test_token_exchange_is_rate_limited_against_password_guessing(api, db):
    user = UserFactory()
    statuses = [
        api.post("/api/v1/auth/token/", {"email": user.email, "password": f"guess-{n}"}).status_code for n in range(11)
    ]
    # The sign-in lockout (django-axes, 5 wrong passwords) comes before the exchange's own 10/minute throttle.
    assert statuses[:4] == [400] * 4
    assert statuses[4:] == [429] * 7
