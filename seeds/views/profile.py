"""Editing a startup's profile (curators: every field; its own members: the public profile), and the
startup member's own company page with its claim."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.decorators import permission_required
from seeds import selectors, services
from seeds.forms import ClaimForm, StartupCuratorForm, StartupProfileForm
from seeds.views.base import add_service_errors, fetch_startup, profile_context


@permission_required("seeds.edit_startup_profile", fetch=fetch_startup)
def startup_edit(request, pk: int, obj):
    as_curator = request.user.has_perm("seeds.manage_registry")
    form_class = StartupCuratorForm if as_curator else StartupProfileForm
    title = obj.display_name  # before the form writes the submitted values onto the instance
    form = form_class(request.POST or None, instance=obj)
    if request.method == "POST" and form.is_valid():
        tech_fields = list(form.cleaned_data["tech_fields"]) if as_curator else None
        try:
            services.startup_update(
                startup=obj, data=form.cleaned_data, tech_fields=tech_fields, actor=request.user, as_curator=as_curator
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The profile was saved."))
            return redirect("seeds:startup_detail", pk=obj.pk)
    context = {"form": form, "startup": obj, "title": title, "as_curator": as_curator}
    return render(request, "seeds/startup_form.html", context)


@permission_required("seeds.claim_startup")
def my_company(request):
    """The company the member's organisation manages; until a curator approves a claim, the claim form."""
    organisation_id = request.user.organisation_id
    startup = selectors.startup_managed_by(organisation_id=organisation_id)
    if startup is not None:
        return render(request, "seeds/my_company.html", profile_context(request, startup))
    form = ClaimForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.startup_claim_request(
                corporate_number=form.cleaned_data["corporate_number"],
                message=form.cleaned_data["message"],
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your claim was sent. A curator will check it and decide."))
            return redirect("seeds:my_company")
    claims = selectors.startup_claims_of(organisation_id=organisation_id)
    return render(request, "seeds/my_company.html", {"form": form, "claims": claims})
