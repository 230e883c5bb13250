"""Hostile request input, refused at one place each: ids read from query parameters, NUL bytes in the address,
ids in the path past any database's integer range, and far dates in forms.

`str.isdigit()` accepts '²', '١٢' and '１２' (and `int()` then fails on '²' or turns the others into 12), and a
number of 10**30 overflows SQLite's integers; PostgreSQL can neither store nor compare a NUL character; a date of
9999-12-31 overflows as soon as a day is added to it or it is turned into a time of day in UTC.
"""

import datetime
from urllib.parse import unquote

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseBadRequest
from django.utils.translation import gettext as _

from core.validators import ascii_integer

MAX_ID = 2**63 - 1  # the largest id a bigint column holds (PostgreSQL's range; SQLite's too)


def parse_id(text) -> int | None:
    """The id that `text` writes in ASCII digits, from 1 to MAX_ID; None for anything else."""
    return ascii_integer(text, (1, MAX_ID)) if isinstance(text, str) else None


def query_id(params, key: str) -> int | None:
    """The id in query (or form) parameter `key`, or None when it is absent or not an id (see parse_id)."""
    return parse_id(params.get(key))


class HostileInputMiddleware:
    """A NUL character in the path or the query string is refused with 400 before any view or query sees it;
    an id in the path past MAX_ID names nothing (404)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path_info or "\x00" in unquote(request.META.get("QUERY_STRING", "")):
            message = _("The address contains a NUL character, which the portal does not accept.")
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if any(isinstance(value, int) and value > MAX_ID for value in (*view_args, *view_kwargs.values())):
            raise Http404
        return None


class CheckedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A ModelMultipleChoiceField whose values are checked before any query: ids must be ids (parse_id: SQLite
    cannot compare a number past its integers), text keys (to_field_name) must have no NUL (PostgreSQL cannot)."""

    def _check_values(self, value):
        for key in value if isinstance(value, list | tuple) else ():
            if ("\x00" in str(key)) if self.to_field_name else (parse_id(str(key)) is None):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": key}
                )
        return super()._check_values(value)


# --- Dates -------------------------------------------------------------------------------------------------
# Far from both ends of what `datetime` holds, so that adding days, weeks or months, or moving a day to another
# time zone, never overflows; wide enough for any date the portal deals in.
MIN_DATE = datetime.date(1900, 1, 1)
MAX_DATE = datetime.date(2999, 12, 31)


def validate_date_in_range(value: datetime.date) -> None:
    if not MIN_DATE <= value <= MAX_DATE:
        raise ValidationError(
            _("Enter a date between %(min)s and %(max)s."),
            code="date_out_of_range",
            params={"min": MIN_DATE.isoformat(), "max": MAX_DATE.isoformat()},
        )


class BoundedDateField(forms.DateField):
    """A DateField that refuses dates outside MIN_DATE..MAX_DATE with a form error."""

    default_validators = [validate_date_in_range]
