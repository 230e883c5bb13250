"""Two-step verification pages: set-up (secret and QR code), the code step after sign-in, recovery codes."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import two_factor
from accounts.forms import OneTimeCodeForm


def safe_next_url(request, default: str = "/") -> str:
    """The `next` address of the request if it stays on this site (no open redirect), else `default`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure())
    # Only a path: redirect() reads any other word ("²", "home") as the name of a view, and fails.
    return target if allowed and target.startswith("/") and not target.startswith("//") else default


@login_required
def setup(request):
    if not two_factor.session_is_verified(request) and two_factor.has_device(request.user):
        # Replacing a device takes the current one first: a password alone must not enrol a new phone.
        return redirect(f"{reverse('accounts:two_factor_verify')}?{urlencode({'next': request.get_full_path()})}")
    device = two_factor.totp_device_pending(user=request.user)
    form = OneTimeCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = two_factor.totp_device_confirm(user=request.user, device=device, token=form.cleaned_data["code"])
        if codes is None:
            form.add_error("code", _("This code is not the current one. Check the clock of your phone and try again."))
        else:
            two_factor.mark_verified(request, device)
            return render(request, "accounts/two_factor_codes.html", {"codes": codes, "next": safe_next_url(request)})
    context = {
        "form": form,
        "qr_svg": two_factor.qr_code_svg(device),
        "secret": two_factor.secret_base32(device),
        "required": two_factor.is_required(request.user),
        "next": safe_next_url(request),
    }
    return render(request, "accounts/two_factor_setup.html", context)


@login_required
def verify(request):
    form = OneTimeCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = two_factor.device_for_token(user=request.user, token=form.cleaned_data["code"])
        if device is None:
            form.add_error("code", _("This code is wrong or already used."))
        else:
            two_factor.mark_verified(request, device)
            return redirect(safe_next_url(request))
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": safe_next_url(request)})


@login_required
@require_POST
def recovery_codes(request):
    if not two_factor.has_device(request.user):
        return redirect("accounts:two_factor_setup")
    codes = two_factor.recovery_codes_issue(user=request.user)
    return render(request, "accounts/two_factor_codes.html", {"codes": codes, "next": "/"})


@login_required
@require_POST
def disable(request):
    if two_factor.is_required(request.user):
        messages.error(request, _("Government and administrator accounts must keep two-step verification."))
    else:
        two_factor.two_factor_disable(user=request.user)
        messages.success(request, _("Two-step verification is off."))
    return redirect("accounts:account")
