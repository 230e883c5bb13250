"""The Django admin site, open only to a staff session that has passed two-step verification.

TwoFactorRequiredMiddleware already keeps such a session on the code step; the site checks it again itself, so
that the admin (which shows every account) never rests on one gate. It has no sign-in form of its own: visitors
sign in on the portal's page (lockout, normalised address, the code step) and come back.
"""

from functools import wraps

from django.contrib import admin
from django.contrib.admin.options import TO_FIELD_VAR
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from accounts import two_factor
from accounts.views.two_factor import safe_next_url


class PortalAdminSite(admin.AdminSite):
    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        @wraps(inner)
        def without_empty_to_field(request, *args, **kwargs):
            # Django's change and delete views look up a field named "" for `?_to_field=` and answer 500.
            for name in ("GET", "POST"):
                query = getattr(request, name)
                if query.get(TO_FIELD_VAR, None) == "":
                    query = query.copy()
                    del query[TO_FIELD_VAR]
                    setattr(request, name, query)
            return inner(request, *args, **kwargs)

        return without_empty_to_field

    def has_permission(self, request) -> bool:
        return super().has_permission(request) and two_factor.session_is_verified(request)

    def login(self, request, extra_context=None):
        next_url = safe_next_url(request, default=reverse("admin:index", current_app=self.name))
        if not request.user.is_authenticated:
            return redirect_to_login(next_url)
        if self.has_permission(request):
            return redirect(next_url)
        if not super().has_permission(request):
            raise PermissionDenied  # signed in, but not staff
        step = "accounts:two_factor_verify" if two_factor.has_device(request.user) else "accounts:two_factor_setup"
        return redirect(f"{reverse(step)}?{urlencode({'next': next_url})}")
