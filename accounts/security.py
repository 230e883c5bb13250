"""Session expiry and the two-step verification gate, both reading only the session (no query per request)."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from accounts import two_factor
from accounts.backends import PortalModelBackend

SIGNED_IN_AT = "signed_in_at"
LAST_SEEN_AT = "last_seen_at"
# The idle clock is written back at most this often, so that a busy user does not cost a session write on
# every request.
LAST_SEEN_RESOLUTION = 60


@receiver(user_logged_in, dispatch_uid="accounts.security.start_session")
def _start_session(sender, request, user, **kwargs) -> None:
    now = int(time.time())
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_SEEN_AT] = now
    # Someone who set up an authenticator passes the code step too, required or not.
    if two_factor.is_required(user) or two_factor.has_device(user):
        request.session[two_factor.PENDING_SESSION_KEY] = True


@receiver(user_logged_in, dispatch_uid="accounts.security.cache_signed_in_user")
def _cache_signed_in_user(sender, request, user, **kwargs) -> None:
    """The record the next requests read (accounts/backends.py), cached once the sign-in has saved it."""
    PortalModelBackend().get_user(user.pk)


class SessionExpiryMiddleware:
    """Signs out a session 8 hours after sign-in (SESSION_MAX_AGE) or after 60 idle minutes
    (SESSION_IDLE_TIMEOUT), with a message saying why on the sign-in page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            session = request.session
            signed_in = session.setdefault(SIGNED_IN_AT, now)
            last_seen = session.setdefault(LAST_SEEN_AT, now)
            if (
                now - signed_in > settings.SESSION_MAX_AGE.total_seconds()
                or now - last_seen > settings.SESSION_IDLE_TIMEOUT.total_seconds()
            ):
                logout(request)
                messages.info(request, _("Your session expired. Please sign in again."))
                if request.path.startswith("/api/"):
                    return self.get_response(request)  # the API answers as for any anonymous caller
                return redirect(f"{reverse('accounts:login')}?{urlencode({'next': request.get_full_path()})}")
            if now - last_seen >= LAST_SEEN_RESOLUTION:
                session[LAST_SEEN_AT] = now
        return self.get_response(request)


# Pages a signed-in user may open before passing the code step.
_OPEN_PREFIXES = ("/static/", "/jsi18n/", "/healthz/")


class TwoFactorRequiredMiddleware:
    """Until the session has passed the code step, a user who must (government) or chose to use two-step
    verification only reaches the verification or set-up pages, sign-out and the language switch."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if not two_factor.step_owed(request) or self._is_open(request.path):
            return self.get_response(request)
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": _("Complete two-step verification in the portal first.")}, status=403)
        target = "accounts:two_factor_verify" if two_factor.has_device(user) else "accounts:two_factor_setup"
        return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")

    @staticmethod
    def _is_open(path: str) -> bool:
        open_paths = {
            reverse("accounts:two_factor_verify"),
            reverse("accounts:two_factor_setup"),
            reverse("accounts:logout"),
            reverse("accounts:switch_language"),
        }
        return path in open_paths or path.startswith(_OPEN_PREFIXES)
