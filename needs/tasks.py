"""Thin Celery entry points for needs and proposals."""

from celery import shared_task

from config.celery import MAIL_RETRY
from needs import notifications
from needs.models import ProposalTransition
from needs.services.needs import needs_close_expired


@shared_task(name="needs.close_expired_needs")
def close_expired_needs() -> list[str]:
    return needs_close_expired()


@shared_task(
    name="needs.notify_proposal_transition",
    **MAIL_RETRY,
)
def notify_proposal_transition(*, transition_id: int) -> int:
    transition = (
        ProposalTransition.objects.select_related("proposal__need", "proposal__startup")
        .filter(pk=transition_id)
        .first()
    )
    if transition is None:
        return 0
    return notifications.proposal_transition_send(transition)


# --- The new-entry consultation window (needs/services/consultations.py) ---------------------------------


@shared_task(
    name="needs.send_consultation_acknowledgement",
    **MAIL_RETRY,
)
def send_consultation_acknowledgement(*, consultation_id: int) -> bool:
    from needs.models import ConsultationRequest
    from needs.services.consultations import consultation_acknowledgement_send

    consultation = ConsultationRequest.objects.filter(pk=consultation_id).first()
    if consultation is None:
        return False
    consultation_acknowledgement_send(consultation=consultation)
    return True


@shared_task(
    name="needs.send_consultation_answer",
    **MAIL_RETRY,
)
def send_consultation_answer(*, consultation_id: int) -> bool:
    from needs.models import ConsultationRequest
    from needs.services.consultations import consultation_answer_send

    consultation = ConsultationRequest.objects.filter(pk=consultation_id).exclude(answer="").first()
    if consultation is None:
        return False
    consultation_answer_send(consultation=consultation)
    return True


@shared_task(name="needs.notify_need_transition", **MAIL_RETRY)
def notify_need_transition(*, transition_id: int) -> int:
    from needs.models import NeedTransition

    transition = NeedTransition.objects.select_related("need", "actor").filter(pk=transition_id).first()
    return 0 if transition is None else notifications.need_transition_send(transition)


@shared_task(name="needs.notify_question", **MAIL_RETRY)
def notify_question(*, question_id: int) -> int:
    from needs.models import NeedQuestion

    question = NeedQuestion.objects.select_related("need", "asked_by").filter(pk=question_id).first()
    return 0 if question is None else notifications.question_send(question)


@shared_task(name="needs.notify_evaluators", **MAIL_RETRY)
def notify_evaluators(*, need_id: int, user_ids: list[int]) -> int:
    from needs.models import Need

    need = Need.objects.filter(pk=need_id).first()
    return 0 if need is None else notifications.evaluators_send(need, user_ids)
