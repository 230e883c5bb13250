from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

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
    "Kind: name", of which the kind is kept."""
    from django.utils.safestring import SafeString

    if isinstance(lines, list):
        return [_kinds_only(line) for line in lines]
    return lines if isinstance(lines, SafeString) else lines.split(": ", 1)[0]


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ["code", "__str__"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
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
