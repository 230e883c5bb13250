"""The curators' page on learning from use: how well the ranking placed what units later chose (feedback.py)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.decorators import permission_required
from accounts.models import Organisation
from matchmaking import feedback, triggers
from matchmaking.models import MatchJudgement
from matchmaking.scoring.matcher import MODEL_VERSION, RELEVANCE


@permission_required("matchmaking.view_overview")
def feedback_overview(request):
    version = request.GET.get("version", MODEL_VERSION)
    versions = sorted(set(MatchJudgement.objects.values_list("model_version", flat=True)) | {MODEL_VERSION})
    context = {
        "rows": feedback.feedback_report(model_version=version or None),
        "profiles": feedback.weight_profiles(),
        "components": RELEVANCE,
        "version": version,
        "versions": versions,
        "can_tune": request.user.has_perm("matchmaking.recompute"),
        "min_needs": feedback.MIN_NEEDS_TO_TUNE,
    }
    return render(request, "matchmaking/feedback.html", context)


@require_POST
@permission_required("matchmaking.recompute")
def feedback_tune(request):
    """Tune every unit that has judgements of the current model version (each on its own judgements only)."""
    units = Organisation.objects.filter(
        pk__in=MatchJudgement.objects.filter(model_version=MODEL_VERSION).values("unit_id")
    ).order_by("name")
    tuned = [p for unit in units if (p := feedback.weight_profile_tune(unit=unit, actor=request.user)) is not None]
    if tuned:
        triggers.registry_changed()  # the stored scores of the tuned units' needs follow their new weights
    messages.success(
        request,
        _("Weights tuned for %(tuned)d of %(units)d units; %(active)d profiles are in use.")
        % {"tuned": len(tuned), "units": len(units), "active": sum(p.active for p in tuned)},
    )
    return redirect("matchmaking:feedback")
