"""The needs board, a need's page, authoring, status changes and the reviewers' queue."""

import rules
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST

from accounts.decorators import permission_required
from accounts.rules import is_government_user, is_need_reviewer
from config.page_cache import cached_page
from needs import selectors
from needs.enums import NeedStatus
from needs.forms import AnswerForm, NeedFilterForm, NeedForm, QuestionForm, TransitionForm
from needs.models import Need
from needs.reads import need_read
from needs.rules import is_owning_unit_staff
from needs.services import needs as services

PAGE_SIZE = 25

# The button that moves a need to each status, and what the page says once it has moved.
TRANSITION_BUTTONS = {
    NeedStatus.SUBMITTED: pgettext_lazy("need action", "Submit for review"),
    NeedStatus.DRAFT: pgettext_lazy("need action", "Return to draft"),
    NeedStatus.PUBLISHED: pgettext_lazy("need action", "Publish"),
    NeedStatus.CLOSED: pgettext_lazy("need action", "Close"),
    NeedStatus.WITHDRAWN: pgettext_lazy("need action", "Withdraw"),
}
TRANSITION_DONE = {
    NeedStatus.SUBMITTED: gettext_lazy("The need was submitted for review."),
    NeedStatus.DRAFT: gettext_lazy("The need went back to its author as a draft."),
    NeedStatus.PUBLISHED: gettext_lazy("The need was published."),
    NeedStatus.CLOSED: gettext_lazy("The need was closed."),
    NeedStatus.WITHDRAWN: gettext_lazy("The need was withdrawn."),
}


def fetch_visible_need(request, pk: int, **kwargs) -> Need:
    """The need if the viewer may see it. Otherwise 404, never 403: a hidden need's existence is not revealed."""
    need = Need.objects.select_related("owner_unit").filter(pk=pk).first()
    if need is None or not request.user.has_perm("needs.view_need", need):
        raise Http404
    return need


@cached_page("needs")
def need_list(request):
    """The needs board: anyone, signed in or not, sees the needs the visibility rules let them see."""
    form = NeedFilterForm(request.GET, user=request.user)
    needs = selectors.need_list(user=request.user, filters=form.to_filters())
    page = Paginator(needs, PAGE_SIZE).get_page(request.GET.get("page"))
    # rules.has_perm: a rule, not a model permission, so Django's permission tables are not queried.
    context = {"form": form, "page": page, "can_create": rules.has_perm("needs.create_need", request.user)}
    return render(request, "needs/need_list.html", context)


def need_detail(request, pk: int):
    need = fetch_visible_need(request, pk)
    need_read(need=need, user=request.user, via="page")
    return render_need_detail(request, need)


def render_need_detail(request, need: Need, *, question_form=None, answer_form=None):
    """A need's page with what the viewer may see and do; bound forms with errors are passed in to show them
    (`answer_form` is a pair: the question's pk and its form)."""
    user = request.user
    government = bool(is_government_user(user))
    can_answer = user.has_perm("needs.answer_questions", need)
    questions = []
    for question in selectors.need_questions_for(need=need, user=user):
        form = None
        if can_answer:
            if answer_form and answer_form[0] == question.pk:
                form = answer_form[1]
            else:
                form = AnswerForm(initial={"answer": question.answer}, auto_id=f"answer-{question.pk}-%s")
        questions.append({"question": question, "form": form})
    can_ask = user.has_perm("needs.ask_question", need)
    sees_funnel = government or is_need_reviewer(user) or is_owning_unit_staff(user, need)
    context = {
        "need": need,
        "tech_fields": need.tech_fields.all(),
        "attachments": need.attachments.all(),
        "history": selectors.need_history(need=need, user=user),
        "show_workflow": bool(user.has_perm("needs.view_need_workflow", need)),
        "show_actors": government,
        "transition_forms": _transition_forms(need, user),
        "questions": questions,
        "can_answer": can_answer,
        "question_form": (question_form or QuestionForm()) if can_ask else None,
        "can_edit": user.has_perm("needs.edit_need", need),
        "propose_url": _optional_url("needs:proposal_create", need) if user.has_perm("needs.propose", need) else None,
        "funnel": selectors.need_funnel(need=need) if sees_funnel else None,
        "proposal_links": _proposal_links(need) if user.has_perm("needs.manage_proposals", need) else [],
    }
    return render(request, "needs/need_detail.html", context)


def _transition_forms(need: Need, user) -> list[dict]:
    if not user.is_authenticated:
        return []
    forms = []
    for to in services.need_next_statuses(need=need, actor=user):
        form = TransitionForm(initial={"to": to}, auto_id=f"transition-{to}-%s")
        # The service refuses a return to draft without a comment; the browser says so first.
        returning = need.status == NeedStatus.SUBMITTED and to == NeedStatus.DRAFT
        form.fields["comment"].required = returning
        if returning:
            form.fields["comment"].help_text = _("Required: tell the author what to change.")
        forms.append({"to": to, "label": TRANSITION_BUTTONS[to], "form": form})
    return forms


