"""Thin Celery entry points: load by id, return quietly if gone, call one service."""

from celery import shared_task
from django.contrib.auth import get_user_model

from accounts import services
from accounts.models import Organisation
from config.celery import MAIL_RETRY


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
