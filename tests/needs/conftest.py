from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.enums import OrganisationKind, UnitCode
from accounts.models import Organisation
from needs.enums import NeedStatus, Pathway, Visibility
from needs.models import Need

# The proposal pages' world (proposals of two startups, one user per role), shared with the audit tests.
from tests.needs.test_proposal_pages import world  # noqa: F401


@pytest.fixture
def unit(db):
    return Organisation.objects.get_or_create(
        unit_code=UnitCode.GSDF, defaults={"name": "陸上幕僚監部", "kind": OrganisationKind.MOD_UNIT}
    )[0]


@pytest.fixture
def other_unit(db):
    return Organisation.objects.get_or_create(
        unit_code=UnitCode.MSDF, defaults={"name": "海上幕僚監部", "kind": OrganisationKind.MOD_UNIT}
    )[0]


@pytest.fixture
def make_need(unit):
    counter = iter(range(1, 10_000))

    def make(*, status=NeedStatus.PUBLISHED, visibility=Visibility.PUBLIC, owner=None, deadline_days=30, **extra):
        number = next(counter)
        need = Need.objects.create(
            ref=f"T-{number:04d}",
            title=f"試験ニーズ{number}",
            description="基地周辺の小型無人機を早期に探知したい。",
            owner_unit=owner or unit,
            pathway=Pathway.EARLY_EQUIPMENT,
            visibility=visibility,
            status=status,
            proposal_deadline=None if deadline_days is None else timezone.now() + timedelta(days=deadline_days),
            **extra,
        )
        need.search_text = need.build_search_text()
        need.save()
        return need

    return make
