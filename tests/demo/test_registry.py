"""`load_demo`'s startup registry: enough fictional companies, every field covered, and safe to re-run."""

import io
from collections import Counter

import pytest
from django.core.management import call_command

from accounts.models import User
from demo.people import STARTUP_ORGANISATIONS
from demo.registry_data import STARTUPS
from seeds.models import CuratorNote, Designation, Product, Startup, TechField
from seeds.validators import is_valid_corporate_number


def registry_snapshot() -> dict:
    return {
        "startups": sorted(
            Startup.objects.values_list("corporate_number", "updated_at", "search_text", "organisation")
        ),
        "designations": Designation.objects.count(),
        "products": Product.objects.count(),
        "notes": CuratorNote.objects.count(),
        "tech_field_links": Startup.tech_fields.through.objects.count(),
    }


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=io.StringIO())


def test_load_demo_twice_changes_nothing(demo):
    before = registry_snapshot()
    call_command("load_demo", stdout=io.StringIO())
    assert registry_snapshot() == before
    assert len(before["startups"]) == len(STARTUPS) >= 40
    assert before["designations"] > 0 and before["products"] > 0 and before["notes"] > 0


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
    others = Startup.objects.exclude(corporate_number__in=[number for _n, _e, number in STARTUP_ORGANISATIONS])
    assert all(
        710_000_000_000 <= int(number[1:]) <= 719_999_999_999
        for number in others.values_list("corporate_number", flat=True)
    )


def test_demo_startup_organisations_manage_their_companies(demo):
    for _name, _name_en, number in STARTUP_ORGANISATIONS:
        startup = Startup.objects.get(corporate_number=number)
        assert startup.organisation.corporate_number == number
    user = User.objects.get(email="startup@demo.example.jp")
    startup = Startup.objects.get(organisation=user.organisation)
    assert startup.name == "株式会社ソラミチ・ロボティクス"
    assert user.has_perm("seeds.edit_startup_profile", startup)
    assert not user.has_perm("seeds.edit_startup_profile", Startup.objects.exclude(pk=startup.pk).first())


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
