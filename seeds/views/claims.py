"""Curators decide the claims startup members make on registry entries."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.decorators import permission_required
from seeds import selectors, services
from seeds.forms import ClaimDecisionForm
from seeds.models import StartupClaim


def fetch_claim(request, pk: int, **kwargs) -> StartupClaim:
    return get_object_or_404(StartupClaim.objects.select_related("startup", "organisation"), pk=pk)


@permission_required("seeds.manage_registry")
def claim_list(request):
    return render(request, "seeds/claim_list.html", {"claims": selectors.pending_claims()})


@permission_required("seeds.manage_registry", fetch=fetch_claim)
@require_POST
def claim_decide(request, pk: int, obj):
    form = ClaimDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to approve or to reject the claim."))
        return redirect("seeds:claim_list")
    approve = form.cleaned_data["decision"] == "approve"
    try:
        services.startup_claim_decide(claim=obj, approve=approve, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        names = {"organisation": obj.organisation, "startup": obj.startup}
        if approve:
            messages.success(request, _("%(organisation)s now manages %(startup)s.") % names)
        else:
            messages.success(request, _("The claim of %(organisation)s on %(startup)s was rejected.") % names)
    return redirect("seeds:claim_list")
