"""Thin Celery entry points for needs and proposals."""

from smtplib import SMTPException

from celery import shared_task

from needs import notifications
from needs.models import ProposalTransition
from needs.services.needs import needs_close_expired


@shared_task(name="needs.close_expired_needs")
def close_expired_needs() -> list[str]:
    return needs_close_expired()


@shared_task(
    name="needs.notify_proposal_transition",
    autoretry_for=(SMTPException, ConnectionError, TimeoutError),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=5,
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
