"""Leaks the crawl found outside the findings of issue 13, pinned down."""

from django.urls import reverse

from accounts.enums import OrganisationKind
from needs.enums import NeedStatus, Visibility
from tests.factories import OrganisationFactory, UserFactory
from tests.matchmaking.conftest import make_need


def test_the_admin_asked_to_delete_a_unit_names_its_needs_by_kind_not_by_title(client, db):
    unit = OrganisationFactory(kind=OrganisationKind.MOD_UNIT, unit_code="gsdf", corporate_number="")
    make_need(unit, "N-2024-0001", status=NeedStatus.DRAFT, title="下書きの秘密ニーズ")
    make_need(unit, "N-2024-0002", visibility=Visibility.GOVERNMENT, title="政府限定の秘密ニーズ")
    superuser = UserFactory(organisation=OrganisationFactory(kind=OrganisationKind.ADMIN), is_superuser=True)
    superuser.is_staff = True
    superuser.save()
    client.force_login(superuser)

    response = client.get(reverse("admin:accounts_organisation_delete", args=[unit.pk]))

    body = response.content.decode()
    assert response.status_code == 200
    assert "秘密ニーズ" not in body and "N-2024-000" not in body
    assert body.count("ニーズ") >= 2  # each protected need, by its kind
