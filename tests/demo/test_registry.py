"""`load_demo`'s startup registry: enough fictional companies, every field covered, and safe to re-run."""

from collections import Counter

from accounts.models import User
from demo import meetings, needs_data, registry
from demo.management.commands.load_demo import PENDING_CLAIM
from demo.people import STARTUP_MEMBER
from demo.registry_data import STARTUPS
from seeds.enums import ClaimStatus
from seeds.models import CuratorNote, Designation, Product, Startup, StartupClaim, TechField
from seeds.validators import is_valid_corporate_number


def test_the_registry_holds_every_demo_company_with_its_designations_products_and_notes(demo):
    assert Startup.objects.count() == len(STARTUPS) >= 40
    assert Designation.objects.exists() and Product.objects.exists() and CuratorNote.objects.exists()


def test_demo_startups_cover_every_tech_field_at_least_twice(demo):
    uses = Counter(Startup.tech_fields.through.objects.values_list("techfield__code", flat=True))
    assert set(uses) == set(TechField.objects.values_list("code", flat=True))
    assert len(uses) == 20
    assert min(uses.values()) >= 2


def test_demo_startups_are_well_formed(demo):
    for startup in Startup.objects.prefetch_related("designations"):
        assert is_valid_corporate_number(startup.corporate_number)
        assert startup.name.startswith(("株式会社", "合同会社")) and startup.name_en
        assert 2 <= len(startup.technologies) <= 5
        assert startup.trl is None or 2 <= startup.trl <= 9
        assert 2010 <= startup.founded_year <= 2024
        assert startup.website.startswith("https://") and startup.website.endswith(".example.jp")
        assert startup.contact_email.endswith(".example.jp")
        assert startup.search_text == startup.build_search_text(list(startup.products.values_list("name", flat=True)))
        assert all(designation.source_note for designation in startup.designations.all())
    others = Startup.objects.exclude(corporate_number__in=[demo.number for demo in STARTUPS[:3]])
    assert all(
        710_000_000_000 <= int(number[1:]) <= 719_999_999_999
        for number in others.values_list("corporate_number", flat=True)
    )


def test_each_company_that_takes_part_is_managed_by_its_member(demo):
    taking_part = needs_data.companies() | meetings.companies()
    for slug in taking_part:
        startup = registry.company(slug)
        member = User.objects.get(email=registry.member_email(slug))
        assert startup.organisation_id == member.organisation_id
        assert member.has_perm("seeds.edit_startup_profile", startup)
    user = User.objects.get(email=STARTUP_MEMBER)
    assert Startup.objects.get(organisation=user.organisation).name == "株式会社ソラミチ・ロボティクス"
    assert not user.has_perm(
        "seeds.edit_startup_profile", Startup.objects.exclude(organisation=user.organisation).first()
    )


def test_one_company_claim_waits_for_the_curators(demo):
    claim = StartupClaim.objects.get(status=ClaimStatus.PENDING)
    assert claim.startup == registry.company(PENDING_CLAIM) and claim.startup.organisation is None
    assert claim.requested_by.email == registry.member_email(PENDING_CLAIM)


def test_demo_search_finds_japanese_and_english_words(demo):
    from seeds.selectors import StartupFilters, startup_list

    curator = User.objects.get(email="curator@demo.example.jp")
    assert startup_list(user=curator, filters=StartupFilters(q="四脚")).filter(name__contains="ソラミチ").exists()
    assert startup_list(user=curator, filters=StartupFilters(q="disinformation")).count() == 1


def test_demo_startups_have_the_profile_facts_that_programmes_ask_about(demo):
    from programs.selectors.catalogue import startup_recommendations

    startup = Startup.objects.prefetch_related("designations").get(
        organisation__members__email="startup@demo.example.jp"
    )
    assert startup.is_sme is True and startup.has_vc_investment is True
    eligible = [item.program.code for item in startup_recommendations(startup=startup) if item.status == "eligible"]
    assert "deeptech_early" in eligible  # an early-stage company with VC money
