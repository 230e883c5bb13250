"""Validators shared by every entry point of need data (model, form, API, import)."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

REF_MAX_LENGTH = 30
# ASCII only: str.isdigit() also accepts "²" or "٣", which int() then refuses or reads as another number.
REF_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*", re.ASCII)


def validate_need_ref(value: str) -> None:
    """A need reference such as `GSDF-2025-001`: ASCII letters and digits, `-`, `_` and `.`, at most 30."""
    if not isinstance(value, str) or not REF_PATTERN.fullmatch(value):
        raise ValidationError(
            _(
                "A reference is made of ASCII letters (A–Z), digits (0–9), hyphens, dots and underscores, "
                "and starts with a letter or a digit."
            ),
            code="ref_characters",
        )
    if len(value) > REF_MAX_LENGTH:
        raise ValidationError(
            _("A reference has at most %(limit)d characters."), code="ref_length", params={"limit": REF_MAX_LENGTH}
        )
