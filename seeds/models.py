import unicodedata

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from seeds.enums import ClaimStatus, DesignationProgram, ImportStatus, StartupStage
from seeds.prefectures import PREFECTURE_CHOICES
from seeds.validators import validate_corporate_number


def normalise_for_search(text: str) -> str:
    """NFKC folds full-width/half-width forms; casefold makes English matching case-blind."""
    return unicodedata.normalize("NFKC", text).casefold()


class TechField(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_ja = models.CharField(_("name (Japanese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("technology field")
        verbose_name_plural = _("technology fields")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name_en if get_language() == "en" else self.name_ja


class Startup(models.Model):
    corporate_number = models.CharField(
        _("corporate number"), max_length=13, unique=True, validators=[validate_corporate_number]
    )
    name = models.CharField(_("name (Japanese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    description = models.TextField(_("description"), max_length=4000, blank=True)
    technologies = models.JSONField(_("technologies"), default=list, blank=True)
    tech_fields = models.ManyToManyField(TechField, verbose_name=_("technology fields"), blank=True)
    trl = models.PositiveSmallIntegerField(
        _("TRL"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(9)]
    )
    stage = models.CharField(_("stage"), max_length=10, choices=StartupStage.choices, blank=True)
    prefecture = models.CharField(_("prefecture"), max_length=10, choices=PREFECTURE_CHOICES, blank=True)
    founded_year = models.PositiveSmallIntegerField(_("founded (year)"), null=True, blank=True)
    employees = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    website = models.URLField(_("website"), max_length=300, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=150, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    defense_record = models.TextField(_("defense transactions or main customers"), max_length=2000, blank=True)
    # What support programmes ask (programs/eligibility.py); None is "unknown", and the startup is asked to say.
    is_sme = models.BooleanField(
        _("SME (中小企業)"),
        null=True,
        blank=True,
        help_text=_("A small or medium-sized enterprise under the SME Basic Act, and not a deemed large company."),
    )
    has_vc_investment = models.BooleanField(
        _("investment from a VC received"), null=True, blank=True, help_text=_("A venture capital fund holds shares.")
    )
    has_business_investment = models.BooleanField(
        _("investment from a business company received"),
        null=True,
        blank=True,
        help_text=_("An operating company (事業会社) holds shares, e.g. through its corporate venture capital."),
    )
    has_partnership_memorandum = models.BooleanField(
        _("business-partnership memorandum signed"),
        null=True,
        blank=True,
        help_text=_("A memorandum or agreement with a business company on joint research, procurement or sales."),
    )
    organisation = models.OneToOneField(
        "accounts.Organisation",
        verbose_name=_("claimed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="startup",
    )
    # Denormalised, normalised text of names, description, technologies and products, for keyword search.
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("startup")
        verbose_name_plural = _("startups")
        ordering = ["name"]
        # The registry list and the API page through startups by name: an index serves the first page without
        # sorting the whole registry (benchmarks/load.py).
        indexes = [models.Index(fields=["name"], name="startup_name_idx")]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if get_language() == "en" and self.name_en:
            return self.name_en
        return self.name

    def build_search_text(self, product_texts: list[str] | None = None) -> str:
        parts = [self.name, self.name_en, self.description, *self.technologies, *(product_texts or [])]
        return normalise_for_search("\n".join(part for part in parts if part))


class Product(models.Model):
    startup = models.ForeignKey(Startup, on_delete=models.CASCADE, related_name="products")
    name = models.CharField(_("product name"), max_length=200)
    description = models.TextField(_("description"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Designation(models.Model):
    """A programme's vouching for a startup: the provenance of its place in the registry."""

    startup = models.ForeignKey(Startup, on_delete=models.CASCADE, related_name="designations")
    program = models.CharField(_("programme"), max_length=20, choices=DesignationProgram.choices)
    cohort = models.CharField(_("year or cohort"), max_length=10)
    source_note = models.CharField(_("source"), max_length=300, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("added by"), on_delete=models.SET_NULL, null=True, blank=True
    )
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("designation")
        verbose_name_plural = _("designations")
        ordering = ["program", "cohort"]
        constraints = [
            models.UniqueConstraint(fields=["startup", "program", "cohort"], name="designation_unique_per_startup")
        ]

    def __str__(self) -> str:
        return f"{self.program}:{self.cohort}"

    @property
    def cohort_label(self) -> str:
        """The year or cohort as a reader says it: 2023 → "2023年", 7 → "第7期" (a bare "7" means nothing)."""
        from django.utils.translation import gettext

        value = unicodedata.normalize("NFKC", self.cohort).strip()
        if value.isdigit() and len(value) == 4:
            return gettext("year %(year)s") % {"year": value}
        if value.isdigit():
            return gettext("cohort %(number)s") % {"number": int(value)}
        return self.cohort

    @property
    def label(self) -> str:
        """Programme and year or cohort, e.g. "FASTAR修了企業 第7期"."""
        return f"{self.get_program_display()} {self.cohort_label}"


class CuratorNote(models.Model):
    startup = models.ForeignKey(Startup, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    body = models.TextField(_("note"), max_length=4000)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("curator note")
        verbose_name_plural = _("curator notes")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.body[:50]


class StartupMerge(models.Model):
    """Audit of a merge: the survivor, and a snapshot of the record that was folded into it."""

    survivor = models.ForeignKey(Startup, on_delete=models.SET_NULL, null=True, related_name="merges")
    merged_corporate_number = models.CharField(max_length=13)
    merged_name = models.CharField(max_length=200)
    merged_snapshot = models.JSONField(default=dict)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    merged_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-merged_at"]

    def __str__(self) -> str:
        return f"{self.merged_corporate_number} → {self.survivor_id}"


class StartupClaim(models.Model):
    startup = models.ForeignKey(Startup, on_delete=models.CASCADE, related_name="claims")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="claims")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    status = models.CharField(max_length=10, choices=ClaimStatus.choices, default=ClaimStatus.PENDING)
    message = models.TextField(_("message to the curators"), max_length=2000, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["startup", "organisation"],
                condition=models.Q(status="pending"),
                name="claim_one_pending_per_pair",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} → {self.startup_id} ({self.status})"


class StartupImport(models.Model):
    """An uploaded list, kept from preview to confirmation (and after), so nothing submitted is lost."""

    filename = models.CharField(max_length=255)
    content = models.BinaryField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=ImportStatus.choices, default=ImportStatus.PREVIEWED)
    summary = models.JSONField(default=dict)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.filename
