"""`load_demo`'s sign-ins: every printed account signs in, government ones through two-step verification with
a printed recovery code, each of which works once."""

import re

import pytest
from django.urls import reverse

from accounts.models import User
from demo.people import DEMO_PASSWORD, SignIn, sign_ins

pytestmark = pytest.mark.two_factor  # the real gate, not the fixture that passes it
CODE = re.compile(r"\b[a-z0-9]{8}\b")


def printed_codes(output: str, email: str) -> list[str]:
    """The codes printed on the line under the account's, indented further (none: the next account's line)."""
    lines = output.splitlines()
    after = lines[next(n for n, line in enumerate(lines) if line.split()[:1] == [email]) + 1]
    return CODE.findall(after.rpartition(": ")[2]) if after.startswith("    ") else []


def sign_in(client, email: str, code: str | None = None):
    client.post(reverse("accounts:login"), {"username": email, "password": DEMO_PASSWORD})
    if code is not None:
        client.post(reverse("accounts:two_factor_verify"), {"code": code})
    return client.get("/")


def test_every_account_that_must_pass_two_step_verification_gets_ten_printed_codes(demo):
    """Government accounts, and the admin (staff accounts open the Django admin, which asks for the code)."""
    accounts: list[SignIn] = sign_ins()
    assert len(accounts) >= 6
    users = {user.email: user for user in User.objects.filter(email__in=[a.email for a in accounts])}
    for account in accounts:
        codes = printed_codes(demo, account.email)
        assert codes == account.codes
        user = users[account.email]
        needs_codes = account.organisation.is_government or user.is_staff or user.is_superuser
        assert len(codes) == (10 if needs_codes else 0), account.email
    assert printed_codes(demo, "admin@demo.example.jp"), "the demo admin opens the Django admin with a code"


def test_a_government_demo_user_signs_in_with_a_printed_recovery_code_once(demo, client):
    first, second = printed_codes(demo, "curator@demo.example.jp")[:2]
    assert sign_in(client, "curator@demo.example.jp").url.startswith(reverse("accounts:two_factor_verify"))
    client.post(reverse("accounts:two_factor_verify"), {"code": first})
    assert client.get("/").status_code == 200  # through the gate
    client.post(reverse("accounts:logout"))
    assert sign_in(client, "curator@demo.example.jp", second).status_code == 200
    client.post(reverse("accounts:logout"))
    assert sign_in(client, "curator@demo.example.jp", first).status_code == 302  # spent: back to the code step


def test_the_startup_demo_user_needs_no_second_step(demo, client):
    assert printed_codes(demo, "startup@demo.example.jp") == []
    assert sign_in(client, "startup@demo.example.jp").status_code == 200
