"""The matcher's reasons and pathway hints as sentences in the active language.

The scorer (matchmaking.scoring.matcher) gives language-neutral `Reason(code, params)`; this module words them
with gettext. Concept labels come from the concept dictionary (Japanese label with the English one in
brackets on Japanese pages, the English label on English pages); technology fields from seeds.TechField;
programmes from seeds.enums.DesignationProgram; pathways from needs.enums.Pathway. A code this module does not
know yet (the scorer may add some) is shown by its code rather than dropped.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.utils.translation import get_language, gettext, ngettext, pgettext
from django.utils.translation import gettext_lazy as _

from needs.enums import Pathway
from seeds.enums import DesignationProgram

PATHWAY_REASONS = {
    "trl_meets_min": _("The technology's maturity meets the need's minimum TRL: a procurement route fits."),
    "trl_meets_min_no_requirement": _(
        "The need sets no minimum TRL and the technology is mature enough for a procurement route."
    ),
    "trl_short_bridging": _("One or two TRL levels short of the minimum: bridging research can close the gap."),
    "trl_far_short": _("Far from the maturity needed: research (breakthrough research or a support programme) first."),
    "trl_unknown": _("The startup's TRL is unknown: a technical proposal would show its maturity."),
}

COMPONENT_LABELS = {
    "text": _("Text"),
    "concepts": _("Shared technologies"),
    "solves": _("Technologies for the need's problems"),
    "fields": _("Technology fields"),
    "maturity": _("Maturity (TRL)"),
    "exclusion": _("Technologies the need excludes"),
}


@dataclass(frozen=True)
class ReasonText:
    code: str
    text: str


def tech_field_labels() -> dict[str, str]:
    """Technology field code → name in the active language (one query; pass the result to a batch)."""
    from seeds.models import TechField

    english = get_language() == "en"
    return {
        code: (en if english else ja) for code, ja, en in TechField.objects.values_list("code", "name_ja", "name_en")
    }


def _join(items: Iterable[str]) -> str:
    return pgettext("list separator", ", ").join(items)


def concept_label(concept) -> str:
    """A shared concept `(id, ja, en)`: 無人航空機 (UAV) on a Japanese page, UAV on an English one."""
    _id, ja, en = concept
    if get_language() == "en":
        return en or ja
    return f"{ja} ({en})" if en and en != ja else ja


def _fields(codes: Iterable[str], labels: Mapping[str, str]) -> str:
    return _join(labels.get(code, code) for code in codes)


def _programs(codes: Iterable[str]) -> str:
    known = dict(DesignationProgram.choices)
    return _join(str(known.get(code, code)) for code in codes)


def _trl_text(code: str, params: Mapping) -> str | None:
    if code == "trl_ok":
        return gettext("TRL %(trl)d ≥ required %(min)d") % {"trl": params["trl"], "min": params["min"]}
    if code == "trl_short":
        gap = params.get("gap", params["min"] - params["trl"])
        return ngettext(
            "TRL %(trl)d < required %(min)d (%(gap)d level short)",
            "TRL %(trl)d < required %(min)d (%(gap)d levels short)",
            gap,
        ) % {"trl": params["trl"], "min": params["min"], "gap": gap}
    if code == "trl_unknown":
        return gettext("TRL unknown (required %(min)d)") % {"min": params["min"]}
    if code == "no_min_trl":
        if params.get("trl") is None:
            return gettext("The need sets no minimum TRL")
        return gettext("The need sets no minimum TRL (the startup's TRL is %(trl)d)") % {"trl": params["trl"]}
    return None


def reason_text(code: str, params: Mapping, *, field_labels: Mapping[str, str]) -> str:
    """One reason as a sentence in the active language."""
    if code == "shared_concepts":
        concepts = _join(concept_label(concept) for concept in params.get("concepts", ()))
        return gettext("Shared technology: %(concepts)s") % {"concepts": concepts}
    if code == "excluded":
        concepts = _join(concept_label(concept) for concept in params.get("concepts", ()))
        return gettext("Excluded: %(concepts)s (the need asks for a way without them)") % {"concepts": concepts}
    if code == "solves":
        technologies = _join(concept_label(concept) for concept in params.get("technologies", ()))
        return gettext("Technology for the problem “%(problem)s”: %(technologies)s") % {
            "problem": concept_label(params["problem"]),
            "technologies": technologies,
        }
    if code == "field_overlap":
        return gettext("Technology fields in common: %(fields)s") % {
            "fields": _fields(params.get("fields", ()), field_labels)
        }
    if code == "field_inferred":
        return gettext("Covers the need's fields through its technologies: %(fields)s") % {
            "fields": _fields(params.get("fields", ()), field_labels)
        }
    if code == "no_field_overlap":
        return gettext("No technology field in common with the need (%(fields)s)") % {
            "fields": _fields(params.get("need_fields", ()), field_labels)
        }
    if code == "designations":
        return gettext("Designated by: %(programs)s") % {"programs": _programs(params.get("programs", ()))}
    if code in ("weak_match", "weak_text_match"):
        return gettext("Little in common between the texts: treat this match with caution")
    trl = _trl_text(code, params)
    if trl is not None:
        return trl
    return gettext("Other reason: %(code)s") % {"code": code}


def reason_texts(reasons: Iterable, *, field_labels: Mapping[str, str] | None = None) -> list[ReasonText]:
    """Reasons (matcher `Reason`s, or their stored form `{"code": …, "params": {…}}`) as sentences."""
    labels = tech_field_labels() if field_labels is None else field_labels
    texts = []
    for reason in reasons:
        if isinstance(reason, Mapping):
            code, params = reason["code"], reason.get("params", {})
        else:
            code, params = reason.code, reason.params
        texts.append(ReasonText(code, reason_text(code, params or {}, field_labels=labels)))
    return texts


def pathway_hint_text(code: str, reason: str) -> dict[str, str]:
    """A pair's suggested route: `{"code", "label", "reason"}` in the active language ("" when none)."""
    if not code:
        return {"code": "", "label": "", "reason": ""}
    label = str(dict(Pathway.choices).get(code, code))
    why = PATHWAY_REASONS.get(reason)
    text = str(why) if why is not None else (gettext("Other reason: %(code)s") % {"code": reason} if reason else "")
    return {"code": code, "label": label, "reason": text}


def component_label(name: str) -> str:
    label = COMPONENT_LABELS.get(name)
    return str(label) if label is not None else name
