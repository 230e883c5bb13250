"""Reads on the startup registry. List queries filter by the same rules the detail pages check."""

from dataclasses import dataclass

from django.db.models import F, Prefetch, QuerySet, Value
from django.db.models.functions import Replace, Trim

from seeds.models import Designation, Startup, StartupClaim, StartupImport, normalise_for_search
from seeds.rules import can_browse_registry, is_startup_member

# Legal forms written before or after a company's name, in full and abbreviated. Sorting by the name without
# them keeps ソラミル合同会社 beside 株式会社そらみる instead of every 合同会社 before every 株式会社.
LEGAL_FORMS = (
    "株式会社", "合同会社", "有限会社", "合名会社", "合資会社",
    "一般社団法人", "一般財団法人", "公益社団法人", "公益財団法人", "特定非営利活動法人", "NPO法人",
    "国立大学法人", "学校法人", "(株)", "（株）", "㈱", "(同)", "（同）", "(有)", "（有）", "㈲", "　",
)  # fmt: skip


def _name_without_legal_form():
    """The registry's name sort key, as a database expression (the model has no kana reading to sort by)."""
    key = F("name")
    for form in LEGAL_FORMS:
        key = Replace(key, Value(form), Value(""))
    return Trim(key)


NAME_KEY = _name_without_legal_form()
SORTS = {
    "name": [NAME_KEY, "name"],
    "-updated": ["-updated_at", NAME_KEY, "name"],
    "trl": ["trl", NAME_KEY, "name"],
    "-trl": ["-trl", NAME_KEY, "name"],
    "founded": ["founded_year", NAME_KEY, "name"],
    "-founded": ["-founded_year", NAME_KEY, "name"],
}


@dataclass(frozen=True)
class StartupFilters:
    q: str = ""
    tech_field: str = ""
    trl_min: int | None = None
    trl_max: int | None = None
    program: str = ""
    prefecture: str = ""
    sort: str = "name"


def startup_visible_to(user) -> QuerySet[Startup]:
    """Every startup for government users and admins; a startup member sees only their own company."""
    if can_browse_registry(user):
        return Startup.objects.all()
    if is_startup_member(user) and user.organisation_id:
        return Startup.objects.filter(organisation_id=user.organisation_id)
    return Startup.objects.none()


def startup_search(queryset: QuerySet[Startup], text: str) -> QuerySet[Startup]:
    """Every whitespace-separated term must occur in the names, description, technologies or products."""
    for term in normalise_for_search(text).split():
        queryset = queryset.filter(search_text__contains=term)
    return queryset


def startup_list(*, user, filters: StartupFilters) -> QuerySet[Startup]:
    startups = startup_search(startup_visible_to(user), filters.q)
    if filters.tech_field:
        startups = startups.filter(tech_fields__code=filters.tech_field)
    if filters.trl_min is not None:
        startups = startups.filter(trl__gte=filters.trl_min)
    if filters.trl_max is not None:
        startups = startups.filter(trl__lte=filters.trl_max)
    if filters.program:
        startups = startups.filter(designations__program=filters.program)
    if filters.prefecture:
        startups = startups.filter(prefecture=filters.prefecture)
    if filters.tech_field or filters.program:
        startups = startups.distinct()
    return startups.prefetch_related(
        "tech_fields", Prefetch("designations", queryset=Designation.objects.order_by("program", "cohort"))
    ).order_by(*SORTS.get(filters.sort, SORTS["name"]))


def startup_detail(*, pk: int) -> Startup:
    return (
        Startup.objects.select_related("organisation")
        .prefetch_related("tech_fields", "products", "designations__added_by", "notes__author")
        .get(pk=pk)
    )


def startup_by_corporate_number(corporate_number: str) -> Startup | None:
    return Startup.objects.filter(corporate_number=corporate_number).first()


def pending_claims():
    from seeds.enums import ClaimStatus
    from seeds.models import StartupClaim

    return (
        StartupClaim.objects.filter(status=ClaimStatus.PENDING)
        .select_related("startup", "organisation", "requested_by")
        .order_by("created_at")
    )


def startup_managed_by(*, organisation_id: int | None) -> Startup | None:
    """The startup an organisation manages (its claim was approved), with what its profile page shows."""
    if organisation_id is None:
        return None
    return (
        Startup.objects.select_related("organisation")
        .prefetch_related("tech_fields", "products", "designations__added_by")
        .filter(organisation_id=organisation_id)
        .first()
    )


def startup_claims_of(*, organisation_id: int | None):
    """An organisation's claims, newest first."""
    if organisation_id is None:
        return StartupClaim.objects.none()
    return (
        StartupClaim.objects.filter(organisation_id=organisation_id).select_related("startup").order_by("-created_at")
    )


def startup_import_list(*, limit: int = 10):
    """The most recent uploaded lists, without their file contents (up to 10 MB each)."""
    return StartupImport.objects.defer("content").select_related("uploaded_by").order_by("-uploaded_at")[:limit]
