"""Checks on the catalogue's data fields, shared by the curator form, the catalogue loader and the API."""

import datetime
from decimal import Decimal
from fractions import Fraction

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from needs.enums import Pathway
from programs.enums import RuleKind
from seeds.enums import DesignationProgram, StartupStage

# The parameters each rule kind takes (besides `kind`, `required` and the optional notes).
RULE_PARAMETERS = {
    RuleKind.STAGE_IN: {"stages"},
    RuleKind.DESIGNATION_ANY: {"programs"},
    RuleKind.NOT_DESIGNATED: {"programs"},
    RuleKind.FOUNDED_WITHIN_YEARS: {"years"},
    RuleKind.TRL_RANGE: {"min", "max"},
}
COMMON_KEYS = {"kind", "required", "note_ja", "note_en"}


def parse_rate(text: str) -> Decimal | None:
    """A published rate as a fraction: "2/3" → 0.6667, "25%" → 0.25; blank → None."""
    text = text.strip().replace("％", "%").replace("／", "/")
    if not text:
        return None
    try:
        value = Fraction(text[:-1].strip()) / 100 if text.endswith("%") else Fraction(text)
    except (ValueError, ZeroDivisionError) as error:
        raise ValidationError(_("Write the rate as a fraction such as 2/3 or a percentage such as 25%.")) from error
    if not 0 < value <= 1:
        raise ValidationError(_("A rate lies between 0 and 1 (100%)."))
    return Decimal(value.numerator / value.denominator).quantize(Decimal("0.0001"))


def _check_rule(rule, number: int) -> None:
    def fail(message: str):
        raise ValidationError(_("Rule %(number)d: %(message)s") % {"number": number, "message": message})

    if not isinstance(rule, dict) or rule.get("kind") not in RuleKind.values:
        fail(_("each rule is an object whose “kind” is one of %(kinds)s.") % {"kinds": ", ".join(RuleKind.values)})
    kind = rule["kind"]
    unknown = set(rule) - COMMON_KEYS - RULE_PARAMETERS.get(kind, set())
    if unknown:
        fail(_("unknown keys: %(keys)s.") % {"keys": ", ".join(sorted(unknown))})
    if not isinstance(rule.get("required", True), bool):
        fail(_("“required” is true or false."))
    if kind == RuleKind.STAGE_IN and not _subset(rule.get("stages"), StartupStage.values):
        fail(_("“stages” lists stages among %(values)s.") % {"values": ", ".join(StartupStage.values)})
    if kind in (RuleKind.DESIGNATION_ANY, RuleKind.NOT_DESIGNATED) and not _subset(
        rule.get("programs"), DesignationProgram.values
    ):
        fail(_("“programs” lists designations among %(values)s.") % {"values": ", ".join(DesignationProgram.values)})
    if kind == RuleKind.FOUNDED_WITHIN_YEARS and not (_is_int(rule.get("years")) and 0 < rule["years"] <= 100):
        fail(_("“years” is a whole number of years from 1 to 100."))
    if kind == RuleKind.TRL_RANGE:
        low, high = rule.get("min", 1), rule.get("max", 9)
        if not (_is_int(low) and _is_int(high) and 1 <= low <= high <= 9):
            fail(_("“min” and “max” are TRLs from 1 to 9, min not above max."))


def _subset(values, allowed) -> bool:
    return isinstance(values, list) and bool(values) and set(values) <= set(allowed)


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def validate_rules(rules) -> None:
    if not isinstance(rules, list):
        raise ValidationError(_("The eligibility rules are a list of rule objects."))
    for number, rule in enumerate(rules, start=1):
        _check_rule(rule, number)


def validate_windows(windows) -> None:
    """Each window: {"label_ja", "label_en", "opens", "closes"}, dates as YYYY-MM-DD, at least one of the two."""
    if not isinstance(windows, list):
        raise ValidationError(_("The application windows are a list of window objects."))
    for number, window in enumerate(windows, start=1):
        if not isinstance(window, dict) or set(window) - {"label_ja", "label_en", "opens", "closes"}:
            raise ValidationError(
                _("Window %(number)d: use only the keys label_ja, label_en, opens and closes.") % {"number": number}
            )
        dates = [parse_date(window.get(key), number) for key in ("opens", "closes")]
        if dates == [None, None]:
            raise ValidationError(_("Window %(number)d: give an opening or a closing date.") % {"number": number})
        if None not in dates and dates[0] > dates[1]:
            raise ValidationError(_("Window %(number)d: it closes before it opens.") % {"number": number})


def parse_date(value, number: int = 0) -> datetime.date | None:
    if value in (None, ""):
        return None
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError) as error:
        raise ValidationError(
            _("Window %(number)d: dates are written YYYY-MM-DD, not “%(value)s”.") % {"number": number, "value": value}
        ) from error


def validate_stages(stages) -> None:
    if not isinstance(stages, list) or not set(stages) <= set(StartupStage.values):
        raise ValidationError(_("Target stages are among %(values)s.") % {"values": ", ".join(StartupStage.values)})


def validate_pathways(pathways) -> None:
    if not isinstance(pathways, list) or not set(pathways) <= set(Pathway.values):
        raise ValidationError(_("Pathways are among %(values)s.") % {"values": ", ".join(Pathway.values)})


def check_program(program) -> None:
    """Everything above on one programme (before saving it); errors by field. Also sets `rate` from `rate_text`."""
    errors = {}
    for field, check in (
        ("rules", validate_rules),
        ("windows", validate_windows),
        ("target_stages", validate_stages),
        ("pathways", validate_pathways),
    ):
        try:
            check(getattr(program, field))
        except ValidationError as error:
            errors[field] = error.messages
    try:
        program.rate = parse_rate(program.rate_text or "")
    except ValidationError as error:
        errors["rate_text"] = error.messages
    if program.parent_id and program.parent_id == program.pk:
        errors["parent"] = [_("A programme cannot be part of itself.")]
    elif program.parent_id and program.pk and program.tiers.exists():
        errors["parent"] = [_("A programme that has tiers cannot itself be a tier.")]
    if errors:
        raise ValidationError(errors)
