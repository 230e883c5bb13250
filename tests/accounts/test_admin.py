"""The Django admin: only a staff session past two-step verification opens it, and no page of it shows a
credential (API token keys, TOTP keys or their QR codes, recovery codes, password hashes)."""

from base64 import b32encode

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from accounts import two_factor
from accounts.enums import OrganisationKind, RoleCode
from accounts.models import User
from tests.factories import TEST_PASSWORD, OrganisationFactory, UserFactory


@pytest.fixture
def admin_client(client, db):
    """The portal administrator (a superuser of the administration office), past the code step."""
    office = OrganisationFactory(kind=OrganisationKind.ADMIN, corporate_number="")
    client.force_login(UserFactory(is_staff=True, is_superuser=True, organisation=office))
    return client


@pytest.fixture
def every_model_listed(db):
    """A row of every model the admin lists, with a user who holds every kind of credential."""
    holder = UserFactory(roles=[RoleCode.STARTUP_MEMBER])
    Token.objects.create(user=holder)
    TOTPDevice.objects.create(user=holder, name="phone", confirmed=True)
    two_factor.recovery_codes_issue(user=holder)
    Group.objects.create(name="editors")
    now = timezone.now()
    place = {"ip_address": "192.0.2.1", "user_agent": "test", "path_info": "/accounts/sign-in/"}
    AccessAttempt.objects.create(username=holder.email, failures_since_start=1, attempt_time=now, **place)
    AccessFailureLog.objects.create(username=holder.email, attempt_time=now, **place)
    AccessLog.objects.create(username=holder.email, attempt_time=now, **place)
    return holder


def credentials() -> set[str]:
    """Every secret in the database, in each form a page could show it."""
    secrets = set(Token.objects.values_list("key", flat=True))
    for device in TOTPDevice.objects.all():
        secrets |= {device.key, b32encode(device.bin_key).decode(), device.config_url}
    secrets |= set(StaticToken.objects.values_list("token", flat=True))
    for encoded in User.objects.values_list("password", flat=True):
        secrets |= {encoded, encoded.rsplit("$", 1)[-1]}  # the stored form and the hash itself
    return secrets


def admin_pages(model_admin, obj) -> list[str]:
    """Every page the model admin serves for `obj`: its own URLs (change list, add, change, history, delete and
    any extra view, such as a QR code), each with the object's id where it takes one."""
    pages = []
    for pattern in model_admin.get_urls():
        if pattern.name:
            kwargs = dict.fromkeys(pattern.pattern.converters, obj.pk)
            pages.append(reverse(f"admin:{pattern.name}", kwargs=kwargs))
    return pages


def test_no_admin_page_shows_a_credential(admin_client, every_model_listed):
    secrets = credentials()
    assert len(secrets) > 10
    for model, model_admin in admin.site._registry.items():
        rows = list(model._default_manager.all()[:5])
        assert rows, f"add a {model._meta.label} row to every_model_listed"
        for obj in rows:
            opened = set()
            for page in admin_pages(model_admin, obj):
                response = admin_client.get(page)
                assert response.status_code < 500, page
                opened |= {page} if response.status_code == 200 else set()
                html = response.content.decode()
                shown = [secret for secret in secrets if secret in html]
                assert not shown, f"{page} shows {shown}"
            name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
            assert {reverse(f"{name}_changelist"), reverse(f"{name}_change", args=[obj.pk])} <= opened


def test_the_admin_can_still_remove_a_lost_authenticator_and_revoke_api_tokens(admin_client, every_model_listed):
    device = TOTPDevice.objects.get(user=every_model_listed)
    admin_client.post(reverse("admin:otp_totp_totpdevice_delete", args=[device.pk]), {"post": "yes"})
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()
    action = {"action": "revoke_api_tokens", "_selected_action": [every_model_listed.pk]}
    admin_client.post(reverse("admin:accounts_user_changelist"), action)
    assert not Token.objects.filter(user=every_model_listed).exists()


@pytest.mark.parametrize(
    "account",
    [
        {"is_staff": True, "organisation__kind": OrganisationKind.ADMIN},
        {"is_staff": True, "is_superuser": True, "organisation__kind": OrganisationKind.ADMIN},
        {"is_superuser": True, "organisation__kind": OrganisationKind.STARTUP},
        {"is_staff": True, "organisation": None},
        {"organisation__kind": OrganisationKind.METI},
    ],
    ids=["staff", "superuser", "superuser, not staff", "staff, no organisation", "government"],
)
def test_two_step_verification_is_required_of_every_account_that_can_open_the_admin(db, account):
    assert two_factor.is_required(UserFactory(**account, organisation__corporate_number=""))


@pytest.mark.two_factor
def test_a_staff_password_alone_does_not_open_the_admin(client, db):
    staff = UserFactory(is_staff=True, is_superuser=True, organisation__kind=OrganisationKind.ADMIN)
    client.post(reverse("accounts:login"), {"username": staff.email, "password": TEST_PASSWORD})
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two_factor_setup"))


@pytest.mark.two_factor
def test_the_admin_site_itself_refuses_a_session_without_the_code_step(client, db, settings):
    """Even with the portal's gate (TwoFactorRequiredMiddleware) out of the way."""
    settings.MIDDLEWARE = [name for name in settings.MIDDLEWARE if not name.endswith("TwoFactorRequiredMiddleware")]
    staff = UserFactory(is_staff=True, is_superuser=True, organisation__kind=OrganisationKind.ADMIN)
    TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    client.force_login(staff)
    for page in (reverse("admin:index"), reverse("admin:accounts_user_changelist")):
        response = client.get(page, follow=True)
        assert response.redirect_chain[-1][0].startswith(reverse("accounts:two_factor_verify")), page
        assert response.status_code == 200
        assert "admin/" not in {template.name.split("/")[0] + "/" for template in response.templates}


def test_the_admin_has_no_sign_in_form_of_its_own(db):
    """Its own form would bypass the portal's sign-in (normalised address, lockout page, the code step)."""
    response = Client().get(reverse("admin:login"), {"next": "/admin/"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse(settings.LOGIN_URL))
    signed_in = Client()
    signed_in.force_login(UserFactory(roles=[RoleCode.STARTUP_MEMBER]))
    assert signed_in.get(reverse("admin:login")).status_code == 403
    assert signed_in.get(reverse("admin:index"), follow=True).status_code == 403


def test_the_admin_sign_in_address_sends_nobody_elsewhere(admin_client):
    response = admin_client.get(reverse("admin:login"), {"next": "https://evil.example.com/"})
    assert response["Location"] == reverse("admin:index")