def _optional_url(url_name: str, need: Need) -> str | None:
    # The proposal and evaluation pages are built apart from this one; the need's page works without them.
    try:
        return reverse(url_name, args=[need.pk])
    except NoReverseMatch:
        return None


def _proposal_links(need: Need) -> list[dict]:
    """The owning unit's and reviewers' ways into the need's proposals and their evaluation."""
    links = [
        (pgettext_lazy("need page link", "Proposals"), "needs:need_proposals"),
        (pgettext_lazy("need page link", "Evaluators"), "needs:need_evaluators"),
        (pgettext_lazy("need page link", "Ranking"), "needs:need_ranking"),
    ]
    return [
        {"label": label, "url": url} for label, url_name in links if (url := _optional_url(url_name, need)) is not None
    ]


@permission_required("needs.create_need")  # needs.rules.can_create_need, as the API's
def need_create(request):
    unit = request.user.organisation
    form = NeedForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                need = services.need_create(
                    data=form.cleaned_data,
                    tech_fields=list(form.cleaned_data["tech_fields"]),
                    owner_unit=unit,
                    actor=request.user,
                )
                _save_attachments(form, need, request.user)
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            return _after_save(request, need)
    return render(request, "needs/need_form.html", {"form": form, "creating": True})


@permission_required("needs.edit_need", fetch=fetch_visible_need)
def need_edit(request, pk: int, obj: Need):
    form = NeedForm(request.POST or None, request.FILES or None, instance=obj)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                services.need_update(
                    need=obj,
                    data=form.cleaned_data,
                    tech_fields=list(form.cleaned_data["tech_fields"]),
                    actor=request.user,
                )
                for attachment in form.cleaned_data.get("remove_attachments") or []:
                    services.need_attachment_remove(attachment=attachment, actor=request.user)
                _save_attachments(form, obj, request.user)
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            return _after_save(request, obj)
    return render(request, "needs/need_form.html", {"form": form, "creating": False, "need": obj})


def _save_attachments(form: NeedForm, need: Need, actor) -> None:
    for upload in form.cleaned_data["attachments"]:
        services.need_attach(need=need, upload=upload, actor=actor)


def _add_service_errors(form, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, field_errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, field_errors)


def _after_save(request, need: Need):
    """A saved draft stops here; "Submit for review" also sends it to the reviewers."""
    if request.POST.get("action") != "submit":
        messages.success(request, _("The draft was saved."))
        return redirect("needs:need_detail", pk=need.pk)
    try:
        services.need_transition(need=need, to=NeedStatus.SUBMITTED, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, TRANSITION_DONE[NeedStatus.SUBMITTED])
    return redirect("needs:need_detail", pk=need.pk)


@permission_required("needs.view_need", fetch=fetch_visible_need)
@require_POST
def need_transition(request, pk: int, obj: Need):
    """Move a need through services.needs.need_transition; a role that may not gets 403 (PermissionDenied)."""
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the changes offered on the page."))
        return redirect("needs:need_detail", pk=obj.pk)
    to = form.cleaned_data["to"]
    try:
        services.need_transition(need=obj, to=to, actor=request.user, comment=form.cleaned_data["comment"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, TRANSITION_DONE[to])
    return redirect("needs:need_detail", pk=obj.pk)


REVIEW_TAB_LABELS = {
    NeedStatus.SUBMITTED: gettext_lazy("To review"),
    NeedStatus.PUBLISHED: gettext_lazy("Published (to close)"),
    NeedStatus.DRAFT: gettext_lazy("Drafts"),
}


@permission_required("needs.review_needs")
def review_queue(request):
    tab = request.GET.get("tab", NeedStatus.SUBMITTED)
    if tab not in selectors.REVIEW_TABS:
        tab = NeedStatus.SUBMITTED
    page = Paginator(selectors.need_review_queue(status=tab), PAGE_SIZE).get_page(request.GET.get("page"))
    counts = selectors.need_review_counts()
    tabs = [
        {"status": status, "label": REVIEW_TAB_LABELS[status], "count": counts[status], "current": status == tab}
        for status in selectors.REVIEW_TABS
    ]
    return render(request, "needs/review_queue.html", {"page": page, "tab": tab, "tabs": tabs})


urlpatterns = [
    path("needs/", need_list, name="need_list"),
    path("needs/new/", need_create, name="need_create"),
    path("needs/review/", review_queue, name="review_queue"),
    path("needs/<int:pk>/", need_detail, name="need_detail"),
    path("needs/<int:pk>/edit/", need_edit, name="need_edit"),
    path("needs/<int:pk>/transition/", need_transition, name="need_transition"),
]
