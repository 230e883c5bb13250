"""The new-entry consultation window (新規参入相談窓口): submission, triage (answer, close, convert) and its e-mails.

Triage is for portal admins and curators (`needs.triage_consultations`); every function that changes a request
checks it. E-mails go out after commit through Celery tasks (needs/tasks.py), in the submitter's language.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Count, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from accounts import audit
from needs.enums import ConsultationStatus
from needs.models import ConsultationRequest
from needs.services import enqueue
from seeds import services as seeds_services
from seeds.models import Startup
from seeds.validators import validate_corporate_number

# What a submitter fills in: the five items of the seed document, and an optional corporate number.
SUBMITTED_FIELDS = [
    "company_name",
    "company_summary",
    "inquiry",
    "technology",
    "defense_record",
    "contact_name",
    "contact_email",
    "contact_phone",
    "corporate_number",
]
# A request still waiting for its triage to end; answered ones may be answered again, closed or converted.
OPEN_STATUSES = (ConsultationStatus.NEW, ConsultationStatus.ANSWERED)
TRIAGE_PERM = "needs.triage_consultations"


# --- Reads (the triage list and its counts) -----------------------------------------------------------------


def consultation_list(*, status: str = "") -> QuerySet[ConsultationRequest]:
    consultations = ConsultationRequest.objects.select_related("handled_by", "startup")
    return consultations.filter(status=status) if status else consultations


def consultation_status_counts() -> dict[str, int]:
    """How many requests are in each triage status (every status present, zeros included)."""
    counts = dict(ConsultationRequest.objects.values_list("status").annotate(n=Count("pk")).order_by())
    return {status: counts.get(status, 0) for status in ConsultationStatus.values}


# --- Writes -------------------------------------------------------------------------------------------------


def consultation_submit(*, data: dict, language: str) -> ConsultationRequest:
    """Record a consultation sent by anyone (no account needed). Raises ValidationError by field.

    Side effect: after commit, an acknowledgement e-mail to the contact address, in `language`."""
    consultation = ConsultationRequest(**{name: data[name] for name in SUBMITTED_FIELDS if name in data})
    consultation.language = language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    _strip_texts(consultation)
    errors = {}
    if consultation.corporate_number:
        try:
            validate_corporate_number(consultation.corporate_number)
        except ValidationError as error:
            errors["corporate_number"] = error.messages
    try:
        consultation.full_clean(exclude=["corporate_number"])
    except ValidationError as error:
        errors |= error.message_dict
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        consultation.save()
        audit.record(None, audit.Action.CREATE, consultation, note=consultation.contact_email)
        _enqueue("send_consultation_acknowledgement", consultation.pk)
    return consultation


def consultation_answer(*, consultation: ConsultationRequest, answer: str, actor) -> ConsultationRequest:
    """Answer a request (again, if it was answered before): status "answered".

    Side effect: after commit, the answer is e-mailed to the contact address in the submitter's language."""
    _check_triage(actor)
    if not answer.strip():
        raise ValidationError({"answer": _("Write the answer.")})
    with transaction.atomic():
        consultation = _lock_open(consultation)
        _record_status(actor, consultation, ConsultationStatus.ANSWERED)
        consultation.answer = answer.strip()
        consultation.status = ConsultationStatus.ANSWERED
        consultation.handled_by = actor
        consultation.full_clean()
        consultation.save(update_fields=["answer", "status", "handled_by", "updated_at"])
        _enqueue("send_consultation_answer", consultation.pk)
    return consultation


def consultation_close(*, consultation: ConsultationRequest, actor) -> ConsultationRequest:
    """End the triage of a request without registering the company. No e-mail."""
    _check_triage(actor)
    with transaction.atomic():
        consultation = _lock_open(consultation)
        _record_status(actor, consultation, ConsultationStatus.CLOSED)
        consultation.status = ConsultationStatus.CLOSED
        consultation.handled_by = actor
        consultation.save(update_fields=["status", "handled_by", "updated_at"])
    return consultation


