from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchmakingConfig(AppConfig):
    name = "matchmaking"
    verbose_name = _("Matchmaking")

    def ready(self) -> None:
        from matchmaking import feedback  # noqa: F401 - connects the judgement receivers (shortlists, proposals …)
