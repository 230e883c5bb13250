import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from needs.enums import (
    OPEN_PROPOSAL_STATUSES,
    ConsultationStatus,
    NeedStatus,
    Pathway,
    ProposalStatus,
    RejectionReason,
    Visibility,
)
from needs.validators import validate_need_ref
from seeds.enums import ImportStatus
from seeds.models import normalise_for_search


def _attachment_path(instance, filename: str) -> str:
    # Stored under a random name: the original name is kept on the row, never trusted as a path.
    return f"attachments/{instance._meta.model_name}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    """An uploaded file, stored under a random name; served only through a view that checks its parent."""

    file = models.FileField(upload_to=_attachment_path)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.original_name


class Need(models.Model):
    ref = models.CharField(_("reference"), max_length=30, unique=True, validators=[validate_need_ref])
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("operational problem"), max_length=6000)
    desired_capabilities = models.TextField(_("desired capabilities"), max_length=4000, blank=True)
    tech_fields = models.ManyToManyField("seeds.TechField", verbose_name=_("technology fields"), blank=True)
    min_trl = models.PositiveSmallIntegerField(
        _("minimum TRL"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(9)]
    )
    owner_unit = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("owning unit"), on_delete=models.PROTECT, related_name="needs"
    )
    pathway = models.CharField(_("pathway"), max_length=30, choices=Pathway.choices)
    visibility = models.CharField(_("visibility"), max_length=12, choices=Visibility.choices, default=Visibility.PUBLIC)
    proposal_deadline = models.DateTimeField(_("proposal deadline"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=NeedStatus.choices, default=NeedStatus.DRAFT)
    # Criterion code → weight; empty means equal weights.
    criterion_weights = models.JSONField(_("criterion weights"), default=dict, blank=True)
    evaluators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("evaluators"), blank=True, related_name="needs_to_evaluate"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    search_text = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = _("need")
        verbose_name_plural = _("needs")
        ordering = ["-published_at", "-created_at"]
        indexes = [
            models.Index(fields=["status", "visibility"]),
            models.Index(fields=["proposal_deadline"]),
            # The needs board's order (Meta.ordering): its first page without sorting every need.
            models.Index(fields=["-published_at", "-created_at"], name="need_board_order_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.ref} {self.title}"

    def build_search_text(self) -> str:
        return normalise_for_search("\n".join([self.ref, self.title, self.description, self.desired_capabilities]))


class NeedRefCounter(models.Model):
    """The last number drawn for a year's generated references (N-<year>-<number>). Drawing updates the row,
    which keeps it locked until commit: two needs created at once cannot draw the same number."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class NeedTransition(models.Model):
    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=12, choices=NeedStatus.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=NeedStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    comment = models.TextField(_("comment"), max_length=2000, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.need_id}: {self.from_status} → {self.to_status}"


class NeedAttachment(Attachment):
    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="attachments")


class NeedQuestion(models.Model):
    """A startup's question on an open need; the answer is published to every viewer, without the asker."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="questions")
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    question = models.TextField(_("question"), max_length=2000)
    answer = models.TextField(_("answer"), max_length=4000, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    asked_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["asked_at"]

    def __str__(self) -> str:
        return self.question[:50]


class Proposal(models.Model):
    need = models.ForeignKey(Need, on_delete=models.PROTECT, related_name="proposals")
    startup = models.ForeignKey("seeds.Startup", on_delete=models.PROTECT, related_name="proposals")
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), max_length=4000)
    technical_approach = models.TextField(_("technical approach"), max_length=8000, blank=True)
    current_trl = models.PositiveSmallIntegerField(
        _("current TRL"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(9)]
    )
    schedule = models.TextField(_("expected schedule"), max_length=2000, blank=True)
    cost_min_yen = models.PositiveBigIntegerField(_("cost from (yen)"), null=True, blank=True)
    cost_max_yen = models.PositiveBigIntegerField(_("cost up to (yen)"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=14, choices=ProposalStatus.choices, default=ProposalStatus.DRAFT)
    rejection_reason = models.CharField(_("reason"), max_length=20, choices=RejectionReason.choices, blank=True)
    feedback = models.TextField(_("feedback to the startup"), max_length=4000, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["-submitted_at", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["need", "startup"],
                condition=Q(status__in=sorted(OPEN_PROPOSAL_STATUSES)),
                name="proposal_one_open_per_startup_and_need",
            )
        ]

    def __str__(self) -> str:
        return self.title


class ProposalTransition(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=14, choices=ProposalStatus.choices, blank=True)
    to_status = models.CharField(max_length=14, choices=ProposalStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    comment = models.TextField(_("comment"), max_length=4000, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.proposal_id}: {self.from_status} → {self.to_status}"


class ProposalAttachment(Attachment):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="attachments")


class Evaluation(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="evaluations")
    evaluator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="evaluations")
    scores = models.JSONField(_("scores"), default=dict)  # criterion code → 1..5
    comment = models.TextField(_("comment"), max_length=4000, blank=True)
    conflict_of_interest = models.BooleanField(_("conflict of interest declared"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["proposal", "evaluator"], name="evaluation_once_per_evaluator")]

    def __str__(self) -> str:
        return f"{self.evaluator_id} → {self.proposal_id}"


class ConsultationRequest(models.Model):
    """The new-entry consultation window (新規参入相談窓口): its five items, and its triage."""

    company_name = models.CharField(_("company name"), max_length=200)
    company_summary = models.TextField(_("company summary"), max_length=4000)
    inquiry = models.TextField(_("inquiry"), max_length=4000)
    technology = models.TextField(_("technology or product proposed"), max_length=4000)
    defense_record = models.TextField(_("defense transactions, or main customers and sales"), max_length=4000)
    contact_name = models.CharField(_("contact person"), max_length=150)
    contact_email = models.EmailField(_("contact e-mail"))
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    corporate_number = models.CharField(_("corporate number"), max_length=13, blank=True)
    language = models.CharField(max_length=5, default="ja")
    status = models.CharField(
        _("status"), max_length=10, choices=ConsultationStatus.choices, default=ConsultationStatus.NEW
    )
    answer = models.TextField(_("answer"), max_length=4000, blank=True)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    startup = models.ForeignKey("seeds.Startup", on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(_("received at"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("consultation request")
        verbose_name_plural = _("consultation requests")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.company_name


class NeedImport(models.Model):
    """An uploaded need list, kept from preview to confirmation (and after), like seeds.StartupImport."""

    filename = models.CharField(max_length=255)
    content = models.BinaryField()
    publish = models.BooleanField(_("publish the needs"), default=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=ImportStatus.choices, default=ImportStatus.PREVIEWED)
    summary = models.JSONField(default=dict)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.filename
