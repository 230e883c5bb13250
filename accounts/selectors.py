"""Reads on accounts and organisations, annotated so that list pages run a fixed number of queries."""

from django.contrib.auth import get_user_model
from django.db.models import Count, Prefetch, Q, QuerySet

from accounts.models import Organisation, Role


def organisation_list(*, query: str = "", kind: str = "") -> QuerySet[Organisation]:
    organisations = Organisation.objects.annotate(member_count=Count("members"))
    if query:
        organisations = organisations.filter(
            Q(name__icontains=query) | Q(name_en__icontains=query) | Q(corporate_number=query)
        )
    if kind:
        organisations = organisations.filter(kind=kind)
    return organisations.order_by("kind", "name")


def organisation_members(*, organisation: Organisation) -> QuerySet:
    return organisation.members.prefetch_related("roles").order_by("email")


def user_list(*, query: str = "", role: str = "", verified: str = "") -> QuerySet:
    users = (
        get_user_model()
        .objects.select_related("organisation")
        .prefetch_related(Prefetch("roles", queryset=Role.objects.order_by("code")))
    )
    if query:
        users = users.filter(
            Q(email__icontains=query)
            | Q(full_name__icontains=query)
            | Q(organisation__name__icontains=query)
            | Q(organisation__name_en__icontains=query)
        )
    if role:
        users = users.filter(roles__code=role)
    if verified == "yes":
        users = users.filter(email_verified_at__isnull=False)
    elif verified == "no":
        users = users.filter(email_verified_at__isnull=True)
    return users.order_by("email").distinct()


def audit_entries(
    *, q: str = "", actor: str = "", action: str = "", object_type: str = "", date_from=None, date_to=None
) -> QuerySet:
    """Audit entries, newest first; dates are whole days in Japan time (TIME_ZONE), both ends included."""
    from datetime import datetime, time, timedelta

    from django.utils import timezone

    from accounts.models import AuditEntry

    entries = AuditEntry.objects.all()
    if q:
        entries = entries.filter(Q(object_repr__icontains=q) | Q(note__icontains=q) | Q(object_id=q) | Q(request_id=q))
    if actor:
        entries = entries.filter(actor_email__icontains=actor)
    if action:
        entries = entries.filter(action=action)
    if object_type:
        entries = entries.filter(object_type=object_type)
    zone = timezone.get_default_timezone()
    if date_from:
        entries = entries.filter(created_at__gte=datetime.combine(date_from, time.min, zone))
    if date_to:
        entries = entries.filter(created_at__lt=datetime.combine(date_to + timedelta(days=1), time.min, zone))
    return entries
