"""Amounts as people read them, and the recommendation panel shown on the home page and startup profiles."""

from decimal import Decimal

from django import template
from django.utils.translation import get_language

from programs.selectors.catalogue import eligibility_context, startup_recommendations
from seeds.selectors import startup_managed_by

register = template.Library()

_JA_UNITS = [(10**12, "兆"), (10**8, "億"), (10**4, "万")]
_EN_UNITS = [(10**12, "tn"), (10**9, "bn"), (10**6, "m")]


def _trim(value: Decimal) -> str:
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return text


@register.filter
def yen(amount) -> str:
    """¥3,000,000,000 as 30億円 in Japanese and ¥3bn in English; None as an em dash."""
    if amount in (None, ""):
        return "—"
    amount = int(amount)
    units = _JA_UNITS if get_language() != "en" else _EN_UNITS
    for size, unit in units:
        if amount >= size:
            number = _trim(Decimal(amount) / size)
            return f"{number}{unit}円" if get_language() != "en" else f"¥{number}{unit}"
    return f"{amount:,}円" if get_language() != "en" else f"¥{amount:,}"


@register.filter
def stage_labels(codes) -> list[str]:
    from seeds.enums import StartupStage

    labels = dict(StartupStage.choices)
    return [str(labels.get(code, code)) for code in codes]


@register.filter
def pathway_labels(codes) -> list[str]:
    from needs.enums import Pathway

    labels = dict(Pathway.choices)
    return [str(labels.get(code, code)) for code in codes]


@register.inclusion_tag("programs/includes/recommendations.html", takes_context=True)
def program_recommendations(context, startup, limit: int = 6):
    """The programmes a startup may apply to, for government users and its own members; nothing for others."""
    user = context["request"].user
    if startup is None or not user.has_perm("programs.view_startup_programs", startup):
        return {"shown": False}
    items = startup_recommendations(startup=startup)
    return {
        "shown": True,
        "items": items[:limit],
        "more": max(len(items) - limit, 0),
        **eligibility_context(user, startup),
    }


@register.inclusion_tag("programs/includes/recommendations.html", takes_context=True)
def my_program_recommendations(context, limit: int = 6):
    """On a startup member's home page: the recommendations for the company their organisation manages."""
    user = context["request"].user
    startup = startup_managed_by(organisation_id=getattr(user, "organisation_id", None))
    return program_recommendations(context, startup, limit)
