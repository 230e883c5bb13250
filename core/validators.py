"""Checks an import runs on each untrusted text cell before anything parses or stores it.

Integers are ASCII digits within what the model field can hold on every database (`\\d` and `str.isdigit` also
take '١', '７' and '²', and `int()` refuses '²' and numbers past 4,300 digits); texts are within the field's
max_length and free of control characters (PostgreSQL refuses NUL: a DataError when the import is confirmed).
"""

import re

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.backends.base.operations import BaseDatabaseOperations
from django.utils.translation import gettext as _

ASCII_DIGITS = re.compile(r"[0-9]+")
# C0 and C1 controls and lone surrogates; a multi-line text keeps its tabs and line ends.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_CONTROL_IN_LINES = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def integer_range(model_field, low: int | None = None, high: int | None = None) -> tuple[int, int]:
    """The integers `model_field` can store on every supported database, narrowed by its own Min/Max validators
    and by `low`/`high` (the import format's own limits)."""
    lows, highs = [low], [high]
    # The ranges of Django's base backend: PostgreSQL's, so SQLite tests accept exactly what production does.
    field_low, field_high = BaseDatabaseOperations.integer_field_ranges[model_field.get_internal_type()]
    lows.append(field_low)
    highs.append(field_high)
    for validator in model_field.validators:
        if isinstance(validator, MinValueValidator):
            lows.append(validator.limit_value)
        elif isinstance(validator, MaxValueValidator):
            highs.append(validator.limit_value)
    return max(v for v in lows if v is not None), min(v for v in highs if v is not None)


def ascii_integer(text: str, bounds: tuple[int, int]) -> int | None:
    """The integer that `text` writes in ASCII digits (no sign), when it lies within `bounds`; otherwise None.
    A number with more digits than the upper bound is refused unparsed."""
    low, high = bounds
    if not ASCII_DIGITS.fullmatch(text):
        return None
    digits = text.lstrip("0") or "0"  # "07" is 7; a thousand zeros in front do not make it long
    if len(digits) > len(str(high)):
        return None
    value = int(digits)
    return value if low <= value <= high else None


def text_problem(text: str, max_length: int | None, *, multiline: bool = False) -> str | None:
    """Why `text` cannot be stored in a text field of `max_length` (translated), or None when it can."""
    found = (_CONTROL_IN_LINES if multiline else _CONTROL).search(text)
    if found:
        return _("Contains a control character (U+%(code)04X) at character %(position)d: remove it.") % {
            "code": ord(found.group()),
            "position": found.start() + 1,
        }
    if max_length is not None and len(text) > max_length:
        return _("Too long: at most %(limit)d characters.") % {"limit": max_length}
    return None


def excerpt(text: str, limit: int = 40) -> str:
    """`text` as an error message may quote it: control characters shown as U+FFFD, at most `limit` characters
    (a message is shown on a page and kept in the import's summary, where PostgreSQL refuses NUL)."""
    clean = _CONTROL.sub("\ufffd", text)
    return clean if len(clean) <= limit else clean[: limit - 1] + "…"
