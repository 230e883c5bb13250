"""Merging two registry entries of one company: pick them, compare side by side, choose the survivor, confirm."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.decorators import permission_required
from seeds import selectors, services
from seeds.forms import MergeConfirmForm, MergeSelectForm
from seeds.views.base import add_service_errors


@permission_required("seeds.manage_registry")
def merge(request):
    """GET with two numbers: the confirmation step (nothing changes yet); POST: the merge itself."""
    if request.method == "POST":
        form = MergeConfirmForm(request.POST)
        if form.is_valid():
            survivor, merged = form.survivor_and_merged()
            try:
                services.startup_merge(survivor=survivor, merged=merged, actor=request.user)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("%(merged)s was merged into %(survivor)s.")
                    % {"merged": merged.corporate_number, "survivor": survivor.corporate_number},
                )
                return redirect("seeds:startup_detail", pk=survivor.pk)
        if len(form.startups) == 2:
            return _confirmation(request, form)
        select_form = MergeSelectForm(request.POST)
        select_form.is_valid()
        return render(request, "seeds/merge_select.html", {"form": select_form})
    # A link from a detail page brings only `first`, to prefill the form rather than to check it.
    data = request.GET if "second" in request.GET else None
    form = MergeSelectForm(data, initial={"first": request.GET.get("first", "")})
    if form.is_bound and form.is_valid():
        initial = {"first": form.cleaned_data["first"], "second": form.cleaned_data["second"]}
        return _confirmation(request, MergeConfirmForm(initial=initial), startups=form.startups)
    return render(request, "seeds/merge_select.html", {"form": form})


def _confirmation(request, form: MergeConfirmForm, startups=None):
    startups = [selectors.startup_detail(pk=startup.pk) for startup in startups or form.startups]
    return render(request, "seeds/merge_confirm.html", {"form": form, "startups": startups})
