"""Proposals: a startup drafts, submits and follows its own; the owning unit and MOD reviewers move them along
the pipeline, one at a time or several at once. A proposal nobody may show this user is a 404, never a 403."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.decorators import permission_required
from accounts.rules import is_government_user, is_startup_member
from core.params import query_id
from needs import selectors
from needs.enums import ProposalStatus
from needs.models import Need, Proposal, ProposalAttachment
from needs.proposal_forms import (
    ACTION_LABELS,
    BulkTransitionForm,
    CommentForm,
    FieldGroup,
    ProposalForm,
    RejectionForm,
    TransitionForm,
    initial_from_proposal,
    initial_from_startup,
)
from needs.reads import proposal_read
from needs.rules import is_proposal_owner
from needs.services import proposals as services
from seeds.selectors import startup_managed_by

PAGE_SIZE = 25
S = ProposalStatus


# --- Fetching, for permission_required(..., fetch=...) ---------------------------------------------------


def fetch_need(request, pk: int, **kwargs) -> Need:
    """The need if the user may see it; 404 otherwise, so that a hidden need's existence is not revealed."""
    need = Need.objects.select_related("owner_unit").filter(pk=pk).first()
    if need is None or not request.user.has_perm("needs.view_need", need):
        raise Http404
    return need


def fetch_proposal(request, pk: int, **kwargs) -> Proposal:
    """The proposal if the user may see it (the list rule decides); 404 otherwise, guessed ids included."""
    proposal = selectors.proposal_visible(user=request.user, pk=pk)
    if proposal is None:
        raise Http404
    return proposal


def fetch_attachment_proposal(request, pk: int, **kwargs) -> Proposal:
    """The proposal an attachment belongs to, under the proposal's own rule."""
    proposal_id = ProposalAttachment.objects.filter(pk=pk).values_list("proposal_id", flat=True).first()
    if proposal_id is None:
        raise Http404
    return fetch_proposal(request, proposal_id)


