"""Small display helpers for the registry pages."""

from django import template
from django.utils.translation import get_language

from seeds.prefectures import PREFECTURES

register = template.Library()

_ENGLISH_PREFECTURES = dict(PREFECTURES)


@register.filter
def prefecture_label(name: str) -> str:
    """A prefecture as stored (東京都), in English when the page is (Tokyo)."""
    if name and get_language() == "en":
        return _ENGLISH_PREFECTURES.get(name, name)
    return name


@register.filter
def technologies_text(technologies: list[str]) -> str:
    return "; ".join(technologies or [])
