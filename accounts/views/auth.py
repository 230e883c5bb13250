"""Sign-in, registration, e-mail verification, language switch."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from accounts import services
from accounts.forms import (
    AccountPasswordChangeForm,
    AccountPasswordResetForm,
    AccountSetPasswordForm,
    ResendVerificationForm,
    SignInForm,
    StartupRegistrationForm,
)
from accounts.throttles import rate_limited


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "accounts/sign_in.html"
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    pass


@rate_limited("registrations")
def register(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = StartupRegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # The same answer whether the address or the company was new or not (the service tells their owner).
        services.user_register_startup(
            organisation_name=form.cleaned_data["organisation_name"],
            corporate_number=form.cleaned_data["corporate_number"],
            full_name=form.cleaned_data["full_name"],
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password1"],
            language=get_language(),
        )
        return render(request, "accounts/register_done.html", {"email": form.cleaned_data["email"]})
    return render(request, "accounts/register.html", {"form": form})


def verify_email(request, token: str):
    try:
        user = services.email_verify(token=token)
    except ValidationError as error:
        return render(
            request,
            "accounts/verify_failed.html",
            {"reason": error.messages[0], "form": ResendVerificationForm()},
            status=400,
        )
    messages.success(request, _("Your e-mail address is verified. You can sign in now."))
    if request.user.is_authenticated and request.user.pk == user.pk:
        return redirect("home")
    return redirect("accounts:login")


@rate_limited("verification_links")
def resend_verification(request):
    form = ResendVerificationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.email_verification_request(email=form.cleaned_data["email"])
        messages.info(
            request, _("If an unverified account uses this address, a new link is on its way. It is valid for 3 days.")
        )
        return redirect("accounts:login")
    return render(request, "accounts/resend_verification.html", {"form": form})


@require_POST
def switch_language(request):
    """Django's set_language, plus remembering the choice on the account (e-mails go out in it)."""
    response = set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated:
        services.user_set_language(user=request.user, language=language)
    return response


class _SaysTokensRevoked:
    """After a password form that revoked API tokens (accounts/forms.py), the next page says so."""

    def form_valid(self, form):
        response = super().form_valid(form)
        if form.tokens_revoked:
            messages.warning(
                self.request,
                _("Your API tokens were revoked with the old password. Issue a new one on your account page."),
            )
        return response


class PasswordChangeView(_SaysTokensRevoked, auth_views.PasswordChangeView):
    form_class = AccountPasswordChangeForm
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password_change_done")


class PasswordResetConfirmView(_SaysTokensRevoked, auth_views.PasswordResetConfirmView):
    form_class = AccountSetPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


password_change = PasswordChangeView.as_view()
password_change_done = auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_change_done.html")
password_reset = rate_limited("password_resets")(
    auth_views.PasswordResetView.as_view(
        template_name="accounts/password_reset.html",
        form_class=AccountPasswordResetForm,
        email_template_name="accounts/email/password_reset.txt",
        subject_template_name="accounts/email/password_reset_subject.txt",
        success_url=reverse_lazy("accounts:password_reset_done"),
    )
)
password_reset_done = auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html")
password_reset_confirm = PasswordResetConfirmView.as_view()
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"
)
