"""Whatever sets a password (the change page, a reset link, the admin) revokes the account's API tokens, and the
page says so: whoever knew the old password and took a token with it is locked out too."""

import io
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from tests.factories import TEST_PASSWORD, UserFactory

NEW_PASSWORD = "Nagoya-Harbour-2026"
REVOKED = "API tokens were revoked"


def change_on_the_page(client, user):
    client.force_login(user)
    form = {"old_password": TEST_PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    return client.post(reverse("accounts:password_change"), form, follow=True)


def reset_by_e_mail(client, user):
    client.post(reverse("accounts:password_reset"), {"email": user.email})
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/\S+/)", mail.outbox[-1].body).group(1)
    form_page = client.get(link, follow=True).redirect_chain[-1][0]
    return client.post(form_page, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}, follow=True)


def set_in_the_admin(client, user):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    form = {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"}
    return client.post(reverse("admin:auth_user_password_change", args=[user.pk]), form, follow=True)


def disable_in_the_admin(client, user):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client.post(
        reverse("admin:auth_user_password_change", args=[user.pk]), {"usable_password": "false", "unset-password": "1"}
    )


PATHS = {
    "change": change_on_the_page,
    "reset": reset_by_e_mail,
    "admin": set_in_the_admin,
    "admin, no password": disable_in_the_admin,
}


def api_detail(key: str) -> str:
    """What the API says to a client of this token."""
    response = Client().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}", HTTP_ACCEPT_LANGUAGE="en")
    return "ok" if response.status_code == 200 else response.json()["detail"]


@pytest.mark.parametrize("path", list(PATHS))
def test_setting_a_password_revokes_the_api_tokens(client, db, path):
    user = UserFactory()
    key = Token.objects.create(user=user).key
    assert api_detail(key) == "ok"  # and the owner is now cached with the token
    response = PATHS[path](client, user)
    assert response.status_code in {200, 302}
    user.refresh_from_db()
    assert not user.check_password(TEST_PASSWORD)
    assert api_detail(key) == "Invalid token."
    assert not Token.objects.filter(user=user).exists()


@pytest.mark.parametrize("path", ["change", "reset"])
def test_the_page_after_a_new_password_says_the_tokens_were_revoked_only_when_there_were_any(client, db, path):
    with_token, without = UserFactory(), UserFactory()
    Token.objects.create(user=with_token)
    client.cookies["django_language"] = "en"
    page = PATHS[path](client, with_token)
    done = {"change": "accounts:password_change_done", "reset": "accounts:password_reset_complete"}[path]
    assert page.redirect_chain[-1][0] == reverse(done)  # still signed in after a change
    assert REVOKED in page.content.decode()
    other = Client()
    other.cookies["django_language"] = "en"
    assert REVOKED not in PATHS[path](other, without).content.decode()


def test_a_password_set_from_the_command_line_revokes_the_tokens_too(db, monkeypatch):
    """`manage.py changepassword` calls no portal service: the user model itself revokes the tokens."""
    from django.core.management import call_command

    user = UserFactory()
    key = Token.objects.create(user=user).key
    assert api_detail(key) == "ok"
    monkeypatch.setattr("getpass.getpass", lambda prompt="": NEW_PASSWORD)  # the operator typing at the terminal
    call_command("changepassword", user.email, stdout=io.StringIO())
    assert api_detail(key) == "Invalid token."
    assert not Token.objects.filter(user=user).exists()
