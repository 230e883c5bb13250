from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.forms import AccountAdminPasswordChangeForm
from accounts.models import Organisation, Role, User


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "kind", "unit_code", "corporate_number", "is_active"]
    list_filter = ["kind", "unit_code", "is_active"]
    search_fields = ["name", "name_en", "corporate_number"]


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
