"""Each eligibility rule on crafted startups, including unknown data; windows against a set date; ranking."""

import datetime

import pytest
from django.utils import translation

from programs.eligibility import StartupFacts, describe_rule, evaluate, evaluate_rule, recommend, window_state
from programs.models import SupportProgram

TODAY = datetime.date(2024, 10, 1)


def verdict(rule, **facts):
    with translation.override("en"):
        return evaluate_rule(rule, StartupFacts(**facts), today=TODAY)


@pytest.mark.parametrize(
    ("rule", "facts", "status", "field"),
    [
        ({"kind": "stage_in", "stages": ["seed"]}, {"stage": "seed"}, "met", ""),
        ({"kind": "stage_in", "stages": ["seed"]}, {"stage": "early"}, "unmet", ""),
        ({"kind": "stage_in", "stages": ["seed"]}, {}, "unknown", "stage"),
        ({"kind": "sme"}, {"is_sme": True}, "met", ""),
        ({"kind": "sme"}, {"is_sme": False}, "unmet", ""),
        ({"kind": "sme"}, {}, "unknown", "is_sme"),
        ({"kind": "vc_investment"}, {"has_vc_investment": True}, "met", ""),
        ({"kind": "vc_investment"}, {"has_vc_investment": False}, "unmet", ""),
        ({"kind": "vc_investment"}, {}, "unknown", "has_vc_investment"),
        ({"kind": "business_investment"}, {"has_business_investment": True}, "met", ""),
        ({"kind": "business_investment"}, {"has_business_investment": False}, "unmet", ""),
        ({"kind": "business_investment"}, {}, "unknown", "has_business_investment"),
        ({"kind": "investment_any"}, {"has_vc_investment": False, "has_business_investment": True}, "met", ""),
        ({"kind": "investment_any"}, {"has_vc_investment": True}, "met", ""),
        ({"kind": "investment_any"}, {"has_vc_investment": False, "has_business_investment": False}, "unmet", ""),
        ({"kind": "investment_any"}, {"has_vc_investment": False}, "unknown", "has_business_investment"),
        ({"kind": "partnership_memorandum"}, {"has_partnership_memorandum": True}, "met", ""),
        ({"kind": "partnership_memorandum"}, {"has_partnership_memorandum": False}, "unmet", ""),
        ({"kind": "partnership_memorandum"}, {}, "unknown", "has_partnership_memorandum"),
        ({"kind": "designation_any", "programs": ["jstartup", "jva"]}, {"designations": frozenset({"jva"})}, "met", ""),
        ({"kind": "designation_any", "programs": ["jstartup"]}, {"designations": frozenset({"jva"})}, "unmet", ""),
        ({"kind": "not_designated", "programs": ["fastar"]}, {"designations": frozenset({"fastar"})}, "unmet", ""),
        ({"kind": "not_designated", "programs": ["fastar"]}, {}, "met", ""),
        ({"kind": "founded_within_years", "years": 10}, {"founded_year": 2014}, "met", ""),
        ({"kind": "founded_within_years", "years": 10}, {"founded_year": 2013}, "unmet", ""),
        ({"kind": "founded_within_years", "years": 10}, {}, "unknown", "founded_year"),
        ({"kind": "trl_range", "min": 3, "max": 6}, {"trl": 3}, "met", ""),
        ({"kind": "trl_range", "min": 3, "max": 6}, {"trl": 7}, "unmet", ""),
        ({"kind": "trl_range", "min": 3, "max": 6}, {}, "unknown", "trl"),
    ],
)
def test_rule_verdict_and_the_field_that_would_settle_it(rule, facts, status, field):
    result = verdict(rule, **facts)
    assert (result.status, result.field) == (status, field)
    assert result.text  # a sentence, never a bare code


def test_reasons_name_the_facts_in_the_readers_language():
    rule = {"kind": "stage_in", "stages": ["seed"]}
    assert verdict(rule, stage="early").text == "For the Seed stage only; your company is at the Early stage."
    with translation.override("ja"):
        japanese = evaluate_rule(rule, StartupFacts(stage="early"), today=TODAY).text
    assert "シード" in japanese and "アーリー" in japanese


def test_an_advantage_never_excludes_and_carries_its_note():
    rule = {"kind": "designation_any", "programs": ["jstartup"], "required": False, "note_en": "Earns points."}
    result = verdict(rule)
    assert (result.status, result.required, result.note) == ("unmet", False, "Earns points.")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("facts", "status"),
    [
        ({"stage": "seed", "has_vc_investment": True}, "eligible"),
        ({"stage": "seed"}, "incomplete"),  # VC investment unknown: the startup is asked to say
        ({"stage": "seed", "has_vc_investment": False}, "ineligible"),
        ({"stage": "early", "has_vc_investment": True}, "ineligible"),
    ],
)
def test_deeptech_seed_tier_needs_the_seed_stage_and_vc_investment(facts, status):
    program = SupportProgram.objects.get(code="deeptech_seed")
    assert evaluate(program, StartupFacts(**facts), today=TODAY).status == status


@pytest.mark.django_db
def test_recommendations_put_requirements_met_first_then_unsettled_then_open_to_all_and_leave_out_the_rest():
    facts = StartupFacts(stage="seed", is_sme=True, trl=4, founded_year=2021)  # VC investment unknown
    ranked = recommend(SupportProgram.objects.all(), facts, today=TODAY)
    codes = [item.program.code for item in ranked]
    # A split programme is represented by its tiers; tiers for other stages are left out.
    assert not {"deeptech", "gotech", "deeptech_early", "deeptech_mass"} & set(codes)
    assert codes.index("fastar") < codes.index("deeptech_seed") < codes.index("jva")
    assert ranked[codes.index("deeptech_seed")].status == "incomplete"
    assert ranked[codes.index("jva")].status == "eligible"  # no requirement: open to every company


def program(**fields):
    return SupportProgram(code="x", name_ja="x", name_en="x", **fields)


@pytest.mark.parametrize(
    ("windows", "always", "open_now", "deadline", "opening"),
    [
        ([], True, True, None, None),
        ([{"opens": "2024-09-01", "closes": "2024-10-25"}], False, True, datetime.date(2024, 10, 25), None),
        ([{"opens": "2024-10-01", "closes": "2024-10-01"}], False, True, datetime.date(2024, 10, 1), None),
        ([{"opens": "2024-02-16", "closes": "2024-04-19"}], False, False, None, None),
        (
            [{"opens": "2024-12-02", "closes": "2024-12-03"}],
            False,
            False,
            datetime.date(2024, 12, 3),
            datetime.date(2024, 12, 2),
        ),
        ([{"opens": "2025-04-01"}], False, False, None, datetime.date(2025, 4, 1)),
    ],
)
def test_open_now_and_next_dates_are_relative_to_japans_today(windows, always, open_now, deadline, opening):
    state = window_state(program(windows=windows, always_open=always), today=TODAY)
    assert (state.open_now, state.next_deadline, state.next_opening) == (open_now, deadline, opening)


def test_a_rule_is_described_without_a_startup():
    with translation.override("en"):
        text = describe_rule({"kind": "trl_range", "min": 3, "max": 6, "required": False, "note_en": "Guidance."})
    assert text == "Advantage: TRL range: 3–6 Guidance."
