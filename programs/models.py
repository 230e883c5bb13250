"""The support-programme catalogue. Amounts are whole yen; eligibility rules and application windows are data
(lists of dicts checked by programs/validators.py), so that curators change them without a migration."""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from programs.enums import ProgramCategory


class Localised:
    """`program.name` reads `name_en` in English (when filled) and `name_ja` otherwise."""

    def __set_name__(self, owner, name: str) -> None:
        self.stem = name

    def __get__(self, obj, objtype=None):
        if obj is None:
            return self
        english = getattr(obj, f"{self.stem}_en")
        return english if get_language() == "en" and english else getattr(obj, f"{self.stem}_ja")


class SupportProgram(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tiers",
        help_text=_("For a tier or frame of a larger programme, e.g. the seed tier of Deep-Tech Startup Support."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    name_ja = models.CharField(_("name (Japanese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    description_ja = models.TextField(_("description (Japanese)"), max_length=6000, blank=True)
    description_en = models.TextField(_("description (English)"), max_length=6000, blank=True)
    operator_ja = models.CharField(_("operator (Japanese)"), max_length=200)
    operator_en = models.CharField(_("operator (English)"), max_length=200)
    category = models.CharField(_("category"), max_length=20, choices=ProgramCategory.choices)
    target_stages = models.JSONField(_("target stages"), default=list, blank=True)
    pathways = models.JSONField(_("pathways"), default=list, blank=True)
    max_amount_yen = models.PositiveBigIntegerField(_("maximum amount (yen)"), null=True, blank=True)
    standard_amount_yen = models.PositiveBigIntegerField(
        _("normal cap (yen)"), null=True, blank=True, help_text=_("The cap that applies in principle (原則).")
    )
    annual_amount_yen = models.PositiveBigIntegerField(_("cap per year (yen)"), null=True, blank=True)
    amount_note_ja = models.CharField(_("amount conditions (Japanese)"), max_length=500, blank=True)
    amount_note_en = models.CharField(_("amount conditions (English)"), max_length=500, blank=True)
    rate_text = models.CharField(
        _("subsidy or deduction rate"), max_length=20, blank=True, help_text=_("As published, e.g. 2/3 or 25%.")
    )
    rate = models.DecimalField(_("rate (fraction)"), max_digits=5, decimal_places=4, null=True, blank=True)
    rate_note_ja = models.CharField(_("rate conditions (Japanese)"), max_length=500, blank=True)
    rate_note_en = models.CharField(_("rate conditions (English)"), max_length=500, blank=True)
    duration_months = models.PositiveSmallIntegerField(_("maximum duration (months)"), null=True, blank=True)
    budget_yen = models.PositiveBigIntegerField(_("budget (yen)"), null=True, blank=True)
    budget_note_ja = models.CharField(_("budget note (Japanese)"), max_length=300, blank=True)
    budget_note_en = models.CharField(_("budget note (English)"), max_length=300, blank=True)
    rhythm_ja = models.CharField(_("application rhythm (Japanese)"), max_length=500, blank=True)
    rhythm_en = models.CharField(_("application rhythm (English)"), max_length=500, blank=True)
    always_open = models.BooleanField(_("accepts applications at any time"), default=False)
    windows = models.JSONField(_("application windows"), default=list, blank=True)
    contact_office_ja = models.CharField(_("contact office (Japanese)"), max_length=300, blank=True)
    contact_office_en = models.CharField(_("contact office (English)"), max_length=300, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    url = models.URLField(_("official page"), max_length=300, blank=True)
    rules = models.JSONField(_("eligibility rules"), default=list, blank=True)
    is_active = models.BooleanField(_("shown in the catalogue"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    # The text fields in the reader's language.
    name = Localised()
    description = Localised()
    operator = Localised()
    amount_note = Localised()
    rate_note = Localised()
    budget_note = Localised()
    rhythm = Localised()
    contact_office = Localised()

    class Meta:
        verbose_name = _("support programme")
        verbose_name_plural = _("support programmes")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name
