from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ProgramCategory(models.TextChoices):
    PROCUREMENT = "procurement", pgettext_lazy("programme category", "Procurement")
    RD_SUBSIDY = "rd_subsidy", pgettext_lazy("programme category", "R&D support")
    INVESTMENT = "investment", pgettext_lazy("programme category", "Investment")
    TAX = "tax", pgettext_lazy("programme category", "Tax")
    OVERSEAS = "overseas", pgettext_lazy("programme category", "Overseas expansion")
    ACCELERATION = "acceleration", pgettext_lazy("programme category", "Acceleration")
    AWARD = "award", pgettext_lazy("programme category", "Award")


class RuleKind(models.TextChoices):
    """The kinds of eligibility rule a programme may carry (programs/eligibility.py evaluates them)."""

    STAGE_IN = "stage_in", _("Stage")
    SME = "sme", _("SME")
    VC_INVESTMENT = "vc_investment", _("VC investment")
    BUSINESS_INVESTMENT = "business_investment", _("Investment by a business company")
    INVESTMENT_ANY = "investment_any", _("Investment by a VC or a business company")
    PARTNERSHIP_MEMORANDUM = "partnership_memorandum", _("Business-partnership memorandum")
    DESIGNATION_ANY = "designation_any", _("Designation")
    NOT_DESIGNATED = "not_designated", _("Not yet designated")
    FOUNDED_WITHIN_YEARS = "founded_within_years", _("Founding age")
    TRL_RANGE = "trl_range", _("TRL range")


class RuleStatus(models.TextChoices):
    MET = "met", pgettext_lazy("eligibility rule", "Met")
    UNMET = "unmet", pgettext_lazy("eligibility rule", "Not met")
    UNKNOWN = "unknown", pgettext_lazy("eligibility rule", "Unknown")


class EligibilityStatus(models.TextChoices):
    ELIGIBLE = "eligible", pgettext_lazy("eligibility", "Eligible")
    INCOMPLETE = "incomplete", pgettext_lazy("eligibility", "May be eligible: profile incomplete")
    INELIGIBLE = "ineligible", pgettext_lazy("eligibility", "Not eligible")