def consultation_convert(*, consultation: ConsultationRequest, actor, corporate_number: str = "") -> Startup:
    """Register the company in the startup registry and link the request to it: status "converted". Atomic.

    The corporate number is the one typed by the triager, else the one the submitter gave; it must be valid. A
    company already in the registry under that number is linked, not created twice. Side effect: a curator note
    on the startup recording where it came from. Raises ValidationError (by field) and saves nothing on refusal.
    """
    _check_triage(actor)
    number = (corporate_number or consultation.corporate_number).strip()
    if not number:
        raise ValidationError({"corporate_number": _("Enter the company's corporate number to register it.")})
    try:
        validate_corporate_number(number)
    except ValidationError as error:
        raise ValidationError({"corporate_number": error.messages}) from error
    with transaction.atomic():
        consultation = _lock_open(consultation)
        startup = Startup.objects.filter(corporate_number=number).first()
        if startup is None:
            startup = seeds_services.startup_create(data=_startup_data(consultation, number), actor=actor)
        seeds_services.startup_note_add(startup=startup, body=_provenance_note(consultation), actor=actor)
        _record_status(actor, consultation, ConsultationStatus.CONVERTED, note=f"startup {startup.corporate_number}")
        consultation.corporate_number = number
        consultation.startup = startup
        consultation.status = ConsultationStatus.CONVERTED
        consultation.handled_by = actor
        consultation.save(update_fields=["corporate_number", "startup", "status", "handled_by", "updated_at"])
    return startup


def _record_status(actor, consultation: ConsultationRequest, to: str, note: str = "") -> None:
    audit.record(actor, audit.Action.TRANSITION, consultation, {"status": [consultation.status, to]}, note=note)


def _check_triage(actor) -> None:
    if actor is None or not actor.has_perm(TRIAGE_PERM):
        raise PermissionDenied(_("Only portal administrators and curators handle consultations."))


def _lock_open(consultation: ConsultationRequest) -> ConsultationRequest:
    consultation = ConsultationRequest.objects.select_for_update().get(pk=consultation.pk)
    if consultation.status not in OPEN_STATUSES:
        raise ValidationError(
            _("This consultation is already “%(status)s”.") % {"status": ConsultationStatus(consultation.status).label}
        )
    return consultation


def _strip_texts(consultation: ConsultationRequest) -> None:
    for name in SUBMITTED_FIELDS:
        value = getattr(consultation, name)
        if isinstance(value, str):
            setattr(consultation, name, value.strip())


def _fit(value: str, field: str) -> str:
    """Cut a consultation's text to the registry field's length (the full text stays on the request)."""
    limit = Startup._meta.get_field(field).max_length
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _startup_data(consultation: ConsultationRequest, number: str) -> dict:
    return {
        "corporate_number": number,
        "name": _fit(consultation.company_name, "name"),
        "description": _fit(consultation.company_summary, "description"),
        "contact_name": _fit(consultation.contact_name, "contact_name"),
        "contact_email": consultation.contact_email,
        "contact_phone": _fit(consultation.contact_phone, "contact_phone"),
        "defense_record": _fit(consultation.defense_record, "defense_record"),
    }


def _provenance_note(consultation: ConsultationRequest) -> str:
    # Written in the portal's default language: curator notes are read by METI and MOD staff.
    with translation.override(settings.LANGUAGE_CODE):
        heading = gettext("Registered from new-entry consultation no. %(number)d (received %(date)s).") % {
            "number": consultation.pk,
            "date": timezone.localtime(consultation.created_at).strftime("%Y-%m-%d"),
        }
        return "\n\n".join(
            [
                heading,
                f"{gettext('Technology or product proposed')}:\n{consultation.technology}",
                f"{gettext('Inquiry')}:\n{consultation.inquiry}",
            ]
        )


def _enqueue(task_name: str, consultation_id: int) -> None:
    enqueue(task_name, consultation_id=consultation_id)


# --- E-mails (called by the tasks) --------------------------------------------------------------------------


def consultation_acknowledgement_send(*, consultation: ConsultationRequest) -> None:
    """Confirm receipt to the contact address, in the submitter's language. Side effect: one e-mail.

    It repeats nothing the submitter typed: the form must not become a way to send text to any address."""
    with translation.override(consultation.language):
        subject = gettext("We received your consultation (no. %(number)d)") % {"number": consultation.pk}
        body = render_to_string("needs/email/consultation_acknowledgement.txt", {"consultation": consultation})
    _send(consultation, subject, body)


def consultation_answer_send(*, consultation: ConsultationRequest) -> None:
    """E-mail the answer to the contact address, in the submitter's language. Side effect: one e-mail."""
    with translation.override(consultation.language):
        subject = gettext("Answer to your consultation (no. %(number)d)") % {"number": consultation.pk}
        body = render_to_string("needs/email/consultation_answer.txt", {"consultation": consultation})
    _send(consultation, subject, body)


def _send(consultation: ConsultationRequest, subject: str, body: str) -> None:
    message = EmailMessage(
        subject,
        body,
        settings.DEFAULT_FROM_EMAIL,
        [consultation.contact_email],
        headers={"Content-Language": consultation.language},
    )
    message.send()
