"""The match pages: a need's ranked startups (with the shortlist), the needs matched to a startup (scores for
government users, "recommended needs" without scores for the startup's own members), and the curators'
overview with the latest full recompute."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.decorators import permission_required
from config.page_cache import cached_page, cached_record
from matchmaking import selectors, services
from matchmaking.forms import MatchFilterForm, ShortlistForm
from matchmaking.models import MatchScore
from needs.models import Need
from seeds import selectors as seed_selectors
from seeds.models import Startup

PAGE_SIZE = 25


def fetch_need(request, pk: int, **kwargs) -> Need:
    """The need if the viewer may see it; otherwise 404, so that a hidden need's existence is not revealed."""
    # Read on every view of the busiest page: through the cache, renewed whenever a need changes.
    need = cached_record("needs", f"need:{pk}", Need.objects.select_related("owner_unit").filter(pk=pk).first)
    if need is None or not request.user.has_perm("needs.view_need", need):
        raise Http404
    return need


def fetch_startup(request, pk: int, **kwargs) -> Startup:
    """The startup if the viewer may see its matches (government users, its own members); otherwise 404."""
    startup = Startup.objects.filter(pk=pk).first()
    if startup is None or not request.user.has_perm("matchmaking.view_startup_matches", startup):
        raise Http404
    return startup


def _back_to(request, default: str) -> str:
    target = request.POST.get("next", "")
    if target.startswith(default) and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, request.is_secure()
    ):
        return target
    return default


# --- A need's matches ------------------------------------------------------------------------------------


@permission_required("matchmaking.view_need_matches", fetch=fetch_need)
@cached_page("needs", "registry", "matches")
def need_matches(request, pk: int, obj: Need):
    need, user = obj, request.user
    form = MatchFilterForm(request.GET)
    matches = selectors.need_matches(need=need, filters=form.to_filters())
    page = Paginator(matches, PAGE_SIZE).get_page(request.GET.get("page"))
    shortlist = list(selectors.need_shortlist(need=need))
    context = {
        "need": need,
        "form": form,
        "page": page,
        "rows": selectors.match_rows(page.object_list),
        "scored": page.paginator.count > 0 or MatchScore.objects.filter(need=need).exists(),
        "shortlist": shortlist,
        "shortlisted": {entry.startup_id for entry in shortlist},
        "can_shortlist": user.has_perm("matchmaking.shortlist", need),
        "can_score_now": user.has_perm("matchmaking.recompute"),
    }
    return render(request, "matchmaking/need_matches.html", context)


@require_POST
@permission_required("matchmaking.shortlist", fetch=fetch_need)
def shortlist_add(request, pk: int, obj: Need):
    form = ShortlistForm(request.POST)
    if form.is_valid():
        startup = form.cleaned_data["startup"]
        _entry, added = services.shortlist_add(
            need=obj, startup=startup, actor=request.user, note=form.cleaned_data["note"]
        )
        if not added:
            text = _("%(startup)s is already on the shortlist.")
        else:
            text = _("%(startup)s was added to the shortlist.")
        messages.success(request, text % {"startup": startup.display_name})
    else:
        messages.error(request, _("The startup could not be shortlisted."))
    return redirect(_back_to(request, reverse("matchmaking:need_matches", args=[obj.pk])))


@require_POST
@permission_required("matchmaking.shortlist", fetch=fetch_need)
def shortlist_remove(request, pk: int, startup_pk: int, obj: Need):
    startup = get_object_or_404(Startup, pk=startup_pk)
    services.shortlist_remove(need=obj, startup=startup, actor=request.user)
    messages.success(request, _("%(startup)s was removed from the shortlist.") % {"startup": startup.display_name})
    return redirect(_back_to(request, reverse("matchmaking:need_matches", args=[obj.pk])))


@require_POST
@permission_required("matchmaking.view_need_matches", fetch=fetch_need)
def need_score_now(request, pk: int, obj: Need):
    """Score the need now, in this request (admins and curators, from the empty state)."""
    if not request.user.has_perm("matchmaking.recompute"):
        raise PermissionDenied
    pairs = services.matches_score_needs(need_ids=[obj.pk])
    messages.success(request, _("The need was scored against the registry: %(pairs)d matches kept.") % {"pairs": pairs})
    return redirect("matchmaking:need_matches", pk=obj.pk)


# --- A startup's matches ---------------------------------------------------------------------------------


@permission_required("matchmaking.view_startup_matches", fetch=fetch_startup)
def startup_matches(request, pk: int, obj: Startup):
    """Government users: the needs matched to the startup, with scores. The startup's members: the needs
    recommended to it, without scores or components (DESIGN.md §3)."""
    with_scores = request.user.has_perm("matchmaking.view_scores")
    matches = selectors.startup_matches(user=request.user, startup=obj, with_scores=with_scores)
    page = Paginator(matches, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "startup": obj,
        "page": page,
        "rows": selectors.match_rows(page.object_list, first_rank=page.start_index() or 1),
        "with_scores": with_scores,
    }
    return render(request, "matchmaking/startup_matches.html", context)


@permission_required("seeds.claim_startup")
def my_recommendations(request):
    """The startup member's way in (home page): the recommended needs of their company, once claimed."""
    startup = seed_selectors.startup_managed_by(organisation_id=request.user.organisation_id)
    if startup is None:
        messages.info(request, _("Claim your company's profile first: recommended needs follow from it."))
        return redirect("seeds:my_company")
    return redirect("matchmaking:startup_matches", pk=startup.pk)


# --- The curators' overview ------------------------------------------------------------------------------


@permission_required("matchmaking.view_overview")
def overview(request):
    user = request.user
    context = {
        "startups": selectors.startups_matching_many(user=user),
        "needs": selectors.needs_with_few_matches(user=user),
        "any_published_need": selectors.overview_needs(user=user).exists(),
        "run": selectors.latest_match_run() if user.has_perm("matchmaking.view_runs") else None,
        "scores_now": selectors.scores_now() if user.has_perm("matchmaking.view_runs") else None,
        "can_view_runs": user.has_perm("matchmaking.view_runs"),
        "can_recompute": user.has_perm("matchmaking.recompute"),
        "can_view_scores": user.has_perm("matchmaking.view_scores"),
        "good_score": selectors.GOOD_SCORE,
        "top": selectors.TOP_OF_NEED,
        "few": selectors.FEW_GOOD_MATCHES,
    }
    return render(request, "matchmaking/overview.html", context)


@require_POST
@permission_required("matchmaking.recompute")
def recompute(request):
    run = services.matches_recompute_start()
    messages.success(request, _("A full recompute started in %(chunks)d chunks.") % {"chunks": run.total_chunks})
    return redirect("matchmaking:overview")
