"""A superuser of the admin site gets no portal rights beyond its roles; API clients choose their language."""

from django.urls import reverse
from rest_framework.test import APIClient

from accounts.enums import OrganisationKind, RoleCode
from tests.factories import OrganisationFactory, StartupFactory, UserFactory


def test_a_superuser_without_a_government_organisation_sees_no_contact_details_or_registry_tools(client, db):
    admin = UserFactory(
        is_staff=True,
        is_superuser=True,
        organisation=OrganisationFactory(kind=OrganisationKind.ADMIN, corporate_number=""),
        roles=[RoleCode.PORTAL_ADMIN],
    )
    startup = StartupFactory(contact_email="secret-contact@startup.example.jp")
    assert admin.has_perm("accounts.view_directory")
    assert not admin.has_perm("seeds.view_startup_contact", startup)
    assert not admin.has_perm("seeds.manage_registry")
    assert admin.has_perm("accounts.change_organisation")  # the admin site keeps working
    client.force_login(admin)
    assert (
        "secret-contact@startup.example.jp"
        not in client.get(reverse("seeds:startup_detail", args=[startup.pk])).content.decode()
    )
    assert client.get(reverse("seeds:import_upload")).status_code == 403


def test_api_clients_get_the_language_they_ask_for_and_japanese_otherwise(db):
    api = APIClient()
    bad = {"email": "not-an-address", "password": "x"}
    english = api.post("/api/v1/auth/token/", bad, HTTP_ACCEPT_LANGUAGE="en").json()
    japanese = api.post("/api/v1/auth/token/", bad).json()
    assert english["email"] == ["Enter a valid email address."]
    assert japanese["email"] != english["email"]