def add_service_errors(form, error: ValidationError) -> None:
    """A service's ValidationError on the form: on its field when the form has it, else above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, field_errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, field_errors)


def safe_next(request, default: str) -> str:
    """The page to go back to: a path on this site (anything else, e.g. a bare word that redirect() would take for
    a URL name, is the default)."""
    target = request.POST.get("next", "")
    if target.startswith("/") and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


# --- The startup's side ----------------------------------------------------------------------------------


@permission_required("needs.view_need", fetch=fetch_need)
def proposal_create(request, pk: int, obj):
    """A new proposal to an open need, pre-filled from the company profile or (?from=id) an earlier proposal."""
    need = obj
    if not is_startup_member(request.user):
        raise PermissionDenied
    startup = startup_managed_by(organisation_id=request.user.organisation_id)
    if startup is None:
        return render(request, "needs/proposal_unavailable.html", {"need": need, "reason": "unclaimed"})
    if not request.user.has_perm("needs.propose", need):
        return render(request, "needs/proposal_unavailable.html", {"need": need, "reason": "closed"}, status=403)
    existing = selectors.open_proposal_of(need=need, startup=startup)
    if existing is not None and request.method != "POST":  # a post gets its form back with the error: nothing lost
        messages.info(request, _("Your company already has a proposal for this need; here it is."))
        return redirect("needs:proposal_detail", pk=existing.pk)
    earlier = selectors.earlier_proposals_of(startup=startup)
    source_id = query_id(request.GET, "from")
    source = earlier.filter(pk=source_id).first() if source_id is not None else None
    initial = initial_from_proposal(source) if source else initial_from_startup(startup)
    form = ProposalForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = services.proposal_save_draft(
                need=need,
                startup=startup,
                data=form.proposal_data(),
                uploads=form.cleaned_data["attachments"],
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _after_save(request, proposal)
    context = {"form": form, "need": need, "startup": startup, "earlier": earlier[:20], "source": source}
    return render(request, "needs/proposal_form.html", context)


@permission_required("needs.view_proposal", fetch=fetch_proposal)
def proposal_edit(request, pk: int, obj):
    if not (is_proposal_owner(request.user, obj) and obj.status == S.DRAFT):
        raise PermissionDenied
    title = obj.title  # before the form writes the submitted values onto the instance
    form = ProposalForm(request.POST or None, request.FILES or None, instance=obj)
    if request.method == "POST" and form.is_valid():
        try:
            services.proposal_save_draft(
                proposal=obj, data=form.proposal_data(), uploads=form.cleaned_data["attachments"], actor=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _after_save(request, obj)
    context = {"form": form, "need": obj.need, "proposal": obj, "title": title, "attachments": obj.attachments.all()}
    return render(request, "needs/proposal_form.html", context)


def _after_save(request, proposal: Proposal):
    """ "Save draft" stops here; "Submit" then submits, and a refusal (a deadline passed) leaves the draft."""
    if request.POST.get("action") != "submit":
        messages.success(request, _("The draft was saved. It is sent to no one until you submit it."))
        return redirect("needs:proposal_detail", pk=proposal.pk)
    try:
        services.proposal_transition(proposal=proposal, to=S.SUBMITTED, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join([*error.messages, _("The proposal was kept as a draft.")]))
        return redirect("needs:proposal_edit", pk=proposal.pk)
    messages.success(request, _("The proposal was submitted. The unit has been told."))
    return redirect("needs:proposal_detail", pk=proposal.pk)


@permission_required("seeds.claim_startup")
def my_proposals(request):
    page = Paginator(selectors.proposals_of_member(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "needs/proposal_mine.html", {"page": page})


# --- One proposal ----------------------------------------------------------------------------------------


@permission_required("needs.view_proposal", fetch=fetch_proposal)
def proposal_detail(request, pk: int, obj):
    user = request.user
    proposal_read(proposal=obj, user=user, via="page")
    next_statuses = services.proposal_next_statuses(proposal=obj, actor=user)
    context = {
        "proposal": obj,
        "need": obj.need,
        "attachments": obj.attachments.all(),
        "history": selectors.proposal_history(proposal=obj),
        "show_actors": is_government_user(user),
        "moves": [(status, ACTION_LABELS[status]) for status in next_statuses if status != S.REJECTED],
        "can_reject": S.REJECTED in next_statuses,
        "comment_form": CommentForm(auto_id="move_%s"),
        "rejection_form": RejectionForm(auto_id="reject_%s"),
        "can_edit": obj.status == S.DRAFT and is_proposal_owner(user, obj),
        "can_evaluate": user.has_perm("needs.evaluate_proposal", obj),
        "can_manage": user.has_perm("needs.manage_proposals", obj.need),
    }
    return render(request, "needs/proposal_detail.html", context)


@permission_required("needs.view_proposal", fetch=fetch_proposal)
@require_POST
def proposal_transition(request, pk: int, obj):
    """Move one proposal; a role that may not is refused (403), an impossible move is explained."""
    target = safe_next(request, reverse("needs:proposal_detail", args=[obj.pk]))
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(error for errors in form.errors.values() for error in errors))
        return redirect(target)
    data = form.cleaned_data
    try:
        services.proposal_transition(
            proposal=obj,
            to=data["to"],
            actor=request.user,
            comment=data["comment"],
            reason=data["reason"],
            feedback=data["feedback"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("“%(title)s” is now: %(status)s.") % {"title": obj.title, "status": S(data["to"]).label},
        )
    return redirect(target)


@permission_required("needs.view_proposal", fetch=fetch_attachment_proposal)
def proposal_attachment(request, pk: int, obj):
    """The stored file as a download under its original name and checked type."""
    attachment = get_object_or_404(ProposalAttachment, pk=pk, proposal=obj)
    proposal_read(proposal=obj, user=request.user, via=f"attachment {attachment.original_name}")
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(
        handle, as_attachment=True, filename=attachment.original_name, content_type=attachment.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@permission_required("needs.view_proposal", fetch=fetch_attachment_proposal)
@require_POST
def proposal_attachment_remove(request, pk: int, obj):
    attachment = get_object_or_404(ProposalAttachment, pk=pk, proposal=obj)
    services.proposal_attachment_remove(attachment=attachment, actor=request.user)
    messages.success(request, _("“%(name)s” was removed.") % {"name": attachment.original_name})
    return redirect("needs:proposal_edit", pk=obj.pk)


# --- A need's proposals (owning unit and reviewers) ------------------------------------------------------


@permission_required("needs.view_need", fetch=fetch_need)
def need_proposals(request, pk: int, obj):
    """The owning unit and reviewers see and move the need's proposals; other government users and admins see
    only how many there are at each stage; everyone else is refused."""
    need, user = obj, request.user
    funnel = selectors.need_funnel(need=need)
    if not user.has_perm("needs.manage_proposals", need):
        if not user.has_perm("needs.view_proposal_counts"):
            raise PermissionDenied
        return render(request, "needs/proposal_counts.html", {"need": need, "funnel": funnel})
    rows = selectors.need_proposal_rows(user=user, need=need)
    form = BulkTransitionForm(request.POST or None, proposals=rows)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen = list(data["proposals"])
        try:
            services.proposal_bulk_transition(
                proposals=chosen,
                to=data["to"],
                actor=user,
                comment=data["comment"],
                reason=data["reason"],
                feedback=data["feedback"],
            )
        except (ValidationError, PermissionDenied) as error:
            text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
            messages.error(request, " ".join([text, _("No proposal was changed.")]))
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)d proposal is now: %(status)s.", "%(count)d proposals are now: %(status)s.", len(chosen)
                )
                % {"count": len(chosen), "status": S(data["to"]).label},
            )
            return redirect("needs:need_proposals", pk=need.pk)
    context = {
        "need": need,
        "proposals": rows,
        "form": form,
        "controls": FieldGroup(form, ["to", "comment", "reason", "feedback"]),
        "funnel": funnel,
        "selected": {str(pk) for pk in request.POST.getlist("proposals")},
    }
    return render(request, "needs/proposal_list.html", context)


urlpatterns = [
    path("needs/<int:pk>/propose/", proposal_create, name="proposal_create"),
    path("needs/<int:pk>/proposals/", need_proposals, name="need_proposals"),
    path("proposals/mine/", my_proposals, name="my_proposals"),
    path("proposals/<int:pk>/", proposal_detail, name="proposal_detail"),
    path("proposals/<int:pk>/edit/", proposal_edit, name="proposal_edit"),
    path("proposals/<int:pk>/transition/", proposal_transition, name="proposal_transition"),
    path("proposals/attachments/<int:pk>/", proposal_attachment, name="proposal_attachment"),
    path("proposals/attachments/<int:pk>/remove/", proposal_attachment_remove, name="proposal_attachment_remove"),
]
