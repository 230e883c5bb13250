from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and organisations")

    def ready(self) -> None:
        from accounts import security  # noqa: F401  (connects the sign-in receiver)
        from config import page_cache

        page_cache.connect_invalidation()
