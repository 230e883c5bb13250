from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Pathway(models.TextChoices):
    EARLY_EQUIPMENT = "early_equipment", _("Early-equipment scheme")
    TECH_PROPOSAL = "tech_proposal", _("Startup technology proposal evaluation")
    BRIDGING_RESEARCH = "bridging_research", _("Bridging research")
    BREAKTHROUGH_RESEARCH = "breakthrough_research", _("Breakthrough research")
    INDUSTRY_DAY = "industry_day", _("Industry Day")


class Visibility(models.TextChoices):
    PUBLIC = "public", pgettext_lazy("visibility", "Public")
    REGISTERED = "registered", pgettext_lazy("visibility", "Registered users")
    GOVERNMENT = "government", pgettext_lazy("visibility", "Government users only")


class NeedStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("need status", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("need status", "Under review")
    PUBLISHED = "published", pgettext_lazy("need status", "Published")
    CLOSED = "closed", pgettext_lazy("need status", "Closed")
    WITHDRAWN = "withdrawn", pgettext_lazy("need status", "Withdrawn")


class ProposalStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("proposal status", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("proposal status", "Submitted")
    UNDER_REVIEW = "under_review", pgettext_lazy("proposal status", "Under review")
    SHORTLISTED = "shortlisted", pgettext_lazy("proposal status", "Shortlisted")
    PITCH = "pitch", pgettext_lazy("proposal status", "Pitch")
    SELECTED = "selected", pgettext_lazy("proposal status", "Selected")
    CONTRACTED = "contracted", pgettext_lazy("proposal status", "Contracted")
    REJECTED = "rejected", pgettext_lazy("proposal status", "Not selected")
    WITHDRAWN = "withdrawn", pgettext_lazy("proposal status", "Withdrawn")


OPEN_PROPOSAL_STATUSES = frozenset(
    {
        ProposalStatus.DRAFT,
        ProposalStatus.SUBMITTED,
        ProposalStatus.UNDER_REVIEW,
        ProposalStatus.SHORTLISTED,
        ProposalStatus.PITCH,
        ProposalStatus.SELECTED,
    }
)
PUBLISHED_RESULT_STATUSES = frozenset({ProposalStatus.SELECTED, ProposalStatus.CONTRACTED})


class RejectionReason(models.TextChoices):
    OUT_OF_SCOPE = "out_of_scope", _("Outside the need's scope")
    MATURITY = "maturity", _("Technology not mature enough")
    COST = "cost", _("Cost or schedule not realistic")
    CAPABILITY = "capability", _("Company capability insufficient")
    OTHER_SELECTED = "other_selected", _("Another proposal was selected")
    OTHER = "other", _("Other (see feedback)")


class Criterion(models.TextChoices):
    TECHNICAL_MERIT = "technical_merit", _("Technical merit")
    OPERATIONAL_IMPACT = "operational_impact", _("Operational impact")
    MATURITY = "maturity", _("Maturity")
    COST_SCHEDULE = "cost_schedule", _("Cost and schedule realism")
    COMPANY_CAPABILITY = "company_capability", _("Company capability")


class ConsultationStatus(models.TextChoices):
    NEW = "new", pgettext_lazy("consultation status", "New")
    ANSWERED = "answered", pgettext_lazy("consultation status", "Answered")
    CLOSED = "closed", pgettext_lazy("consultation status", "Closed")
    CONVERTED = "converted", pgettext_lazy("consultation status", "Registered as a startup")
