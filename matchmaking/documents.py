"""Turning registry and need rows into the scorer's documents (matchmaking.scoring knows nothing of Django)."""

from django.db.models import QuerySet

from matchmaking.scoring.matcher import NeedDoc, StartupDoc, need_doc, startup_doc
from needs.enums import NeedStatus
from needs.models import Need
from seeds.models import Startup

# Needs that get matches: everything a unit is still working on or has published; not withdrawn ones.
SCORED_NEED_STATUSES = (NeedStatus.DRAFT, NeedStatus.SUBMITTED, NeedStatus.PUBLISHED, NeedStatus.CLOSED)


def scored_needs() -> QuerySet[Need]:
    return Need.objects.filter(status__in=SCORED_NEED_STATUSES)


def need_documents(needs: QuerySet[Need]) -> list[NeedDoc]:
    return [
        need_doc(
            str(need.pk),
            title=need.title,
            description=need.description,
            desired_capabilities=need.desired_capabilities,
            tech_fields=[field.code for field in need.tech_fields.all()],
            min_trl=need.min_trl,
            pathway=need.pathway,
        )
        for need in needs.prefetch_related("tech_fields").order_by("pk")
    ]


def startup_documents(startups: QuerySet[Startup]) -> list[StartupDoc]:
    return [
        startup_doc(
            str(startup.pk),
            name=startup.name,
            name_en=startup.name_en,
            description=startup.description,
            technologies=startup.technologies,
            products=[product.name for product in startup.products.all()],
            tech_fields=[field.code for field in startup.tech_fields.all()],
            trl=startup.trl,
            designations=[designation.program for designation in startup.designations.all()],
        )
        for startup in startups.prefetch_related("tech_fields", "products", "designations").order_by("pk")
    ]
