"""Evaluating a need's proposals: the unit picks the evaluators, each scores the criteria (or steps aside for a
conflict of interest), and the ranking page, with its criterion weights, is where the reviewer decides."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.decorators import permission_required
from needs import selectors
from needs.enums import ProposalStatus
from needs.models import Evaluation
from needs.proposal_forms import ConflictForm, EvaluationForm, EvaluatorsForm, RejectionForm, WeightsForm
from needs.services import proposals as services
from needs.views.proposals import add_service_errors, fetch_need, fetch_proposal


@permission_required("needs.manage_proposals", fetch=fetch_need)
def need_evaluators(request, pk: int, obj):
    need = obj
    candidates = selectors.evaluator_candidates(need=need)
    initial = {"evaluators": list(need.evaluators.all())}
    form = EvaluatorsForm(request.POST or None, candidates=candidates, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.need_set_evaluators(need=need, evaluators=form.cleaned_data["evaluators"], actor=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The evaluators were saved."))
            return redirect("needs:need_ranking", pk=need.pk)
    return render(request, "needs/evaluation_evaluators.html", {"need": need, "form": form})


@permission_required("needs.evaluate_proposal", fetch=fetch_proposal)
def evaluation_form(request, pk: int, obj):
    """The evaluator's own scores on one proposal; re-saving revises them."""
    evaluation = Evaluation.objects.filter(proposal=obj, evaluator=request.user).first()
    initial = {**evaluation.scores, "comment": evaluation.comment} if evaluation else {}
    form = EvaluationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.evaluation_save(
                proposal=obj, evaluator=request.user, scores=form.scores(), comment=form.cleaned_data["comment"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your evaluation was saved."))
            return redirect("needs:proposal_detail", pk=obj.pk)
    context = {
        "proposal": obj,
        "need": obj.need,
        "form": form,
        "conflict_form": ConflictForm(),
        "evaluation": evaluation,
        "open_for_scores": obj.status in services.EVALUATION_STATUSES,
    }
    return render(request, "needs/evaluation_form.html", context)


@permission_required("needs.evaluate_proposal", fetch=fetch_proposal)
@require_POST
def evaluation_conflict(request, pk: int, obj):
    form = ConflictForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    services.evaluation_declare_conflict(proposal=obj, evaluator=request.user, note=note)
    messages.success(request, _("You stepped aside on this proposal: your scores do not count in its total."))
    return redirect("needs:proposal_detail", pk=obj.pk)


@permission_required("needs.manage_proposals", fetch=fetch_need)
def need_ranking(request, pk: int, obj):
    """Ranked totals (weighted score + designation bonus) with their spread; reviewers decide from here."""
    need, user = obj, request.user
    weights_form = WeightsForm(request.POST or None, initial=WeightsForm.initial_for(need))
    if request.method == "POST" and weights_form.is_valid():
        try:
            services.need_set_criterion_weights(need=need, weights=weights_form.weights(), actor=user)
        except ValidationError as error:
            add_service_errors(weights_form, error)
        else:
            messages.success(request, _("The criterion weights were saved; the ranking uses them now."))
            return redirect("needs:need_ranking", pk=need.pk)
    ranking = selectors.need_ranking(need=need, bonus_points=services.designation_bonus_points())
    rows = []
    for position, item in enumerate(ranking, start=1):
        moves = services.proposal_next_statuses(proposal=item.proposal, actor=user)
        rows.append(
            {
                "rank": position if item.total is not None else None,
                "item": item,
                "can_select": ProposalStatus.SELECTED in moves,
                "rejection_form": RejectionForm(auto_id=f"reject{item.proposal.pk}_%s")
                if ProposalStatus.REJECTED in moves
                else None,
            }
        )
    context = {
        "need": need,
        "rows": rows,
        "weights_form": weights_form,
        "evaluators": need.evaluators.select_related("organisation"),
    }
    return render(request, "needs/evaluation_ranking.html", context)


@permission_required("needs.evaluate")
def my_evaluations(request):
    """The evaluator's worklist: every proposal waiting for their scores, and those already scored."""
    proposals = selectors.proposals_to_evaluate(user=request.user)
    page = Paginator(proposals, 25).get_page(request.GET.get("page"))
    return render(request, "needs/evaluation_mine.html", {"page": page})


urlpatterns = [
    path("evaluations/mine/", my_evaluations, name="my_evaluations"),
    path("needs/<int:pk>/evaluators/", need_evaluators, name="need_evaluators"),
    path("needs/<int:pk>/ranking/", need_ranking, name="need_ranking"),
    path("proposals/<int:pk>/evaluate/", evaluation_form, name="evaluation_form"),
    path("proposals/<int:pk>/evaluate/conflict/", evaluation_conflict, name="evaluation_conflict"),
]
