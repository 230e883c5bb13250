"""Two-step verification with an authenticator app (TOTP, django-otp) and single-use recovery codes.

Optional for everyone and required for government users (METI, MOD units, ATLA) and for staff and superusers
(the Django admin): they are sent to the set-up page before any other page until they have a device. A session
counts as verified once django_otp.login() has stored the device in it; the middlewares in accounts/security.py
read only the session, so that a verified request costs no query.
"""

import segno
from django.db import transaction
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

RECOVERY_CODE_COUNT = 10
# Set at sign-in when the account has a device: the session must pass the code step before anything else.
PENDING_SESSION_KEY = "two_factor_pending"


def is_required(user) -> bool:
    """Government users must use two-step verification (their organisation is loaded with the user), and so
    must every account that can open the Django admin (staff) or holds every permission (superusers): the admin
    shows every account, whatever organisation its own user belongs to."""
    if getattr(user, "is_staff", False) or getattr(user, "is_superuser", False):
        return True
    organisation = getattr(user, "organisation", None)
    return organisation is not None and organisation.is_government


def has_device(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def session_is_verified(request) -> bool:
    return bool(request.session.get(DEVICE_ID_SESSION_KEY))


def step_owed(request) -> bool:
    """The signed-in session must still pass the code step (or set up a device) before anything else."""
    user = request.user
    if not user.is_authenticated or session_is_verified(request):
        return False
    return bool(request.session.get(PENDING_SESSION_KEY) or is_required(user))


def mark_verified(request, device) -> None:
    """The session passed the code step with `device` (stored as django_otp.login() does, which however
    needs request.user, absent on the sign-in signal's request of a test client's force_login)."""
    request.session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    request.session.pop(PENDING_SESSION_KEY, None)


def totp_device_pending(*, user) -> TOTPDevice:
    """The unconfirmed device being set up (its secret shown on the set-up page), created on first visit."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


def qr_code_svg(device: TOTPDevice) -> str:
    """The otpauth:// address as an inline SVG QR code: nothing leaves the portal."""
    return segno.make(device.config_url, error="m").svg_inline(scale=4, border=2, title="QR")


def secret_base32(device: TOTPDevice) -> str:
    from base64 import b32encode

    return b32encode(device.bin_key).decode()


@transaction.atomic
def totp_device_confirm(*, user, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the device if `token` is its current code: replaces any older device and issues new recovery
    codes, returned once. None (and nothing changed) when the code is wrong."""
    if not device.verify_token(token.strip().replace(" ", "")):
        return None
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return recovery_codes_issue(user=user)


@transaction.atomic
def recovery_codes_issue(*, user) -> list[str]:
    """New recovery codes; the previous ones stop working."""
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name="recovery codes")
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=static, token=code) for code in codes)
    return codes


def device_for_token(*, user, token: str):
    """The device that accepts `token` (a current authenticator code or an unused recovery code, which is
    then spent), else None."""
    token = token.strip().replace(" ", "").lower()
    for device in [
        *TOTPDevice.objects.filter(user=user, confirmed=True),
        *StaticDevice.objects.filter(user=user),
    ]:
        if device.verify_is_allowed()[0] and device.verify_token(token):
            return device
    return None


def recovery_codes_left(*, user) -> int:
    return StaticToken.objects.filter(device__user=user).count()


@transaction.atomic
def two_factor_disable(*, user) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
