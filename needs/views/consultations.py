"""The new-entry consultation window (public form, rate limited) and its triage by portal admins and curators."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.decorators import permission_required
from needs.consultation_forms import (
    ConsultationAnswerForm,
    ConsultationConvertForm,
    ConsultationFilterForm,
    ConsultationForm,
)
from needs.enums import ConsultationStatus
from needs.models import ConsultationRequest
from needs.services import consultations as services
from needs.throttles import ConsultationRateThrottle
from seeds.views.base import add_service_errors

PAGE_SIZE = 25
TRIAGE = services.TRIAGE_PERM


def consultation_new(request):
    form = ConsultationForm(request.POST or None, initial=_contact_of(request.user))
    if request.method == "POST":
        limit = ConsultationRateThrottle()
        if not limit.allow_request(request):
            form.add_error(None, _limit_message(limit.wait()))
            return render(request, "needs/consultation_form.html", {"form": form}, status=429)
        if form.is_valid():
            try:
                services.consultation_submit(data=form.cleaned_data, language=translation.get_language())
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                limit.record(request)
                return redirect("needs:consultation_done")
    return render(request, "needs/consultation_form.html", {"form": form})


def consultation_done(request):
    return render(request, "needs/consultation_done.html")


@permission_required(TRIAGE)
def consultation_list(request):
    form = ConsultationFilterForm(request.GET)
    consultations = services.consultation_list(status=form.status_value())
    page = Paginator(consultations, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = services.consultation_status_counts()
    statuses = [(value, label, counts[value]) for value, label in ConsultationStatus.choices]
    context = {"form": form, "page": page, "statuses": statuses, "total": sum(counts.values())}
    return render(request, "needs/consultation_list.html", context)


def fetch_consultation(request, pk: int, **kwargs) -> ConsultationRequest:
    return get_object_or_404(ConsultationRequest.objects.select_related("handled_by", "startup"), pk=pk)


@permission_required(TRIAGE, fetch=fetch_consultation)
def consultation_detail(request, pk: int, obj):
    return _render_detail(request, obj)


@permission_required(TRIAGE, fetch=fetch_consultation)
@require_POST
def consultation_answer(request, pk: int, obj):
    form = ConsultationAnswerForm(request.POST)
    if form.is_valid():
        try:
            services.consultation_answer(consultation=obj, answer=form.cleaned_data["answer"], actor=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The answer was sent to %(email)s.") % {"email": obj.contact_email})
            return redirect("needs:consultation_detail", pk=obj.pk)
    return _render_detail(request, obj, answer_form=form, status=400)


@permission_required(TRIAGE, fetch=fetch_consultation)
@require_POST
def consultation_close(request, pk: int, obj):
    try:
        services.consultation_close(consultation=obj, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The consultation was closed."))
    return redirect("needs:consultation_detail", pk=obj.pk)


@permission_required(TRIAGE, fetch=fetch_consultation)
@require_POST
def consultation_convert(request, pk: int, obj):
    form = ConsultationConvertForm(request.POST)
    if form.is_valid():
        try:
            startup = services.consultation_convert(
                consultation=obj, actor=request.user, corporate_number=form.cleaned_data["corporate_number"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(name)s is now in the startup registry.") % {"name": startup.name})
            return redirect("needs:consultation_detail", pk=obj.pk)
    return _render_detail(request, obj, convert_form=form, status=400)


def _render_detail(request, consultation: ConsultationRequest, *, status: int = 200, **forms):
    context = {
        "consultation": consultation,
        "is_open": consultation.status in services.OPEN_STATUSES,
        "answer_form": ConsultationAnswerForm(initial={"answer": consultation.answer}),
        "convert_form": ConsultationConvertForm(initial={"corporate_number": consultation.corporate_number}),
        **forms,
    }
    return render(request, "needs/consultation_detail.html", context, status=status)


def _contact_of(user) -> dict:
    """A signed-in visitor's name and e-mail, to save typing."""
    if not user.is_authenticated:
        return {}
    return {"contact_name": user.full_name, "contact_email": user.email}


def _limit_message(wait: float | None) -> str:
    minutes = max(1, round((wait or 0) / 60))
    return ngettext(
        "This connection has sent as many consultations as the window accepts for now. "
        "Please try again in about %(minutes)d minute.",
        "This connection has sent as many consultations as the window accepts for now. "
        "Please try again in about %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}


urlpatterns = [
    path("consultation/", consultation_new, name="consultation_new"),
    path("consultation/thanks/", consultation_done, name="consultation_done"),
    path("consultations/", consultation_list, name="consultation_list"),
    path("consultations/<int:pk>/", consultation_detail, name="consultation_detail"),
    path("consultations/<int:pk>/answer/", consultation_answer, name="consultation_answer"),
    path("consultations/<int:pk>/close/", consultation_close, name="consultation_close"),
    path("consultations/<int:pk>/convert/", consultation_convert, name="consultation_convert"),
]
