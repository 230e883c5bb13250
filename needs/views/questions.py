"""Questions on a need: a startup asks while the need is open; the owning unit answers on the need's page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.decorators import permission_required
from needs.forms import AnswerForm, QuestionForm
from needs.models import NeedQuestion
from needs.services import needs as services
from needs.views.needs import fetch_visible_need, render_need_detail


def _questions_of(need) -> str:
    return reverse("needs:need_detail", args=[need.pk]) + "#questions"


@permission_required("needs.view_need", fetch=fetch_visible_need)
@require_POST
def question_ask(request, pk: int, obj):
    """A startup member's question; who may ask (and until when) is the service's decision."""
    form = QuestionForm(request.POST)
    if not form.is_valid():
        return render_need_detail(request, obj, question_form=form)
    try:
        services.question_ask(need=obj, question=form.cleaned_data["question"], actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your question was sent to the unit. Its answer will appear on this page."))
    return redirect(_questions_of(obj))


@login_required
@require_POST
def question_answer(request, pk: int):
    question = NeedQuestion.objects.select_related("need__owner_unit").filter(pk=pk).first()
    if question is None or not request.user.has_perm("needs.view_need", question.need):
        raise Http404
    if not request.user.has_perm("needs.answer_questions", question.need):
        raise PermissionDenied
    form = AnswerForm(request.POST, auto_id=f"answer-{question.pk}-%s")
    if not form.is_valid():
        return render_need_detail(request, question.need, answer_form=(question.pk, form))
    try:
        services.question_answer(question=question, answer=form.cleaned_data["answer"], actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The answer is published on the need."))
    return redirect(_questions_of(question.need))


urlpatterns = [
    path("needs/<int:pk>/questions/", question_ask, name="question_ask"),
    path("needs/questions/<int:pk>/answer/", question_answer, name="question_answer"),
]
