"""`load_demo`'s sign-ins: government demo users pass two-step verification with a printed recovery code."""

import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from demo.people import DEMO_PASSWORD

pytestmark = pytest.mark.two_factor  # the real gate, not the fixture that passes it


def test_a_government_demo_user_signs_in_with_a_printed_recovery_code(client, db):
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    printed = out.getvalue()
    codes = re.search(r"curator@demo\.example\.jp.*\n\s+\S.*?: (\S+)", printed)
    assert codes, printed
    response = client.post(
        reverse("accounts:login"), {"username": "curator@demo.example.jp", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302 and reverse("accounts:two_factor_verify") in client.get("/").url
    client.post(reverse("accounts:two_factor_verify"), {"code": codes.group(1)})
    assert client.get("/").status_code == 200  # through the gate


def test_the_startup_demo_user_needs_no_second_step(client, db):
    printed = io.StringIO()
    call_command("load_demo", stdout=printed)
    assert re.search(r"startup@demo\.example\.jp.*\n  \S", printed.getvalue())  # no codes line under it
    client.post(reverse("accounts:login"), {"username": "startup@demo.example.jp", "password": DEMO_PASSWORD})
    assert client.get("/").status_code == 200
