from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class MatchJudgement(models.Model):
    """What a unit did with a ranked startup, read as a relevance judgement of the matcher's ranking: the rank and
    score the pair had when it happened are kept, so that a report says how well the ranking served the choice."""

    class Kind(models.TextChoices):
        SHORTLISTED = "shortlisted", pgettext_lazy("match judgement", "Shortlisted")
        PROPOSED = "proposed", pgettext_lazy("match judgement", "Proposal submitted")
        SELECTED = "selected", pgettext_lazy("match judgement", "Selected")
        DECLINED = "declined", pgettext_lazy("match judgement", "No thanks")

    need = models.ForeignKey("needs.Need", on_delete=models.CASCADE, related_name="match_judgements")
    startup = models.ForeignKey("seeds.Startup", on_delete=models.CASCADE, related_name="match_judgements")
    # The need's owning unit when it happened: reports and tuning stay within one unit.
    unit = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, null=True, related_name="+")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    gain = models.PositiveSmallIntegerField(_("gain"))
    rank = models.PositiveIntegerField(_("rank then"), null=True, blank=True)  # None: not among the stored matches
    score = models.FloatField(_("score then"), null=True, blank=True)
    model_version = models.CharField(_("model version"), max_length=40)
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("match judgement")
        verbose_name_plural = _("match judgements")
        ordering = ["recorded_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["need", "startup", "kind"], name="match_judgement_unique_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.need_id} × {self.startup_id}: {self.kind}"


class WeightProfile(models.Model):
    """Component weights tuned on one unit's judgements for one model version; used only for that unit's needs."""

    unit = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    model_version = models.CharField(_("model version"), max_length=40)
    weights = models.JSONField(_("weights"), default=dict)  # component → weight
    needs_used = models.PositiveIntegerField(_("needs used"), default=0)
    ndcg_before = models.FloatField(_("nDCG@10 with the shipped weights"), null=True)
    ndcg_after = models.FloatField(_("nDCG@10 with these weights, each need held out"), null=True)
    active = models.BooleanField(_("in use"), default=False)  # only when the held-out figure is better
    tuned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    tuned_at = models.DateTimeField(_("tuned at"), default=timezone.now)

    class Meta:
        verbose_name = _("weight profile")
        verbose_name_plural = _("weight profiles")
        constraints = [models.UniqueConstraint(fields=["unit", "model_version"], name="weight_profile_unique")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.model_version}"
