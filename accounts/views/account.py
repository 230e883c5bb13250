"""The signed-in user's own account page and API token."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rest_framework.authtoken.models import Token

from accounts import services, two_factor


@login_required
def account(request):
    token = Token.objects.filter(user=request.user).first()
    context = {
        "token": token,
        "two_factor_on": two_factor.has_device(request.user),
        "two_factor_required": two_factor.is_required(request.user),
        "recovery_codes_left": two_factor.recovery_codes_left(user=request.user),
    }
    return render(request, "accounts/account.html", context)


@login_required
@require_POST
def token_regenerate(request):
    services.user_tokens_revoke(users=[request.user])
    Token.objects.create(user=request.user)
    messages.success(request, _("A new API token was issued. The previous one no longer works."))
    return redirect("accounts:account")


@login_required
@require_POST
def token_revoke(request):
    services.user_tokens_revoke(users=[request.user])
    messages.success(request, _("Your API token was revoked."))
    return redirect("accounts:account")
