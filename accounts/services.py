"""Writes on accounts and organisations. Views, API, commands and tasks call these; nothing else writes."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from rest_framework.authtoken.models import Token

from accounts.enums import OrganisationKind, RoleCode
from accounts.identity import email_normalise
from accounts.models import Organisation, Role

User = get_user_model()

_VERIFICATION_SALT = "accounts.email-verification"


def user_register_startup(
    *,
    organisation_name: str,
    corporate_number: str,
    full_name: str,
    email: str,
    password: str,
    language: str,
) -> None:
    """Create a startup organisation and its first member, unverified, and e-mail the verification link.

    An address or a company already registered gets no new account, and the caller answers exactly as for a new
    one: the form must not tell who is registered. Their owner is told by e-mail instead (_notify_if_registered).
    The same registration sent twice at once ends the same way: the second finds the first's rows. Mails are
    enqueued after commit, so a rolled-back registration sends nothing.
    """
    email = email_normalise(email)
    if _notify_if_registered(email=email, corporate_number=corporate_number, full_name=full_name):
        make_password(password)  # as a new registration does: the answer takes as long either way
        return
    try:
        with transaction.atomic():
            organisation = Organisation.objects.create(
                name=organisation_name.strip(), kind=OrganisationKind.STARTUP, corporate_number=corporate_number
            )
            user = User.objects.create_user(
                email=email,
                password=password,
                full_name=full_name.strip(),
                organisation=organisation,
                preferred_language=language if language in {"ja", "en"} else "ja",
            )
            user.roles.add(role_get(RoleCode.STARTUP_MEMBER))
            _enqueue_verification_email(user.pk)
    except IntegrityError:
        # A concurrent registration took the address or the corporate number between the check and the insert.
        if not _notify_if_registered(email=email, corporate_number=corporate_number, full_name=full_name):
            raise


def _notify_if_registered(*, email: str, corporate_number: str, full_name: str) -> bool:
    """If the address or the company is registered already, tell its owner by e-mail and return True.

    The address's owner gets a new verification link (not verified yet) or a notice that someone tried to
    register with it; otherwise a company's verified members get the name and address of who asked to join."""
    from accounts import outbox

    owner = User.objects.filter(email__iexact=email).first()
    company = None if owner else Organisation.objects.filter(corporate_number=corporate_number).first()
    if owner is None and company is None:
        return False
    if owner is not None and owner.is_active and owner.email_verified_at is None:
        _enqueue_verification_email(owner.pk)
    elif owner is not None and owner.is_active:
        outbox.enqueue("accounts.send_registration_notice", {"user_id": owner.pk})
    elif company is not None:
        notice = {"organisation_id": company.pk, "full_name": full_name.strip(), "email": email}
        outbox.enqueue("accounts.send_company_registration_notice", notice)
    return True


def registration_notice_send(*, user: User) -> None:
    """Tell an account's owner that someone tried to register with its address. Side effect: one e-mail."""
    context = {
        "user": user,
        "sign_in": settings.SITE_URL + reverse("accounts:login"),
        "reset": settings.SITE_URL + reverse("accounts:password_reset"),
    }
    _mail(
        user, _("Someone tried to register with your e-mail address"), "accounts/email/registration_notice.txt", context
    )


def company_registration_notice_send(*, organisation: Organisation, full_name: str, email: str) -> None:
    """Tell the verified members of a registered company that someone asked to register it again (who, with
    which address), so that they can have that person added. Side effect: one e-mail per member."""
    members = organisation.members.filter(is_active=True, email_verified_at__isnull=False)
    for member in members:
        context = {"user": member, "organisation": organisation, "full_name": full_name, "email": email}
        subject = _("Someone asked to register your company on the dual-use portal")
        _mail(member, subject, "accounts/email/company_registration_notice.txt", context)


def _mail(user: User, subject: str, template: str, context: dict) -> None:
    """One e-mail to `user`, in the user's language."""
    with translation.override(user.preferred_language):
        body = render_to_string(template, context)
        send_mail(str(subject), body, settings.DEFAULT_FROM_EMAIL, [user.email])


def role_get(code: str) -> Role:
    role, _created = Role.objects.get_or_create(code=code)
    return role


def _enqueue_verification_email(user_id: int) -> None:
    from accounts import outbox

    outbox.enqueue("accounts.send_verification_email", {"user_id": user_id})


