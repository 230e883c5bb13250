"""The public catalogue, its filters, and the programmes recommended to a startup."""

import datetime
from dataclasses import dataclass

from programs import clock
from programs.eligibility import ProgramEligibility, StartupFacts, evaluate, recommend, window_state
from programs.models import SupportProgram
from seeds.models import Startup
from seeds.services import ELIGIBILITY_FIELDS


@dataclass(frozen=True)
class CatalogueFilters:
    category: str = ""
    stage: str = ""
    pathway: str = ""
    open_now: bool = False


@dataclass(frozen=True)
class CatalogueRow:
    program: SupportProgram
    window: object  # eligibility.WindowState


def program_queryset():
    return SupportProgram.objects.filter(is_active=True).select_related("parent")


def catalogue(*, filters: CatalogueFilters = CatalogueFilters(), today: datetime.date | None = None) -> list:
    """Active programmes in catalogue order with their window state. Stage, pathway and "open now" are read from
    data fields and dates, so they are filtered here after one query (the catalogue holds tens of rows)."""
    today = today or clock.today()
    programs = program_queryset()
    if filters.category:
        programs = programs.filter(category=filters.category)
    rows = [CatalogueRow(program, window_state(program, today=today)) for program in programs]
    return [
        row
        for row in rows
        if (not filters.stage or filters.stage in row.program.target_stages)
        and (not filters.pathway or filters.pathway in row.program.pathways)
        and (not filters.open_now or row.window.open_now)
    ]


def program_detail(*, code: str) -> SupportProgram:
    return SupportProgram.objects.select_related("parent").prefetch_related("tiers").get(code=code)


def startup_for_eligibility(*, pk: int) -> Startup:
    return Startup.objects.prefetch_related("designations").get(pk=pk)


def startup_recommendations(*, startup: Startup, today: datetime.date | None = None) -> list[ProgramEligibility]:
    """Computed on read from the profile, so a profile change shows at once (nothing cached)."""
    return recommend(program_queryset(), StartupFacts.of(startup), today=today or clock.today())


def startup_program_eligibility(
    *, startup: Startup, program: SupportProgram, today: datetime.date | None = None
) -> ProgramEligibility:
    return evaluate(program, StartupFacts.of(startup), today=today or clock.today())


def eligibility_context(user, startup: Startup) -> dict:
    """What the eligibility templates need to offer the right "fill it in" link: members fill the eligibility
    facts; curators every field (seeds/services.py)."""
    return {
        "startup": startup,
        "member_fields": ELIGIBILITY_FIELDS,
        "can_edit": user.has_perm("seeds.edit_startup_profile", startup),
        "can_manage": user.has_perm("seeds.manage_registry"),
    }
