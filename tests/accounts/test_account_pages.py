"""Password change and reset, the API token page, the admin directory and the Django admin."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.enums import OrganisationKind, RoleCode, UnitCode
from accounts.models import Organisation, User
from accounts.services import registrations_purge_stale
from tests.factories import TEST_PASSWORD, OrganisationFactory, UserFactory

NEW_PASSWORD = "Hakodate-Harbour-2027"


def test_password_change_requires_the_old_password(client, db):
    user = UserFactory()
    client.force_login(user)
    refused = client.post(
        reverse("accounts:password_change"),
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert refused.status_code == 200
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": TEST_PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_password_reset_mails_a_link_that_sets_a_new_password(client, db):
    user = UserFactory(email="forgot@test.example.jp")
    client.post(reverse("accounts:password_reset"), {"email": "forgot@test.example.jp"})
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"] is True
    client.post(form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_password_reset_for_an_unknown_address_reveals_nothing(client, db):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@test.example.jp"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_api_token_can_be_issued_regenerated_and_revoked(client, db):
    user = UserFactory()
    client.force_login(user)
    client.post(reverse("accounts:token_regenerate"))
    first = client.get(reverse("accounts:account")).context["token"].key
    client.post(reverse("accounts:token_regenerate"))
    second = client.get(reverse("accounts:account")).context["token"].key
    assert first != second
    client.post(reverse("accounts:token_revoke"))
    assert client.get(reverse("accounts:account")).context["token"] is None


def test_a_regenerated_or_revoked_token_is_refused_at_the_next_api_call(client, db):
    """The token's owner is kept in the cache (accounts/backends.py): a deleted token must not live on there."""
    user = UserFactory()
    client.force_login(user)
    client.post(reverse("accounts:token_regenerate"))
    first = Token.objects.get(user=user).key
    api = APIClient(HTTP_AUTHORIZATION=f"Token {first}")
    assert api.get("/api/v1/needs/").status_code == 200
    assert api.get("/api/v1/needs/").status_code == 200  # the owner now comes from the cache
    client.post(reverse("accounts:token_regenerate"))
    assert api.get("/api/v1/needs/").status_code == 403  # refused (DRF answers 403 when session auth comes first)
    second = Token.objects.get(user=user).key
    api = APIClient(HTTP_AUTHORIZATION=f"Token {second}")
    assert api.get("/api/v1/needs/").status_code == 200
    client.post(reverse("accounts:token_revoke"))
    assert api.get("/api/v1/needs/").status_code == 403


def test_token_actions_refuse_get(client, db):
    client.force_login(UserFactory())
    assert client.get(reverse("accounts:token_regenerate")).status_code == 405


@pytest.mark.parametrize("count", [2, 30])
def test_organisation_and_user_directories_run_a_fixed_number_of_queries(client_for, django_assert_num_queries, count):
    client = client_for(RoleCode.PORTAL_ADMIN)
    for _ in range(count):
        UserFactory(roles=[RoleCode.STARTUP_MEMBER])
    # count and page (the signed-in user comes from the cache, the session too when it is shared: Redis); the
    # user list adds its roles.
    session = 0 if "cache" in settings.SESSION_ENGINE else 1
    with django_assert_num_queries(2 + session):
        assert client.get(reverse("accounts:organisation_list")).status_code == 200
    with django_assert_num_queries(3 + session):
        assert client.get(reverse("accounts:user_list")).status_code == 200


def test_user_directory_filters_by_role_and_verification(client_for):
    client = client_for(RoleCode.PORTAL_ADMIN)
    UserFactory(email="pending@test.example.jp", email_verified_at=None, roles=[RoleCode.STARTUP_MEMBER])
    UserFactory(email="curator@test.example.jp", roles=[RoleCode.CURATOR])
    page = client.get(reverse("accounts:user_list"), {"verified": "no"}).context["page"]
    assert [user.email for user in page] == ["pending@test.example.jp"]
    page = client.get(reverse("accounts:user_list"), {"role": "curator"}).context["page"]
    assert [user.email for user in page] == ["curator@test.example.jp"]


def test_organisation_detail_lists_members_with_their_roles(client_for):
    client = client_for(RoleCode.PORTAL_ADMIN)
    member = UserFactory(full_name="組織 花子", roles=[RoleCode.STARTUP_MEMBER])
    body = client.get(reverse("accounts:organisation_detail", args=[member.organisation.pk])).content.decode()
    assert "組織 花子" in body


def test_staff_manage_organisations_and_roles_in_the_django_admin(client, db):
    admin = UserFactory(is_staff=True, is_superuser=True, roles=[RoleCode.PORTAL_ADMIN])
    client.force_login(admin)
    assert client.get("/admin/accounts/organisation/").status_code == 200
    member = UserFactory()
    assert client.get(f"/admin/accounts/user/{member.pk}/change/").status_code == 200
    response = client.post(
        "/admin/accounts/organisation/add/",
        {"name": "航空幕僚監部", "name_en": "ASDF", "kind": "mod_unit", "unit_code": "asdf", "is_active": "on"},
    )
    assert response.status_code == 302
    assert Organisation.objects.get(unit_code="asdf").is_government


def test_non_staff_cannot_open_the_django_admin(client_for):
    response = client_for(RoleCode.CURATOR).get("/admin/accounts/organisation/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.mark.parametrize(
    ("kind", "unit_code", "valid"),
    [
        (OrganisationKind.MOD_UNIT, UnitCode.GSDF, True),
        (OrganisationKind.MOD_UNIT, "", False),
        (OrganisationKind.MOD_UNIT, UnitCode.ATLA, False),
        (OrganisationKind.ATLA, UnitCode.ATLA, True),
        (OrganisationKind.METI, UnitCode.GSDF, False),
        (OrganisationKind.STARTUP, "", True),
    ],
)
def test_unit_codes_belong_to_mod_units_and_atla_only(db, kind, unit_code, valid):
    organisation = Organisation(name="組織", kind=kind, unit_code=unit_code)
    if valid:
        organisation.full_clean()
    else:
        with pytest.raises(ValidationError):
            organisation.full_clean()


@pytest.mark.parametrize(
    ("kind", "government"),
    [(kind, kind in {"meti", "mod_unit", "atla"}) for kind in OrganisationKind.values],
)
def test_government_users_are_the_members_of_meti_mod_units_and_atla(db, kind, government):
    from accounts.rules import is_government_user

    user = UserFactory(organisation=OrganisationFactory(kind=kind, corporate_number=""))
    assert is_government_user(user) is government


def test_stale_unverified_registrations_are_purged_with_their_empty_organisation(db):
    old = timezone.now() - timedelta(days=40)
    stale = UserFactory(email_verified_at=None, date_joined=old)
    recent = UserFactory(email_verified_at=None)
    verified = UserFactory(date_joined=old)
    assert registrations_purge_stale() == 1
    assert not User.objects.filter(pk=stale.pk).exists()
    assert not Organisation.objects.filter(pk=stale.organisation_id).exists()
    assert User.objects.filter(pk__in=[recent.pk, verified.pk]).count() == 2
