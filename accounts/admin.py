from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import Count
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import TokenProxy

from accounts import services
from accounts.forms import AccountAdminPasswordChangeForm
from accounts.models import Organisation, Role, User


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "kind", "unit_code", "corporate_number", "is_active"]
    list_filter = ["kind", "unit_code", "is_active"]
    search_fields = ["name", "name_en", "corporate_number"]

    def get_deleted_objects(self, objs, request):
        """What goes with an organisation, by kind alone where the admin does not manage the kind: the titles of
        its needs and of its startup's proposals follow the portal's visibility rules (DESIGN.md §3)."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        return _kinds_only(deleted), counts, perms_needed, _kinds_only(protected)


def _kinds_only(lines):
    """The admin's nested list of related objects: those it manages are links (safe HTML), the others plain text
    "Kind: name", of which the kind is kept (a need's or proposal's title, an API token's key, never shown)."""
    if isinstance(lines, list):
        return [_kinds_only(line) for line in lines]
    return lines if isinstance(lines, SafeString) else lines.split(": ", 1)[0]


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ["code", "__str__"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    change_password_form = AccountAdminPasswordChangeForm  # revokes the user's API tokens too
    ordering = ["email"]
    list_display = ["email", "full_name", "organisation", "email_verified_at", "is_staff", "is_active"]
    list_filter = ["roles", "organisation__kind", "is_staff", "is_active"]
    search_fields = ["email", "full_name", "organisation__name"]
    filter_horizontal = ["roles", "groups", "user_permissions"]
    autocomplete_fields = ["organisation"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Profile"), {"fields": ("full_name", "organisation", "roles", "preferred_language", "email_verified_at")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "organisation", "password1", "password2")}),)
    actions = ["revoke_api_tokens"]

    @admin.action(description=_("Revoke the API tokens of the selected users"))
    def revoke_api_tokens(self, request, queryset) -> None:
        revoked = services.user_tokens_revoke(users=queryset)
        message = ngettext("%(count)d API token revoked.", "%(count)d API tokens revoked.", revoked)
        self.message_user(request, message % {"count": revoked}, messages.SUCCESS)

    def get_deleted_objects(self, objs, request):
        """What goes with a user, by kind where the admin does not manage the kind: an API token's name is its key,
        and the titles of the user's needs and proposals follow the portal's visibility rules."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        return _kinds_only(deleted), counts, perms_needed, _kinds_only(protected)


# --- Credentials --------------------------------------------------------------------------------------
# DRF's token admin lists every key, django-otp's device admins show TOTP keys, QR codes and recovery codes.
# They go; devices come back read-only without any secret, so that an administrator can remove a lost phone.
for model in (TokenProxy, TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


class _CredentialAdmin(admin.ModelAdmin):
    list_select_related = ["user"]
    search_fields = ["user__email"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(TOTPDevice)
class AuthenticatorAdmin(_CredentialAdmin):
    list_display = ["user", "name", "confirmed", "created_at", "last_used_at"]
    list_filter = ["confirmed"]
    fields = list_display


@admin.register(StaticDevice)
class RecoveryCodesAdmin(_CredentialAdmin):
    list_display = ["user", "name", "codes_left", "created_at", "last_used_at"]
    fields = list_display
    readonly_fields = ["codes_left"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(codes_left_count=Count("token_set"))  # not a query per row

    @admin.display(description=_("recovery codes left"), ordering="codes_left_count")
    def codes_left(self, device: StaticDevice) -> int:
        return device.codes_left_count
