"""Portal administrators' directory of organisations and users (editing happens in the Django admin)."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from accounts import selectors
from accounts.decorators import permission_required
from accounts.forms import OrganisationFilterForm, UserFilterForm
from accounts.models import Organisation

PAGE_SIZE = 25


@permission_required("accounts.view_directory")
def organisation_list(request):
    form = OrganisationFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    organisations = selectors.organisation_list(query=filters.get("q", ""), kind=filters.get("kind", ""))
    page = Paginator(organisations, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "accounts/organisation_list.html", {"form": form, "page": page})


@permission_required("accounts.view_directory")
def organisation_detail(request, pk: int):
    organisation = get_object_or_404(Organisation, pk=pk)
    members = selectors.organisation_members(organisation=organisation)
    return render(request, "accounts/organisation_detail.html", {"organisation": organisation, "members": members})


@permission_required("accounts.view_directory")
def user_list(request):
    form = UserFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    users = selectors.user_list(
        query=filters.get("q", ""), role=filters.get("role", ""), verified=filters.get("verified", "")
    )
    page = Paginator(users, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "accounts/user_list.html", {"form": form, "page": page})
