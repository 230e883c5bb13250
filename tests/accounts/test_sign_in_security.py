"""Sign-in lockout, password rules, session expiry and the rate limits of the public account forms."""

import re
import time

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.urls import reverse

from accounts import security
from tests.accounts.test_registration import registration
from tests.factories import TEST_PASSWORD, UserFactory

SHORT_BUT_MIXED = "Kobe-Port-7x"  # 12 characters: the shortest password the portal accepts
TOO_SHORT = "Kobe-Port-7"  # 11


def sign_in(client, email, password, **extra):
    return client.post(reverse("accounts:login"), {"username": email, "password": password}, **extra)


def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(client, db):
    user = UserFactory(email="target@test.example.jp")
    for _attempt in range(4):
        assert sign_in(client, user.email, "wrong-password-123").status_code == 200
    assert sign_in(client, user.email, "wrong-password-123").status_code == 429
    locked = sign_in(client, user.email, TEST_PASSWORD)
    assert locked.status_code == 429
    assert "ロック" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_lockout_page_is_in_english_for_english_visitors(client, db):
    user = UserFactory()
    client.cookies["django_language"] = "en"
    for _attempt in range(5):
        sign_in(client, user.email, "wrong-password-123")
    assert "Too many wrong passwords" in sign_in(client, user.email, TEST_PASSWORD).content.decode()


def test_an_administrator_unlocks_the_account_by_deleting_its_access_attempt(client, db):
    user = UserFactory()
    for _attempt in range(5):
        sign_in(client, user.email, "wrong-password-123")
    admin = UserFactory(is_staff=True, is_superuser=True)
    admin_client = type(client)()
    admin_client.force_login(admin)
    attempt = AccessAttempt.objects.get(username=user.email)
    changelist = admin_client.get(reverse("admin:axes_accessattempt_changelist"))
    assert user.email in changelist.content.decode()
    admin_client.post(reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"})
    assert not AccessAttempt.objects.exists()
    assert sign_in(client, user.email, TEST_PASSWORD).status_code == 302


def test_wrong_passwords_below_the_limit_are_forgiven_after_a_successful_sign_in(client, db):
    user = UserFactory()
    for _attempt in range(4):
        sign_in(client, user.email, "wrong-password-123")
    assert sign_in(client, user.email, TEST_PASSWORD).status_code == 302
    assert not AccessAttempt.objects.filter(username=user.email).exists()


def test_the_api_token_exchange_counts_towards_the_lockout(client, db):
    user = UserFactory()
    url = reverse("api-token")
    for _attempt in range(5):
        client.post(url, {"email": user.email, "password": "wrong-password-123"})
    assert client.post(url, {"email": user.email, "password": TEST_PASSWORD}).status_code == 429


def test_registration_refuses_a_password_shorter_than_12_characters(client, db):
    response = client.post(reverse("accounts:register"), registration(password1=TOO_SHORT, password2=TOO_SHORT))
    assert response.status_code == 200
    assert "12" in response.content.decode()
    accepted = client.post(
        reverse("accounts:register"), registration(password1=SHORT_BUT_MIXED, password2=SHORT_BUT_MIXED)
    )
    assert "accounts/register_done.html" in [template.name for template in accepted.templates]


def test_password_change_and_reset_apply_the_same_rules(client, db):
    user = UserFactory(email="rules@test.example.jp")
    client.force_login(user)
    change = {"old_password": TEST_PASSWORD, "new_password1": TOO_SHORT, "new_password2": TOO_SHORT}
    assert client.post(reverse("accounts:password_change"), change).status_code == 200
    common = {"old_password": TEST_PASSWORD, "new_password1": "password1234", "new_password2": "password1234"}
    assert client.post(reverse("accounts:password_change"), common).status_code == 200
    user.refresh_from_db()
    assert user.check_password(TEST_PASSWORD)

    client.logout()
    client.post(reverse("accounts:password_reset"), {"email": user.email})
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    refused = client.post(form_page.redirect_chain[-1][0], {"new_password1": TOO_SHORT, "new_password2": TOO_SHORT})
    assert refused.status_code == 200
    user.refresh_from_db()
    assert user.check_password(TEST_PASSWORD)


def _age_session(client, *, signed_in_ago: int, last_seen_ago: int) -> None:
    session = client.session
    now = int(time.time())
    session[security.SIGNED_IN_AT] = now - signed_in_ago
    session[security.LAST_SEEN_AT] = now - last_seen_ago
    session.save()


@pytest.mark.parametrize(
    ("signed_in_ago", "last_seen_ago", "still_signed_in"),
    [
        (7 * 3600, 59 * 60, True),  # busy for 7 hours, last click 59 minutes ago
        (8 * 3600 + 1, 60, False),  # past the 8-hour absolute lifetime
        (3600, 60 * 60 + 1, False),  # idle for more than 60 minutes
    ],
)
def test_sessions_end_after_8_hours_or_60_idle_minutes(client, db, signed_in_ago, last_seen_ago, still_signed_in):
    client.force_login(UserFactory())
    _age_session(client, signed_in_ago=signed_in_ago, last_seen_ago=last_seen_ago)
    response = client.get(reverse("accounts:account"))
    if still_signed_in:
        assert response.status_code == 200
        return
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    signed_out = client.get(response["Location"])
    assert "セッションの有効期限" in signed_out.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_idle_clock_is_written_back_at_most_once_a_minute(client, db):
    client.force_login(UserFactory())
    _age_session(client, signed_in_ago=600, last_seen_ago=10)
    before = client.session[security.LAST_SEEN_AT]
    client.get(reverse("accounts:account"))
    assert client.session[security.LAST_SEEN_AT] == before
    _age_session(client, signed_in_ago=600, last_seen_ago=120)
    client.get(reverse("accounts:account"))
    assert client.session[security.LAST_SEEN_AT] >= int(time.time()) - 1


@pytest.mark.parametrize(
    ("url_name", "data", "allowed"),
    [
        ("accounts:register", registration(password1="x", password2="x"), 10),
        ("accounts:password_reset", {"email": "someone@test.example.jp"}, 5),
        ("accounts:resend_verification", {"email": "someone@test.example.jp"}, 5),
    ],
)
def test_public_account_forms_are_rate_limited_per_client_address(client, db, url_name, data, allowed):
    for _attempt in range(allowed):
        assert client.post(reverse(url_name), data).status_code != 429
    refused = client.post(reverse(url_name), data)
    assert refused.status_code == 429
    assert "送信回数が多すぎます" in refused.content.decode()
    other_address = client.post(reverse(url_name), data, REMOTE_ADDR="192.0.2.77")
    assert other_address.status_code != 429