def email_verification_token(user: User) -> str:
    # Signing the address too means a link stops working once the address changes.
    return signing.TimestampSigner(salt=_VERIFICATION_SALT).sign_object({"user": user.pk, "email": user.email})


def email_verification_send(*, user: User) -> None:
    """Send the verification link, in the user's language. Side effect: one e-mail."""
    link = settings.SITE_URL + reverse("accounts:verify_email", args=[email_verification_token(user)])
    subject = _("Confirm your e-mail address for the dual-use portal")
    _mail(user, subject, "accounts/email/verify_email.txt", {"user": user, "link": link})


def email_verification_request(*, email: str) -> None:
    """Re-send a link to an unverified account; silent otherwise, so the form reveals no accounts."""
    user = User.objects.filter(
        email__iexact=email_normalise(email), email_verified_at__isnull=True, is_active=True
    ).first()
    if user is not None:
        _enqueue_verification_email(user.pk)


def email_verify(*, token: str) -> User:
    """Mark the account behind a verification link as verified; ValidationError for a bad or old link."""
    max_age = settings.EMAIL_VERIFICATION_MAX_AGE
    try:
        payload = signing.TimestampSigner(salt=_VERIFICATION_SALT).unsign_object(token, max_age=max_age)
    except signing.SignatureExpired as error:
        raise ValidationError(_("This link has expired. Request a new one below."), code="expired") from error
    except signing.BadSignature as error:
        raise ValidationError(_("This link is not valid. Request a new one below."), code="invalid") from error
    user = User.objects.filter(pk=payload.get("user"), email=payload.get("email")).first()
    if user is None:
        raise ValidationError(_("This link is not valid. Request a new one below."), code="invalid")
    if user.email_verified_at is None:
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email_verified_at"])
    return user


def user_password_set(*, user: User, password: str | None) -> bool:
    """Set the password (None: none usable) and revoke the account's API tokens, which were issued under the old
    one: a changed password must lock out whoever held it. Returns whether a token was revoked."""
    with transaction.atomic():
        had_tokens = Token.objects.filter(user=user).exists()
        if password is None:
            user.set_unusable_password()
        else:
            user.set_password(password)
        user.save()  # revokes the tokens (User.save), whoever sets a password
    return had_tokens


def user_tokens_revoke(*, users) -> int:
    """Delete the API tokens of `users` (a queryset or a list) in one statement (each deletion tombstones its
    cached owner); returns how many."""
    revoked, _kinds = Token.objects.filter(user__in=users).delete()
    return revoked


def user_set_language(*, user: User, language: str) -> None:
    if user.is_authenticated and language in {"ja", "en"} and user.preferred_language != language:
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])


def registrations_purge_stale(*, older_than_days: int = 30) -> int:
    """Delete startup registrations never verified within `older_than_days`, with their empty organisation.

    Returns how many accounts went. An organisation that gained anything else is kept.
    """
    cutoff = timezone.now() - timedelta(days=older_than_days)
    stale = User.objects.filter(email_verified_at__isnull=True, date_joined__lt=cutoff, is_staff=False)
    removed = 0
    with transaction.atomic():
        for user in stale.select_related("organisation"):
            organisation = user.organisation
            user.delete()
            removed += 1
            if organisation and organisation.kind == OrganisationKind.STARTUP and not organisation.members.exists():
                organisation.delete()
    return removed


UNIT_NAMES = {
    "gsdf": ("陸上幕僚監部", "Ground Staff Office (GSDF)"),
    "msdf": ("海上幕僚監部", "Maritime Staff Office (MSDF)"),
    "asdf": ("航空幕僚監部", "Air Staff Office (ASDF)"),
    "joint_staff": ("統合幕僚監部", "Joint Staff Office"),
    "internal_bureau": ("防衛省 内部部局", "MOD Internal Bureau"),
    "atla": ("防衛装備庁", "Acquisition, Technology & Logistics Agency (ATLA)"),
}


def organisation_for_unit(code: str) -> Organisation:
    """The organisation of an MOD unit or ATLA by its unit code, created on first use (the set is fixed)."""
    name, name_en = UNIT_NAMES[code]
    kind = OrganisationKind.ATLA if code == "atla" else OrganisationKind.MOD_UNIT
    organisation, _created = Organisation.objects.get_or_create(
        unit_code=code, defaults={"name": name, "name_en": name_en, "kind": kind}
    )
    return organisation
