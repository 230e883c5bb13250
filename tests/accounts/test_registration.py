import re

import pytest
from django.core import mail, signing
from django.db import transaction
from django.urls import reverse

from accounts.enums import RoleCode
from accounts.models import Organisation, User
from accounts.services import email_verification_token
from tests.factories import UserFactory, make_corporate_number

PASSWORD = "Tsukuba-Robotics-2026"


def registration(**overrides):
    data = {
        "organisation_name": "株式会社テスト航空",
        "corporate_number": make_corporate_number(4242),
        "full_name": "試験 太郎",
        "email": "taro@startup.example.jp",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    return {**data, **overrides}


def verification_link(message) -> str:
    return re.search(r"https?://\S+/accounts/verify/\S+/", message.body).group(0)


@pytest.fixture
def registered(client, db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:register"), registration())
    assert response.status_code == 200
    return User.objects.get(email="taro@startup.example.jp")


def test_registration_creates_an_unverified_startup_member_and_mails_the_link(registered):
    assert registered.email_verified_at is None
    assert registered.role_codes == {RoleCode.STARTUP_MEMBER}
    assert registered.organisation.kind == "startup"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["taro@startup.example.jp"]
    assert "/accounts/verify/" in mail.outbox[0].body


def test_verification_mail_is_in_the_language_the_user_registered_in(client, db, django_capture_on_commit_callbacks):
    client.cookies["django_language"] = "en"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:register"), registration())
    assert mail.outbox[0].subject == "Confirm your e-mail address for the dual-use portal"


def test_unverified_account_cannot_sign_in(client, registered):
    response = client.post(reverse("accounts:login"), {"username": registered.email, "password": PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "確認されていません" in response.content.decode()


def test_verification_link_verifies_and_then_sign_in_works(client, registered):
    path = verification_link(mail.outbox[0]).split("://", 1)[1].split("/", 1)[1]
    response = client.get("/" + path)
    assert response.status_code == 302
    registered.refresh_from_db()
    assert registered.email_verified_at is not None
    client.post(reverse("accounts:login"), {"username": registered.email, "password": PASSWORD})
    assert client.session["_auth_user_id"] == str(registered.pk)


def test_tampered_verification_link_is_refused(client, registered):
    token = email_verification_token(registered)
    response = client.get(reverse("accounts:verify_email", args=[token[:-2] + "xx"]))
    assert response.status_code == 400
    registered.refresh_from_db()
    assert registered.email_verified_at is None


def test_expired_verification_link_is_refused_with_a_way_to_get_a_new_one(client, registered, settings):
    token = email_verification_token(registered)
    settings.EMAIL_VERIFICATION_MAX_AGE = -1
    response = client.get(reverse("accounts:verify_email", args=[token]))
    assert response.status_code == 400
    assert reverse("accounts:resend_verification") in response.content.decode()


def test_link_for_an_old_address_stops_working_after_the_address_changes(client, registered):
    token = email_verification_token(registered)
    registered.email = "new@startup.example.jp"
    registered.save()
    assert client.get(reverse("accounts:verify_email", args=[token])).status_code == 400


def test_resend_sends_a_new_link_only_to_unverified_accounts(client, registered, django_capture_on_commit_callbacks):
    verified = UserFactory(email="done@startup.example.jp")
    mail.outbox.clear()
    for address in (registered.email, verified.email, "nobody@example.jp"):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("accounts:resend_verification"), {"email": address})
        assert response.status_code == 302
    assert [message.to for message in mail.outbox] == [[registered.email]]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("corporate_number", "1234567890123", "チェックデジット"),
        ("corporate_number", "12345", "13"),
        ("corporate_number", "12345678901ab", "数字"),
        ("password2", "different-password-1", "一致"),
        ("email", "not-an-address", "メールアドレス"),
    ],
)
def test_bad_registration_is_refused_with_a_translated_reason_and_writes_nothing(client, db, field, value, message):
    response = client.post(reverse("accounts:register"), registration(**{field: value}))
    assert response.status_code == 200
    assert message in " ".join(str(error) for error in response.context["form"].errors[field])
    assert not User.objects.exists()
    assert not Organisation.objects.exists()
    assert not mail.outbox


def _answer(response) -> tuple:
    """What the visitor sees: status, templates, messages and the page (its CSRF token aside)."""
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())
    messages = [str(message) for message in response.context["messages"]] if response.context else []
    return response.status_code, [template.name for template in response.templates], messages, page


def _already(case: str) -> None:
    """The registration() below meets an address or a company registered already."""
    company = {"organisation__corporate_number": make_corporate_number(4242)}
    if case == "address":
        UserFactory(email="taro@startup.example.jp", full_name="登録 済子")
    elif case == "address, unverified":
        UserFactory(email="taro@startup.example.jp", email_verified_at=None)
    elif case == "company":
        UserFactory(email="member@startup.example.jp", full_name="社員 一郎", **company)
    elif case == "both":
        UserFactory(email="taro@startup.example.jp", full_name="登録 済子", **company)


# Who is told, and what the e-mail says, when the registration meets what exists.
TOLD = {
    "address": ("taro@startup.example.jp", "登録しようと"),
    "address, unverified": ("taro@startup.example.jp", "/accounts/verify/"),
    "company": ("member@startup.example.jp", "taro@startup.example.jp"),
    "both": ("taro@startup.example.jp", "登録しようと"),
}


@pytest.mark.parametrize("case", list(TOLD))
def test_a_taken_address_or_company_gets_the_answer_of_a_new_registration_and_its_owner_an_e_mail(
    client, db, case, django_capture_on_commit_callbacks
):
    with transaction.atomic():
        fresh = _answer(client.post(reverse("accounts:register"), registration()))
        transaction.set_rollback(True)
    _already(case)
    users = set(User.objects.values_list("pk", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        taken = _answer(client.post(reverse("accounts:register"), registration(email="Taro@Startup.example.jp")))
    assert taken == fresh
    assert set(User.objects.values_list("pk", flat=True)) == users  # no account made, none changed
    recipient, says = TOLD[case]
    assert [message.to for message in mail.outbox] == [[recipient]]
    assert says in mail.outbox[0].body
    assert PASSWORD not in mail.outbox[0].body


def test_the_company_notice_goes_to_its_verified_members_only_in_their_language(
    client, db, django_capture_on_commit_callbacks
):
    member = UserFactory(organisation__corporate_number=make_corporate_number(4242), preferred_language="en")
    UserFactory(organisation=member.organisation, email_verified_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:register"), registration())
    assert [message.to for message in mail.outbox] == [[member.email]]
    assert mail.outbox[0].subject == "Someone asked to register your company on the dual-use portal"
    assert "試験 太郎" in mail.outbox[0].body


def test_verification_token_is_signed_with_its_own_salt(registered):
    token = email_verification_token(registered)
    with pytest.raises(signing.BadSignature):
        signing.TimestampSigner().unsign_object(token)
