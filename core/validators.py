"""Checks an import runs on each untrusted text cell before anything parses or stores it.

Integers are ASCII digits within what the model field can hold on every database (`\\d` and `str.isdigit` also
take '١', '７' and '²', and `int()` refuses '²' and numbers past 4,300 digits); texts are within the field's
max_length and free of control characters (PostgreSQL refuses NUL: a DataError when the import is confirmed).
A coded cell (a technology field, a unit, a prefecture …) is looked up in its column's `Vocabulary`, which takes
the code or a label in either language, full- or half-width, in any case, and names the valid codes when it fails.
"""

import difflib
import re
import unicodedata
from dataclasses import dataclass

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.backends.base.operations import BaseDatabaseOperations
from django.utils import translation
from django.utils.translation import get_language
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


def lookup_key(text: str) -> str:
    """`text` as a coded column compares it: NFKC (full-width "ＡＩ" is "AI", half-width kana full), case-folded,
    with runs of spaces (the ideographic one too) made one."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


@dataclass(frozen=True)
class Term:
    """One value of a coded column: the code stored, its Japanese and English labels, other forms accepted."""

    code: str
    name_ja: str
    name_en: str
    aliases: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return self.name_en if get_language() == "en" else self.name_ja

    def named(self) -> str:
        """The code with its label, as an error message suggests it: "ai (人工知能・データ分析)", "東京都"."""
        if self.label == self.code:
            return self.code
        return _("%(code)s (%(label)s)") % {"code": self.code, "label": self.label}


def choice_terms(choices, aliases=None) -> list[Term]:
    """The terms of a TextChoices enum, labelled from the ja and en catalogues."""
    aliases = aliases or {}
    terms = []
    for choice in choices:
        with translation.override("ja"):
            name_ja = str(choice.label)
        with translation.override("en"):
            name_en = str(choice.label)
        terms.append(Term(choice.value, name_ja, name_en, tuple(aliases.get(choice.value, ()))))
    return terms


class Vocabulary:
    """The values a coded column of an import takes: a cell may hold the code or any label or alias of a term,
    compared by `lookup_key`. A code always means itself, then a label; an alias two terms share means neither."""

    SHORT = 10  # a list this short is spelt out in an error; a longer one is on the import page
    _NEAREST_INPUT = 60  # longer input is not worth comparing (a cell may be megabytes of anything)
    # Distinct unknown values compared per vocabulary (about 0.2 ms each): a list repeats its mistakes, and a
    # file of a million different ones must not hold the preview for minutes. Past it, errors say where the list is.
    _NEAREST_BUDGET = 500

    def __init__(self, column: str, terms: list[Term], *, title: str = ""):
        self.column = column
        self.terms = terms
        self.title = title  # what the column holds, as the import page names it
        self._by_key: dict[str, Term] = {}
        for term in terms:
            self._by_key.setdefault(lookup_key(term.code), term)
        for term in terms:
            for name in (term.name_ja, term.name_en):
                self._by_key.setdefault(lookup_key(name), term)
        claims: dict[str, set[str]] = {}
        for term in terms:
            for alias in term.aliases:
                claims.setdefault(lookup_key(alias), set()).add(term.code)
        by_code = {term.code: term for term in terms}
        for key, codes in claims.items():
            if len(codes) == 1 and key not in self._by_key:
                self._by_key[key] = by_code[next(iter(codes))]
        self._keys = list(self._by_key)
        self._nearest: dict[str, list[Term]] = {}

    @property
    def codes(self) -> list[str]:
        return [term.code for term in self.terms]

    def code_for(self, value: str) -> str | None:
        term = self._by_key.get(lookup_key(value))
        return term.code if term else None

    def aliases_of(self, term: Term) -> list[str]:
        """The aliases that do select `term` (not a code, label or shared alias), as the import page lists them."""
        shown = {lookup_key(term.code), lookup_key(term.name_ja), lookup_key(term.name_en)}
        kept = []
        for alias in term.aliases:
            key = lookup_key(alias)
            if key not in shown and self._by_key.get(key) is term:
                shown.add(key)
                kept.append(alias)
        return kept

    @property
    def table(self) -> list[tuple[Term, list[str]]]:
        """Each term with the aliases that select it, for the import page."""
        return [(term, self.aliases_of(term)) for term in self.terms]

    def nearest(self, value: str, limit: int = 3) -> list[Term]:
        """The terms whose code, label or alias `value` most resembles (at most `limit`)."""
        key = lookup_key(value)
        if key in self._nearest:
            return self._nearest[key]
        if len(key) > self._NEAREST_INPUT or len(self._nearest) >= self._NEAREST_BUDGET:
            return []
        found: list[Term] = []
        for match in difflib.get_close_matches(key, self._keys, n=limit * 4, cutoff=0.6):
            if self._by_key[match] not in found:
                found.append(self._by_key[match])
        self._nearest[key] = found[:limit]
        return self._nearest[key]

    def unknown(self, value: str) -> str:
        """The error for a cell value that is no term of this column: it names the column, the value and the
        valid codes (all of a short list, else the nearest and where the list is)."""
        values = {"value": excerpt(value), "column": self.column}
        if len(self.terms) <= self.SHORT:
            codes = ", ".join(term.named() for term in self.terms)
            return _("Unknown value “%(value)s” in %(column)s: write one of %(codes)s, or its label.") % {
                **values,
                "codes": codes,
            }
        nearest = ", ".join(term.named() for term in self.nearest(value))
        if nearest:
            message = _(
                "Unknown value “%(value)s” in %(column)s: did you mean %(nearest)s? The import page lists every "
                "valid code with its labels."
            )
            return message % {**values, "nearest": nearest}
        message = _("Unknown value “%(value)s” in %(column)s: the import page lists every valid code with its labels.")
        return message % values
