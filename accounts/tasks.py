"""Thin Celery entry points: load by id, return quietly if gone, call one service."""

from smtplib import SMTPException

from celery import shared_task
from django.contrib.auth import get_user_model

from accounts import services
from accounts.models import Organisation

# Mail tasks retry what the mail server or the network failed, with backoff (needs/tasks.py has the same).
MAIL_RETRY = {
    "autoretry_for": (SMTPException, ConnectionError, TimeoutError),
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "max_retries": 5,
}


@shared_task(name="accounts.send_verification_email", **MAIL_RETRY)
def send_verification_email(*, user_id: int) -> bool:
    user = get_user_model().objects.filter(pk=user_id, email_verified_at__isnull=True).first()
    if user is None:
        return False
    services.email_verification_send(user=user)
    return True


@shared_task(name="accounts.send_registration_notice", **MAIL_RETRY)
def send_registration_notice(*, user_id: int) -> bool:
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return False
    services.registration_notice_send(user=user)
    return True


@shared_task(name="accounts.send_company_registration_notice", **MAIL_RETRY)
def send_company_registration_notice(*, organisation_id: int, full_name: str, email: str) -> bool:
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None:
        return False
    services.company_registration_notice_send(organisation=organisation, full_name=full_name, email=email)
    return True


@shared_task(name="accounts.purge_stale_registrations")
def purge_stale_registrations() -> int:
    return services.registrations_purge_stale()


@shared_task(name="accounts.relay_outbox", ignore_result=True)
def relay_outbox() -> int:
    """Beat runs this every minute: tasks whose first send failed (the broker was down) go out now."""
    from accounts import outbox

    return outbox.relay_all()
