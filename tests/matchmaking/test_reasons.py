"""Reasons and pathway hints worded in the active language: labels from the concept dictionary, TechField,
DesignationProgram and Pathway; sentences from the catalogue; codes the module does not know yet still shown."""

import pytest
from django.utils import translation

from matchmaking.reasons import (
    component_label,
    concept_label,
    pathway_hint_text,
    reason_text,
    reason_texts,
    tech_field_labels,
)
from matchmaking.scoring.matcher import Reason
from needs.enums import Pathway
from seeds.enums import DesignationProgram

UAV = ("uav", "無人航空機", "UAV")
RADAR = ("radar", "レーダー", "radar")
LABELS = {"sensing": "センシング・探知", "unmanned": "無人アセット"}


def catalogue(msgid: str, language: str, **params) -> str:
    with translation.override(language):
        return translation.gettext(msgid) % params


def in_language(language: str, code: str, params: dict, labels=LABELS) -> str:
    with translation.override(language):
        return reason_text(code, params, field_labels=labels)


def test_concept_labels_are_japanese_with_the_english_in_brackets_or_english():
    with translation.override("ja"):
        assert concept_label(UAV) == "無人航空機 (UAV)"
        assert concept_label(("sar", "SAR", "SAR")) == "SAR"
    with translation.override("en"):
        assert concept_label(UAV) == "UAV"


@pytest.mark.parametrize("language", ["ja", "en"])
def test_shared_concepts_use_the_catalogues_sentence(language):
    text = in_language(language, "shared_concepts", {"concepts": [UAV, RADAR]})
    with translation.override(language):
        concepts = translation.pgettext("list separator", ", ").join([concept_label(UAV), concept_label(RADAR)])
    assert text == catalogue("Shared technology: %(concepts)s", language, concepts=concepts)


def test_stored_reasons_with_lists_for_tuples_are_read_too():
    """Reasons kept as JSON (`{"code", "params"}`, tuples become lists) read like the scorer's own."""
    with translation.override("en"):
        stored = reason_texts([{"code": "shared_concepts", "params": {"concepts": [list(UAV)]}}], field_labels={})
        live = reason_texts([Reason("shared_concepts", {"concepts": [UAV]})], field_labels={})
    assert stored == live and "UAV" in live[0].text


@pytest.mark.parametrize("language", ["ja", "en"])
def test_trl_sentences_carry_the_numbers(language):
    assert in_language(language, "trl_ok", {"trl": 6, "min": 5}) == catalogue(
        "TRL %(trl)d ≥ required %(min)d", language, trl=6, min=5
    )
    short = in_language(language, "trl_short", {"trl": 3, "min": 6, "gap": 3})
    with translation.override(language):
        expected = translation.ngettext(
            "TRL %(trl)d < required %(min)d (%(gap)d level short)",
            "TRL %(trl)d < required %(min)d (%(gap)d levels short)",
            3,
        ) % {"trl": 3, "min": 6, "gap": 3}
    assert short == expected
    assert "3" in short and "6" in short
    assert "5" in in_language(language, "trl_unknown", {"min": 5})
    assert in_language(language, "no_min_trl", {"trl": None})
    assert "7" in in_language(language, "no_min_trl", {"trl": 7})


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "sensing"), [("ja", "センシング・探知"), ("en", "Sensing and detection")])
def test_field_names_come_from_the_taxonomy_in_the_active_language(language, sensing):
    with translation.override(language):
        labels = tech_field_labels()
        assert labels["sensing"] == sensing
        for code in ("field_overlap", "field_inferred"):
            assert sensing in reason_text(code, {"fields": ["sensing"]}, field_labels=labels)
        assert sensing in reason_text("no_field_overlap", {"need_fields": ["sensing"]}, field_labels=labels)
        assert "unknown_field" in reason_text("field_overlap", {"fields": ["unknown_field"]}, field_labels=labels)


@pytest.mark.parametrize("language", ["ja", "en"])
def test_designations_use_the_programme_labels(language):
    text = in_language(language, "designations", {"programs": ["jstartup", "jva"]})
    with translation.override(language):
        assert str(DesignationProgram.JSTARTUP.label) in text and str(DesignationProgram.JVA.label) in text


def test_a_weak_match_says_so_without_its_number():
    for code in ("weak_match", "weak_text_match"):
        text = in_language("en", code, {"concepts": 0.042})
        assert text and "0.04" not in text


def test_an_unknown_reason_code_is_shown_not_dropped():
    assert "brand_new_code" in in_language("en", "brand_new_code", {"anything": 1})


@pytest.mark.parametrize("language", ["ja", "en"])
@pytest.mark.parametrize(
    "reason",
    ["trl_meets_min", "trl_meets_min_no_requirement", "trl_short_bridging", "trl_far_short", "trl_unknown"],
)
def test_pathway_hints_have_the_pathways_label_and_a_reason(language, reason):
    with translation.override(language):
        hint = pathway_hint_text("bridging_research", reason)
        assert hint["code"] == "bridging_research"
        assert hint["label"] == str(Pathway.BRIDGING_RESEARCH.label)
        assert hint["reason"] and reason not in hint["reason"]


def test_pathway_hint_edge_cases():
    assert pathway_hint_text("", "") == {"code": "", "label": "", "reason": ""}
    with translation.override("en"):
        hint = pathway_hint_text("new_route", "new_reason")
    assert hint["label"] == "new_route" and "new_reason" in hint["reason"]


def test_component_labels():
    with translation.override("en"):
        assert component_label("concepts") == str(translation.gettext("Shared technologies"))
        assert component_label("novelty") == "novelty"


@pytest.mark.parametrize(
    ("language", "expected"),
    [("ja", "課題『壁越しの探知 (through-wall sensing)』に対応する技術: UWBレーダ (UWB radar)"), ("en", "UWB radar")],
)
def test_a_solved_problem_names_the_problem_and_its_technologies(language, expected):
    params = {"problem": ("p_through_wall", "壁越しの探知", "through-wall sensing"), "technologies": [UWB_RADAR]}
    text = in_language(language, "solves", params)
    assert expected in text
    if language == "en":
        assert "through-wall sensing" in text


@pytest.mark.parametrize("language", ["ja", "en"])
def test_an_excluded_technology_is_shown_as_excluded(language):
    text = in_language(language, "excluded", {"concepts": [UAV]})
    with translation.override(language):
        assert text.startswith("除外: 無人航空機 (UAV)" if language == "ja" else "Excluded: UAV")


UWB_RADAR = ("uwb_radar", "UWBレーダ", "UWB radar")
