from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class DesignationProgram(models.TextChoices):
    JSTARTUP = "jstartup", _("J-Startup")
    JSTARTUP_LOCAL = "jstartup_local", _("J-Startup regional")
    JSTARTUP_IMPACT = "jstartup_impact", _("J-Startup Impact")
    STARTUP_AWARD = "startup_award", _("Japan Startup Award")
    PRIZE_RD = "prize_rd", _("Prize-based R&D winner")
    JVA = "jva", _("Japan Venture Awards")
    FASTAR = "fastar", _("FASTAR alumni")
    SUBSIDY = "subsidy", _("Subsidy recipient")
    VC_REFERRAL = "vc_referral", _("VC referral")


class StartupStage(models.TextChoices):
    SEED = "seed", pgettext_lazy("startup stage", "Seed")
    EARLY = "early", pgettext_lazy("startup stage", "Early")
    MIDDLE = "middle", pgettext_lazy("startup stage", "Middle")
    LATER = "later", pgettext_lazy("startup stage", "Later")


class ClaimStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("claim status", "Pending")
    APPROVED = "approved", pgettext_lazy("claim status", "Approved")
    REJECTED = "rejected", pgettext_lazy("claim status", "Rejected")


class ImportStatus(models.TextChoices):
    PREVIEWED = "previewed", pgettext_lazy("import status", "Previewed")
    APPLIED = "applied", pgettext_lazy("import status", "Applied")
    DISCARDED = "discarded", pgettext_lazy("import status", "Discarded")
