"""Every spelling of an address (case, full width, compatibility characters) is one account: it signs in, is
locked, registers and resets as the address itself, on the pages and the API (accounts/identity.py)."""

import itertools

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.identity import email_normalise
from accounts.models import User
from tests.accounts.test_registration import registration
from tests.factories import TEST_PASSWORD, UserFactory

ADDRESS = "startupb@probe.jp"
WRONG = "wrong-password-123"
LOCKED = "Too many wrong passwords"


def _variants(char: str) -> list[str]:
    forms = {char, char.upper(), chr(ord(char.upper()) + 0xFEE0), chr(ord(char) + 0xFEE0)}  # full width
    forms |= {"ſ"} if char == "s" else set()  # LATIN SMALL LETTER LONG S: NFKC and casefold make it "s"
    forms |= {"\u212a"} if char == "k" else set()  # KELVIN SIGN
    return sorted(forms)


spellings = st.tuples(*(st.sampled_from(_variants(char)) for char in ADDRESS)).map("".join)
_addresses = itertools.count(1)


def fresh_address() -> str:
    """A client address of its own per attempt: the lock under test is the account's, not the client's."""
    n = next(_addresses)
    return f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"


def page_sign_in(email: str, password: str):
    client = Client(REMOTE_ADDR=fresh_address(), HTTP_ACCEPT_LANGUAGE="en")
    client.cookies["django_language"] = "en"
    return client, client.post(reverse("accounts:login"), {"username": email, "password": password})


def api_token(email: str, password: str):
    return Client(REMOTE_ADDR=fresh_address()).post(
        reverse("api-token"), {"email": email, "password": password}, HTTP_ACCEPT_LANGUAGE="en"
    )


@pytest.fixture
def account(db):
    return UserFactory(email=ADDRESS)


def test_the_normal_form_folds_width_and_case():
    assert email_normalise(" ＳＴＡＲＴＵＰＢ＠Ｐｒｏｂｅ．ＪＰ ") == ADDRESS
    assert email_normalise("STARTUPB@PROBE.JP") == ADDRESS


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(spelling=spellings)
def test_any_spelling_signs_in_on_the_page_and_the_api(account, spelling):
    client, page = page_sign_in(spelling, TEST_PASSWORD)
    assert page.status_code == 302, spelling
    assert client.session["_auth_user_id"] == str(account.pk)
    response = api_token(spelling, TEST_PASSWORD)
    assert response.status_code == 200, (spelling, response.content)
    assert "token" in response.json()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(locked_as=spellings, tried_as=spellings)
def test_wrong_passwords_under_any_spelling_lock_every_spelling(account, locked_as, tried_as):
    AccessAttempt.objects.all().delete()
    for _attempt in range(5):
        page_sign_in(locked_as, WRONG)
    client, page = page_sign_in(tried_as, TEST_PASSWORD)
    assert page.status_code == 429, (locked_as, tried_as)
    assert LOCKED in page.content.decode()
    assert "_auth_user_id" not in client.session
    response = api_token(tried_as, TEST_PASSWORD)
    assert response.status_code == 429, (locked_as, tried_as)
    assert LOCKED in response.json()["detail"]


SPELLING = "ＳｔａｒｔｕｐＢ＠ＰＲＯＢＥ．ｊｐ"


def test_registering_another_spelling_of_a_taken_address_creates_no_second_account(client, account):
    client.post(reverse("accounts:register"), registration(email=SPELLING))
    assert list(User.objects.values_list("email", flat=True)) == [ADDRESS]


def test_a_registration_stores_the_normal_form(client, db):
    client.post(reverse("accounts:register"), registration(email=SPELLING))
    assert User.objects.get().email == ADDRESS


@pytest.mark.parametrize("url_name", ["accounts:password_reset", "accounts:resend_verification"])
def test_password_reset_and_new_links_reach_the_account_under_any_spelling(
    client, account, url_name, django_capture_on_commit_callbacks
):
    account.email_verified_at = None if url_name == "accounts:resend_verification" else account.email_verified_at
    account.save()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse(url_name), {"email": SPELLING})
    assert [message.to for message in mail.outbox] == [[ADDRESS]]
