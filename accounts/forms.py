from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import (
    AdminPasswordChangeForm,
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)
from django.utils.translation import gettext_lazy as _

from accounts import services
from accounts.enums import OrganisationKind, RoleCode
from accounts.identity import email_normalise
from core.params import BoundedDateField
from seeds.validators import validate_corporate_number


class AccountEmailField(forms.EmailField):
    """An e-mail address that names an account: normalised before it is validated (full-width input passes)."""

    def to_python(self, value):
        return email_normalise(super().to_python(value))


class SignInForm(AuthenticationForm):
    username = AccountEmailField(
        label=_("E-mail address"), widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )
    error_messages = {
        "invalid_login": _("The e-mail address or password is wrong. The password is case-sensitive."),
        "inactive": _("This account is disabled. Contact the portal administrators."),
        "unverified": _(
            "Your e-mail address is not verified yet. Open the link we sent you, or request a new one below."
        ),
    }

    def confirm_login_allowed(self, user) -> None:
        super().confirm_login_allowed(user)
        if user.email_verified_at is None:
            raise forms.ValidationError(self.error_messages["unverified"], code="unverified")


class StartupRegistrationForm(forms.Form):
    organisation_name = forms.CharField(
        label=_("Company name"),
        max_length=200,
        help_text=_("As registered, e.g. 株式会社サンプル"),
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    corporate_number = forms.CharField(
        label=_("Corporate number"),
        max_length=13,
        min_length=13,
        validators=[validate_corporate_number],
        help_text=_("The 13-digit number assigned by the National Tax Agency (法人番号)."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    full_name = forms.CharField(
        label=_("Your name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    email = AccountEmailField(label=_("E-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password (again)"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean_corporate_number(self) -> str:
        return self.cleaned_data["corporate_number"].strip()

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords differ."))
        elif password1:
            try:
                password_validation.validate_password(password1)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class ResendVerificationForm(forms.Form):
    email = AccountEmailField(label=_("E-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))


class AccountPasswordResetForm(PasswordResetForm):
    email = AccountEmailField(
        label=_("E-mail address"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )


class _PasswordSetByService:
    """Every form that sets a password (change, reset, the admin's) saves through user_password_set, which also
    revokes the API tokens; `tokens_revoked` then says whether there were any. Always saves (commit)."""

    tokens_revoked = False

    def set_password_and_save(self, user, password_field_name="password1", commit=True):  # noqa: S107 - a field name
        usable = self.cleaned_data.get("set_usable_password", True)  # the admin's "password-based sign-in" choice
        password = self.cleaned_data[password_field_name] if usable else None
        self.tokens_revoked = services.user_password_set(user=user, password=password)
        return user


class AccountPasswordChangeForm(_PasswordSetByService, PasswordChangeForm):
    pass


class AccountSetPasswordForm(_PasswordSetByService, SetPasswordForm):
    pass


class AccountAdminPasswordChangeForm(_PasswordSetByService, AdminPasswordChangeForm):
    pass


class OrganisationFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All kinds")), *OrganisationKind.choices])


class UserFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    role = forms.ChoiceField(label=_("Role"), required=False, choices=[("", _("All roles")), *RoleCode.choices])
    verified = forms.ChoiceField(
        label=_("E-mail verified"),
        required=False,
        choices=[("", _("All")), ("yes", _("Verified")), ("no", _("Not verified"))],
    )


class OneTimeCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=16,
        help_text=_("The 6-digit code your authenticator app shows now, or one of your recovery codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


def _audited_types() -> list[tuple[str, str]]:
    """Every model of the portal's apps, by its "app_label.model" key (meetings join when their app is in)."""
    from django.apps import apps

    portal = {"accounts", "seeds", "needs", "programs", "matchmaking"}
    models = [model for model in apps.get_models() if model._meta.app_label in portal]
    return sorted(
        ((f"{m._meta.app_label}.{m._meta.model_name}", str(m._meta.verbose_name)) for m in models),
        key=lambda choice: choice[1],
    )


class AuditFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    actor = forms.CharField(label=_("Actor (e-mail)"), required=False)
    action = forms.ChoiceField(label=_("Action"), required=False)
    object_type = forms.ChoiceField(label=_("Object type"), required=False)
    date_from = BoundedDateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = BoundedDateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        from accounts.models import AuditEntry

        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("All actions")), *AuditEntry.Action.choices]
        self.fields["object_type"].choices = [("", _("All types")), *_audited_types()]
