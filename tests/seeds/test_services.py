"""Registry services beyond import: merge, claims, profile edits."""

import pytest
from django.core.exceptions import ValidationError

from accounts.enums import RoleCode
from seeds.enums import ClaimStatus
from seeds.models import CuratorNote, Designation, Startup, StartupClaim, StartupMerge, TechField
from seeds.services import (
    designation_add,
    product_add,
    startup_claim_decide,
    startup_claim_request,
    startup_merge,
    startup_note_add,
    startup_update,
)
from tests.factories import OrganisationFactory, make_corporate_number


def startup(n: int, **fields) -> Startup:
    values = {"corporate_number": make_corporate_number(500 + n), "name": f"株式会社統合{n}", **fields}
    created = Startup.objects.create(**values)
    created.search_text = created.build_search_text()
    created.save()
    return created


@pytest.fixture
def curator(user_with_role):
    return user_with_role(RoleCode.CURATOR)


def test_merge_moves_designations_notes_products_and_fields_and_keeps_a_record(curator):
    survivor = startup(1, trl=5)
    duplicate = startup(2, name_en="Merge Two", website="https://two.example.jp")
    duplicate.tech_fields.add(TechField.objects.get(code="space"))
    designation_add(startup=survivor, program="jstartup", cohort="2023", source_note="", actor=curator)
    designation_add(startup=duplicate, program="jstartup", cohort="2023", source_note="", actor=curator)
    designation_add(startup=duplicate, program="jva", cohort="2022", source_note="JVA 2022", actor=curator)
    startup_note_add(startup=duplicate, body="展示会で面談済み", actor=curator)
    product_add(startup=duplicate, name="観測衛星キット", description="", actor=curator)

    record = startup_merge(survivor=survivor, merged=duplicate, actor=curator)

    assert not Startup.objects.filter(pk=duplicate.pk).exists()
    survivor.refresh_from_db()
    assert set(survivor.designations.values_list("program", "cohort")) == {("jstartup", "2023"), ("jva", "2022")}
    assert Designation.objects.count() == 2
    assert survivor.notes.filter(body="展示会で面談済み").exists()
    assert survivor.products.filter(name="観測衛星キット").exists()
    assert list(survivor.tech_fields.values_list("code", flat=True)) == ["space"]
    assert survivor.name_en == "Merge Two" and survivor.trl == 5  # empty fields filled, own values kept
    assert "観測衛星キット".casefold() in survivor.search_text
    assert record.merged_corporate_number == duplicate.corporate_number
    assert record.actor == curator
    assert StartupMerge.objects.get().merged_snapshot["designations"] == ["jstartup:2023", "jva:2022"]
    assert CuratorNote.objects.filter(startup=survivor, body__contains=duplicate.corporate_number).exists()


def test_merging_a_startup_with_itself_is_refused(curator):
    only = startup(1)
    with pytest.raises(ValidationError):
        startup_merge(survivor=only, merged=only, actor=curator)
    assert Startup.objects.count() == 1


def test_claim_is_approved_by_a_curator_and_links_the_organisation(curator, user_with_role):
    company = startup(1)
    member = user_with_role(RoleCode.STARTUP_MEMBER)
    claim = startup_claim_request(corporate_number=company.corporate_number, actor=member, message="代表です")
    assert claim.status == ClaimStatus.PENDING
    startup_claim_decide(claim=claim, approve=True, actor=curator)
    company.refresh_from_db()
    assert company.organisation == member.organisation
    with pytest.raises(ValidationError):
        startup_claim_decide(claim=claim, approve=False, actor=curator)


def test_approving_one_claim_rejects_the_other_pending_claims_on_the_same_company(curator, user_with_role):
    company = startup(1)
    first = user_with_role(RoleCode.STARTUP_MEMBER)
    second_org = OrganisationFactory()
    from tests.factories import UserFactory

    second = UserFactory(organisation=second_org, roles=[RoleCode.STARTUP_MEMBER])
    claim = startup_claim_request(corporate_number=company.corporate_number, actor=first)
    other = startup_claim_request(corporate_number=company.corporate_number, actor=second)
    startup_claim_decide(claim=claim, approve=True, actor=curator)
    other.refresh_from_db()
    assert other.status == ClaimStatus.REJECTED
    with pytest.raises(ValidationError):
        startup_claim_request(corporate_number=company.corporate_number, actor=second)


def test_claim_for_an_unknown_company_is_refused(user_with_role):
    member = user_with_role(RoleCode.STARTUP_MEMBER)
    with pytest.raises(ValidationError):
        startup_claim_request(corporate_number=make_corporate_number(999), actor=member)
    assert not StartupClaim.objects.exists()


def test_member_edit_changes_profile_fields_only(curator):
    company = startup(1, trl=4)
    startup_update(
        startup=company,
        data={"description": "新しい説明 drone swarm", "trl": 9, "name": "別名"},
        actor=None,
        as_curator=False,
    )
    company.refresh_from_db()
    assert company.description == "新しい説明 drone swarm"
    assert company.trl == 4 and company.name == "株式会社統合1"
    assert "drone swarm" in company.search_text


def test_curator_edit_validates_trl(curator):
    company = startup(1)
    with pytest.raises(ValidationError):
        startup_update(startup=company, data={"trl": 12}, actor=curator, as_curator=True)
    company.refresh_from_db()
    assert company.trl is None
