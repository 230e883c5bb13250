from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class MatchScore(models.Model):
    """A need × startup score with its components and reasons. Keyed by the pair, so a re-run overwrites."""

    # Scores are derived data, rewritten ~500,000 rows at a time by a full recompute: without database
    # constraints the commit does not check and key-share-lock a need and a startup per row (≈ 10 s). Deleting
    # a need or a startup still deletes its scores (Django's CASCADE), and the recompute drops any orphan.
    need = models.ForeignKey("needs.Need", on_delete=models.CASCADE, related_name="match_scores", db_constraint=False)
    startup = models.ForeignKey(
        "seeds.Startup", on_delete=models.CASCADE, related_name="match_scores", db_constraint=False
    )
    score = models.FloatField(_("score"))
    components = models.JSONField(_("components"), default=dict)
    reasons = models.JSONField(_("reasons"), default=list)  # structured: [{"code": …, "params": {…}}]
    pathway_hint = models.CharField(_("suggested pathway"), max_length=30, blank=True)
    pathway_reason = models.CharField(max_length=40, blank=True)
    model_version = models.CharField(_("model version"), max_length=40)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("match score")
        verbose_name_plural = _("match scores")
        constraints = [models.UniqueConstraint(fields=["need", "startup"], name="match_score_unique_pair")]
        # A need's rows (≤ K + the startups it entered) are found by the unique (need, startup) index and sorted
        # in memory; a third index would only slow the ~500,000-row writes of a full recompute.
        indexes = [
            models.Index(fields=["startup", "-score"], name="match_startup_score"),
        ]

    def __str__(self) -> str:
        return f"{self.need_id} × {self.startup_id}: {self.score:.3f}"


class Shortlist(models.Model):
    need = models.ForeignKey("needs.Need", on_delete=models.CASCADE, related_name="shortlist")
    startup = models.ForeignKey("seeds.Startup", on_delete=models.CASCADE, related_name="shortlisted_for")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("shortlist entry")
        verbose_name_plural = _("shortlist entries")
        ordering = ["added_at"]
        constraints = [models.UniqueConstraint(fields=["need", "startup"], name="shortlist_unique_pair")]

    def __str__(self) -> str:
        return f"{self.need_id} ← {self.startup_id}"


class MatchRun(models.Model):
    """A full recompute, split into chunks that any worker may take; progress is chunks done / total."""

    class Status(models.TextChoices):
        RUNNING = "running", pgettext_lazy("match run", "Running")
        DONE = "done", pgettext_lazy("match run", "Done")
        FAILED = "failed", pgettext_lazy("match run", "Failed")

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    model_version = models.CharField(max_length=40)
    total_chunks = models.PositiveIntegerField(default=0)
    done_chunks = models.PositiveIntegerField(default=0)
    pairs_scored = models.PositiveBigIntegerField(default=0)
    # The chunks counted so far (first need id of each): a chunk delivered twice (its worker was killed after
    # scoring) is counted once.
    done_keys = models.JSONField(default=list, blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} {self.status} {self.done_chunks}/{self.total_chunks}"

    @property
    def progress(self) -> float:
        return self.done_chunks / self.total_chunks if self.total_chunks else 0.0
