"""Validators shared by every entry point of startup data (model, form, API, import)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def corporate_number_check_digit(base: str) -> int:
    """Check digit of a 12-digit corporate-number base (DESIGN.md §6).

    P1 is the lowest-order digit; odd positions weigh 1, even positions 2.
    """
    total = sum(int(digit) * (2 if position % 2 == 0 else 1) for position, digit in enumerate(reversed(base), 1))
    return 9 - total % 9


def is_valid_corporate_number(value: str) -> bool:
    return (
        isinstance(value, str)
        and len(value) == 13
        and value.isascii()
        and value.isdigit()
        and int(value[0]) == corporate_number_check_digit(value[1:])
    )


def validate_corporate_number(value: str) -> None:
    if not isinstance(value, str) or not value.isascii() or not value.isdigit():
        raise ValidationError(_("A corporate number contains digits only."), code="not_digits")
    if len(value) != 13:
        raise ValidationError(
            _("A corporate number has 13 digits; this one has %(length)d."),
            code="wrong_length",
            params={"length": len(value)},
        )
    if not is_valid_corporate_number(value):
        raise ValidationError(
            _("This corporate number's check digit is wrong: please check it for a typing error."),
            code="check_digit",
        )


def validate_trl(value: int) -> None:
    if value is not None and not 1 <= value <= 9:
        raise ValidationError(_("TRL is a level from 1 to 9."), code="trl_range")
