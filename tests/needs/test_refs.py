"""Need references: what is taken in is ASCII (`validate_need_ref`), and the generator draws a fresh `N-<year>-<n>`
whatever references are already stored, digits of any script and huge numbers included."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from needs.enums import Pathway
from needs.models import Need
from needs.services.needs import need_create
from needs.validators import validate_need_ref

YEAR = timezone.localdate().year
GENERATED = re.compile(rf"N-{YEAR}-[0-9]{{4,}}")
NEED_DATA = {"title": "港湾警備用の水中ドローン", "description": "不審な水中物体を早期に発見したい。"}
# Digits that are not ASCII: str.isdigit() accepts all of them, int() only some.
OTHER_DIGITS = st.characters(categories=["Nd", "No", "Nl"]).filter(lambda c: not c.isascii())
# Any text PostgreSQL can store (no NUL, no lone surrogate).
STORED_TEXT = st.text(st.characters(codec="utf-8", exclude_characters="\x00"), min_size=1, max_size=23)


def refs_of_this_year(suffix):
    return st.builds(f"N-{YEAR}-{{}}".format, suffix)


ANY_STORED_REF = st.one_of(
    refs_of_this_year(st.text(OTHER_DIGITS, min_size=1, max_size=8)),
    refs_of_this_year(st.text(st.one_of(OTHER_DIGITS, st.sampled_from("0123456789")), min_size=1, max_size=8)),
    refs_of_this_year(st.integers(0, 10**23 - 1).map(str)),
    refs_of_this_year(st.integers(0, 9_999).map("{:04d}".format)),
    refs_of_this_year(STORED_TEXT),
    STORED_TEXT,
)


@pytest.fixture
def create(unit):
    def make(**extra) -> Need:
        return need_create(
            data={**NEED_DATA, "pathway": Pathway.EARLY_EQUIPMENT, **extra}, tech_fields=[], owner_unit=unit, actor=None
        )

    return make


@settings(max_examples=75, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(stored=st.lists(ANY_STORED_REF, min_size=1, max_size=6, unique=True))
def test_whatever_refs_are_stored_the_next_needs_get_fresh_generated_refs(create, unit, stored):
    with transaction.atomic():
        # Stored as an older import or a hand edit may have left them: not through validation.
        Need.objects.bulk_create(Need(ref=ref, title="旧", description="旧", owner_unit=unit) for ref in stored)
        refs = [create().ref, create().ref]
        assert all(GENERATED.fullmatch(ref) for ref in refs)
        assert len(set(refs) | set(stored)) == len(stored) + 2
        transaction.set_rollback(True)  # the next example starts from an empty table


def test_the_next_number_follows_the_highest_of_the_year(create, unit):
    for ref in (f"N-{YEAR}-0041", f"N-{YEAR}-0007", f"N-{YEAR}-²", f"N-{YEAR}-{'9' * 23}", f"N-{YEAR - 1}-0500"):
        Need.objects.create(ref=ref, title="旧", description="旧", owner_unit=unit)
    assert [create().ref, create().ref] == [f"N-{YEAR}-0042", f"N-{YEAR}-0043"]


def test_a_ref_already_taken_by_an_import_is_skipped(create, unit):
    first = create().ref
    number = int(first.rsplit("-", 1)[1])
    Need.objects.create(ref=f"N-{YEAR}-{number + 1:04d}", title="取込", description="取込", owner_unit=unit)
    assert create().ref == f"N-{YEAR}-{number + 2:04d}"


@given(ref=st.text(max_size=40))
def test_the_validator_takes_only_short_ascii_refs(ref):
    try:
        validate_need_ref(ref)
    except ValidationError as error:
        assert error.messages and error.code in {"ref_characters", "ref_length"}
    else:
        assert ref.isascii() and 1 <= len(ref) <= 30 and re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", ref)


@given(digits=st.text(OTHER_DIGITS, min_size=1, max_size=6))
def test_a_ref_with_digits_of_another_script_is_refused(digits):
    with pytest.raises(ValidationError):
        validate_need_ref(f"N-{YEAR}-{digits}")


@pytest.mark.parametrize("ref", ["GSDF-2025-001", "N-2026-0001", "atla_2026.7", "T-0001"])
def test_the_refs_in_use_are_valid(ref):
    validate_need_ref(ref)


def test_a_need_given_a_bad_ref_is_refused_on_that_field_and_nothing_is_written(create):
    with pytest.raises(ValidationError) as refused:
        create(ref=f"N-{YEAR}-²")
    assert "ref" in refused.value.message_dict
    assert not Need.objects.exists()
