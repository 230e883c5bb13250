"""Writes on the catalogue: curators' edits. The shipped catalogue is installed by programs/catalogue.py."""

from django.db import transaction

from programs.models import SupportProgram
from programs.validators import check_program

EDITABLE_FIELDS = [
    "code",
    "parent",
    "position",
    "name_ja",
    "name_en",
    "description_ja",
    "description_en",
    "operator_ja",
    "operator_en",
    "category",
    "target_stages",
    "pathways",
    "max_amount_yen",
    "standard_amount_yen",
    "annual_amount_yen",
    "amount_note_ja",
    "amount_note_en",
    "rate_text",
    "rate_note_ja",
    "rate_note_en",
    "duration_months",
    "budget_yen",
    "budget_note_ja",
    "budget_note_en",
    "rhythm_ja",
    "rhythm_en",
    "always_open",
    "windows",
    "contact_office_ja",
    "contact_office_en",
    "contact_email",
    "url",
    "rules",
    "is_active",
]


def program_save(*, program: SupportProgram, data: dict, actor) -> SupportProgram:
    """Create or update a programme from checked form data. Raises ValidationError by field, saving nothing."""
    with transaction.atomic():
        for name in EDITABLE_FIELDS:
            if name in data:
                setattr(program, name, data[name])
        check_program(program)
        program.full_clean()
        program.updated_by = actor
        program.save()
    return program
