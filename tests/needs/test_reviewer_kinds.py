"""The need_reviewer role grants its powers only inside an MOD unit or ATLA: the role given by mistake to a
member of a VC, a startup, METI or the portal administration publishes nothing and reads no draft, on the
page as through the API (issue 13: a role held in the wrong kind of organisation)."""

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.enums import OrganisationKind, RoleCode, UnitCode
from accounts.models import Organisation
from needs.enums import NeedStatus
from needs.rules import can_view_need
from tests.factories import OrganisationFactory, UserFactory

ELSEWHERE = [OrganisationKind.VC, OrganisationKind.INDUSTRY, OrganisationKind.STARTUP, OrganisationKind.METI,
             OrganisationKind.ADMIN]  # fmt: skip


def reviewer_in(kind: str):
    if kind == OrganisationKind.ATLA:
        organisation = Organisation.objects.create(name="防衛装備庁", kind=kind, unit_code=UnitCode.ATLA)
    else:
        organisation = OrganisationFactory(kind=kind, corporate_number="")
    return UserFactory(organisation=organisation, roles=[RoleCode.NEED_REVIEWER])


@pytest.mark.parametrize("kind", ELSEWHERE)
def test_a_reviewer_outside_mod_and_atla_publishes_nothing_and_reads_no_draft(make_need, kind):
    submitted, draft = make_need(status=NeedStatus.SUBMITTED), make_need(status=NeedStatus.DRAFT)
    user = reviewer_in(kind)
    client = Client()
    client.force_login(user)
    client.post(reverse("needs:need_transition", args=[submitted.pk]), {"to": NeedStatus.PUBLISHED})
    api = APIClient()
    api.force_authenticate(user)
    assert api.get(f"/api/v1/needs/{draft.pk}/").status_code == 404
    submitted.refresh_from_db()
    assert submitted.status == NeedStatus.SUBMITTED
    assert not can_view_need(user, draft)
    assert not user.has_perm("needs.review_needs")
    assert client.get(reverse("needs:review_queue")).status_code == 403


def test_a_reviewer_of_atla_still_reviews(make_need):
    submitted = make_need(status=NeedStatus.SUBMITTED)
    client = Client()
    client.force_login(reviewer_in(OrganisationKind.ATLA))
    client.post(reverse("needs:need_transition", args=[submitted.pk]), {"to": NeedStatus.PUBLISHED})
    submitted.refresh_from_db()
    assert submitted.status == NeedStatus.PUBLISHED
