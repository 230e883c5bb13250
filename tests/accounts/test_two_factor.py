"""Two-step verification: required for government users, optional for others; codes made with pyotp as an
authenticator app would, from the key shown on the set-up page."""

import re
import time

import pyotp
import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.enums import RoleCode
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.two_factor

GOVERNMENT_ROLES = [RoleCode.CURATOR, RoleCode.NEED_AUTHOR, RoleCode.NEED_REVIEWER]


def sign_in(client, user, next_url="/"):
    return client.post(reverse("accounts:login"), {"username": user.email, "password": TEST_PASSWORD, "next": next_url})


def next_code(totp: pyotp.TOTP) -> str:
    """The code of the next 30-second step: the one used at set-up cannot be replayed, and the portal
    accepts one step of clock drift."""
    return totp.at(time.time() + 30)


def set_up(client) -> tuple[pyotp.TOTP, list[str]]:
    page = client.get(reverse("accounts:two_factor_setup")).content.decode()
    secret = re.search(r'data-testid="totp-secret">([A-Z2-7]+)<', page).group(1)
    totp = pyotp.TOTP(secret)
    done = client.post(reverse("accounts:two_factor_setup"), {"code": totp.now(), "next": "/"})
    codes = re.findall(r'<li><code class="token">(\w+)</code></li>', done.content.decode())
    return totp, codes


@pytest.mark.parametrize("role", GOVERNMENT_ROLES)
def test_government_users_are_sent_to_set_up_before_any_other_page(client, user_with_role, role):
    user = user_with_role(role)
    response = sign_in(client, user, next_url=reverse("needs:need_list"))
    gate = client.get(response["Location"])
    assert gate.status_code == 302
    assert gate["Location"].startswith(reverse("accounts:two_factor_setup"))
    for url in ["/", reverse("accounts:account"), reverse("needs:need_list")]:
        assert client.get(url)["Location"].startswith(reverse("accounts:two_factor_setup"))
    assert client.get("/api/v1/me/").status_code == 403


def test_the_set_up_page_shows_the_key_and_a_qr_code_drawn_in_the_page(client, user_with_role):
    client.force_login(user_with_role(RoleCode.CURATOR))
    page = client.get(reverse("accounts:two_factor_setup"))
    body = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in body and 'data-testid="totp-qr"' in body
    assert re.search(r'data-testid="totp-secret">[A-Z2-7]{32}<', body)
    assert "政府" in body  # says why it is required


def test_setting_up_with_a_correct_code_opens_the_portal_and_shows_ten_recovery_codes(client, user_with_role):
    user = user_with_role(RoleCode.NEED_AUTHOR)
    client.force_login(user)
    _totp, codes = set_up(client)
    assert len(codes) == 10
    assert TOTPDevice.objects.get(user=user).confirmed
    assert client.get(reverse("needs:need_list")).status_code == 200


def test_a_wrong_code_at_set_up_is_refused_and_changes_nothing(client, user_with_role):
    user = user_with_role(RoleCode.CURATOR)
    client.force_login(user)
    client.get(reverse("accounts:two_factor_setup"))
    refused = client.post(reverse("accounts:two_factor_setup"), {"code": "000000"})
    assert refused.status_code == 200
    assert "現在のコードではありません" in refused.content.decode()
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    assert client.get("/")["Location"].startswith(reverse("accounts:two_factor_setup"))


def test_signing_in_again_asks_for_the_code_after_the_password(client, user_with_role):
    user = user_with_role(RoleCode.NEED_REVIEWER)
    client.force_login(user)
    totp, _codes = set_up(client)
    client.logout()

    sign_in(client, user)
    gate = client.get("/")
    assert gate["Location"].startswith(reverse("accounts:two_factor_verify"))
    wrong = client.post(reverse("accounts:two_factor_verify"), {"code": "123456", "next": "/"})
    assert "間違っているか" in wrong.content.decode()
    assert client.get("/").status_code == 302
    time.sleep(1.1)  # django-otp refuses any code for 1 s after a wrong one (doubling with each further one)
    passed = client.post(reverse("accounts:two_factor_verify"), {"code": next_code(totp), "next": "/"})
    assert passed["Location"] == "/"
    assert client.get("/").status_code == 200


def test_a_password_alone_cannot_enrol_another_phone(client, user_with_role):
    user = user_with_role(RoleCode.CURATOR)
    client.force_login(user)
    set_up(client)
    client.logout()
    sign_in(client, user)
    attempt = client.get(reverse("accounts:two_factor_setup"))
    assert attempt["Location"].startswith(reverse("accounts:two_factor_verify"))
    assert TOTPDevice.objects.filter(user=user).count() == 1


def test_a_recovery_code_works_once(client, user_with_role):
    user = user_with_role(RoleCode.CURATOR)
    client.force_login(user)
    _totp, codes = set_up(client)
    for attempt in range(2):
        client.logout()
        sign_in(client, user)
        response = client.post(reverse("accounts:two_factor_verify"), {"code": codes[0], "next": "/"})
        if attempt == 0:
            assert response.status_code == 302
        else:
            assert response.status_code == 200  # spent
    assert client.get("/").status_code == 302


def test_startup_members_may_turn_it_on_and_off(client, user_with_role):
    user = user_with_role(RoleCode.STARTUP_MEMBER)
    sign_in(client, user)
    assert client.get(reverse("accounts:account")).status_code == 200  # optional: no gate
    totp, _codes = set_up(client)
    client.logout()
    sign_in(client, user)
    assert client.get("/")["Location"].startswith(reverse("accounts:two_factor_verify"))
    assert client.post(reverse("accounts:two_factor_verify"), {"code": next_code(totp)}).status_code == 302
    client.post(reverse("accounts:two_factor_disable"))
    assert not TOTPDevice.objects.filter(user=user).exists()


def test_government_users_cannot_turn_it_off(client, user_with_role):
    user = user_with_role(RoleCode.CURATOR)
    client.force_login(user)
    set_up(client)
    client.post(reverse("accounts:two_factor_disable"))
    assert TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def test_the_token_exchange_refuses_a_password_alone_for_accounts_with_two_step_verification(client, user_with_role):
    user = user_with_role(RoleCode.NEED_AUTHOR)
    response = client.post(reverse("api-token"), {"email": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 400
    assert "token" not in response.json()


def main_nav(page) -> str:
    return page.content.decode().split('class="main-nav"')[1].split("</nav>")[0]


@pytest.mark.parametrize("role", GOVERNMENT_ROLES)
def test_the_code_pages_show_no_navigation_until_the_code_is_given(client, user_with_role, role):
    """Before the code step every link of the role's navigation would only lead back here: sign-out only."""
    user = user_with_role(role)
    sign_in(client, user)
    setup = client.get(reverse("accounts:two_factor_setup"))
    assert "<a " not in main_nav(setup)
    assert reverse("accounts:logout") in setup.content.decode()
    set_up(client)
    assert reverse("needs:need_list") in main_nav(client.get("/"))
    client.post(reverse("accounts:logout"))
    sign_in(client, user)
    verify = client.get(reverse("accounts:two_factor_verify"))
    assert verify.status_code == 200 and "<a " not in main_nav(verify)
