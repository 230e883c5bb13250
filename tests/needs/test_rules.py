"""Need visibility (DESIGN.md §3): the object rule and the list filter agree, for every role × state."""

import itertools

import pytest

from accounts.enums import OrganisationKind, RoleCode, UnitCode
from accounts.models import Organisation
from needs.enums import NeedStatus, Visibility
from needs.models import Need
from needs.rules import can_view_need, need_visibility_q
from tests.factories import UserFactory

VIEWERS = ["anonymous", "unverified", "startup", "owning_author", "other_unit_author", "reviewer", "curator", "admin"]


@pytest.fixture
def viewers(unit, other_unit):
    from django.contrib.auth.models import AnonymousUser

    meti = Organisation.objects.create(name="経済産業省", kind=OrganisationKind.METI)
    admin_org = Organisation.objects.create(name="運営", kind=OrganisationKind.ADMIN)
    bureau = Organisation.objects.create(
        name="内部部局", kind=OrganisationKind.MOD_UNIT, unit_code=UnitCode.INTERNAL_BUREAU
    )
    return {
        "anonymous": AnonymousUser(),
        "unverified": UserFactory(email_verified_at=None, roles=[RoleCode.STARTUP_MEMBER]),
        "startup": UserFactory(roles=[RoleCode.STARTUP_MEMBER]),
        "owning_author": UserFactory(organisation=unit, roles=[RoleCode.NEED_AUTHOR]),
        "other_unit_author": UserFactory(organisation=other_unit, roles=[RoleCode.NEED_AUTHOR]),
        "reviewer": UserFactory(organisation=bureau, roles=[RoleCode.NEED_REVIEWER]),
        "curator": UserFactory(organisation=meti, roles=[RoleCode.CURATOR]),
        "admin": UserFactory(organisation=admin_org, roles=[RoleCode.PORTAL_ADMIN]),
    }


# Who sees a need, by status and visibility: published/closed needs by their visibility level; drafts,
# needs under review and withdrawn needs by the owning unit and reviewers only.
GOVERNMENT = {"owning_author", "other_unit_author", "reviewer", "curator"}
EXPECTED = {
    Visibility.PUBLIC: set(VIEWERS),
    Visibility.REGISTERED: {"startup", "owning_author", "other_unit_author", "reviewer", "curator", "admin"},
    Visibility.GOVERNMENT: GOVERNMENT,
}


def expected_viewers(status: str, visibility: str) -> set[str]:
    if status in (NeedStatus.PUBLISHED, NeedStatus.CLOSED):
        return EXPECTED[visibility]
    return {"owning_author", "reviewer"}


CASES = list(itertools.product(NeedStatus.values, Visibility.values))


@pytest.mark.parametrize(("status", "visibility"), CASES)
def test_object_rule_and_list_filter_agree_with_the_design(viewers, make_need, status, visibility):
    need = make_need(status=status, visibility=visibility)
    for name, user in viewers.items():
        allowed = name in expected_viewers(status, visibility)
        assert can_view_need(user, need) is allowed, (name, status, visibility)
        in_list = Need.objects.filter(need_visibility_q(user)).filter(pk=need.pk).exists()
        assert in_list is allowed, (name, status, visibility)
