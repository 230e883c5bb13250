from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps  # the module: its AdminConfig must not be a candidate here
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and organisations")

    def ready(self) -> None:
        from accounts import security  # noqa: F401  (connects the sign-in receiver)
        from config import page_cache

        page_cache.connect_invalidation()


class PortalAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with accounts.admin_site.PortalAdminSite as `admin.site` (named in INSTALLED_APPS in
    its place): staff only after two-step verification."""

    default = False  # "accounts" in INSTALLED_APPS still means AccountsConfig
    default_site = "accounts.admin_site.PortalAdminSite"
