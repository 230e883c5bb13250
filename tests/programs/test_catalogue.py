"""The catalogue installed by the data migration holds every programme the issue and the seed document name,
with the seed document's figures; the refresh command and the validators keep it sound."""

import io
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from programs.catalogue import CATALOGUE_PATH
from programs.models import SupportProgram
from programs.validators import check_program, parse_rate, validate_rules, validate_windows

pytestmark = pytest.mark.django_db

# Every programme and scheme the issue lists, by the code the catalogue gives it.
LISTED = [
    "jstartup",
    "startup_award",
    "prize_rd",
    "fastar",
    "jva",
    "joint_meeting",
    "entry_exhibition",
    "consultation_window",
    "early_equipment",
    "tech_proposal",
    "industry_day",
    "bridging_research",
    "breakthrough_research",
    "security_research",
    "deeptech",
    "deeptech_seed",
    "deeptech_early",
    "deeptech_mass",
    "gotech",
    "gotech_normal",
    "gotech_investment",
    "jstarx",
    "japan_innovation_campus",
    "jic_vgi",
    "rd_tax_oi",
    "carve_out",
    "innovation_box",
]

# (programme, field, value) — each one a figure of the seed document (令和6年9月).
FIGURES = [
    ("deeptech", "max_amount_yen", 3_000_000_000),  # 最大6年間・30億円補助
    ("deeptech", "duration_months", 72),
    ("deeptech", "rate_text", "2/3"),  # 補助率は最大2／3以内
    ("deeptech", "budget_yen", 100_000_000_000),  # 予算額1,000億円
    ("deeptech_seed", "standard_amount_yen", 300_000_000),  # 原則3億円
    ("deeptech_seed", "max_amount_yen", 500_000_000),  # 最大5億円
    ("deeptech_seed", "duration_months", 48),  # 最大4年
    ("deeptech_early", "standard_amount_yen", 500_000_000),  # 原則5億円
    ("deeptech_early", "max_amount_yen", 1_000_000_000),  # 最大10億円
    ("deeptech_mass", "max_amount_yen", 2_500_000_000),  # 補助上限25億円
    ("deeptech_mass", "rate_text", "2/3"),
    ("gotech", "budget_yen", 12_800_000_000),  # 128億円（令和6年度予算）
    ("gotech_normal", "annual_amount_yen", 45_000_000),  # 単年度4,500万円以下
    ("gotech_normal", "max_amount_yen", 97_500_000),  # 3年間合計9,750万円以下
    ("gotech_investment", "annual_amount_yen", 100_000_000),  # 単年度1億円以下
    ("gotech_investment", "max_amount_yen", 300_000_000),  # 3年間合計3億円以下
    ("gotech_normal", "rate_text", "2/3"),
    ("breakthrough_research", "budget_yen", 10_200_000_000),  # 102億円
    ("security_research", "budget_yen", 10_400_000_000),  # 104億円
    ("prize_rd", "budget_yen", 1_150_000_000),  # 2024年度11.5億円
    ("carve_out", "budget_yen", 1_000_000_000),  # 予算額10億円
    ("carve_out", "rate_text", "3/4"),
    ("jstarx", "budget_yen", 6_200_000_000),  # 62億円の内数
    ("jic_vgi", "budget_yen", 200_000_000_000),  # 2号ファンド 2,000億円
    ("rd_tax_oi", "rate_text", "25%"),  # スタートアップ等との共同・委託試験研究 25%
    ("innovation_box", "rate_text", "30%"),  # 所得控除率30%
    ("fastar", "duration_months", 12),  # 約1年間の伴走支援
    ("early_equipment", "duration_months", 60),  # 5年以内に装備化
    ("consultation_window", "contact_email", "industrialpolicy@atla.mod.go.jp"),
    ("consultation_window", "always_open", True),
]


@pytest.mark.parametrize("code", LISTED)
def test_the_migration_installs_every_listed_programme_with_both_names(code):
    program = SupportProgram.objects.get(code=code)
    assert program.name_ja and program.name_en and program.operator_ja and program.description_en


@pytest.mark.parametrize(("code", "field", "value"), FIGURES, ids=[f"{c}-{f}" for c, f, _v in FIGURES])
def test_catalogue_holds_the_seed_documents_figure(code, field, value):
    assert getattr(SupportProgram.objects.get(code=code), field) == value


def test_deeptech_tiers_belong_to_the_programme_and_require_what_the_document_says():
    deeptech = SupportProgram.objects.get(code="deeptech")
    assert set(deeptech.tiers.values_list("code", flat=True)) == {"deeptech_seed", "deeptech_early", "deeptech_mass"}
    seed, early, mass = (SupportProgram.objects.get(code=f"deeptech_{tier}") for tier in ("seed", "early", "mass"))
    assert {"kind": "vc_investment"} in seed.rules  # ※VCからの出資が必須
    assert {"kind": "investment_any"} in early.rules  # ※VC又は事業会社等からの出資が必須
    assert {"kind": "partnership_memorandum"} in mass.rules  # 事業連携に係る覚書等を得ていることが要件


def test_rates_are_stored_as_fractions_beside_their_published_text():
    assert SupportProgram.objects.get(code="deeptech").rate == Decimal("0.6667")
    assert SupportProgram.objects.get(code="rd_tax_oi").rate == Decimal("0.25")


def test_gotech_window_is_the_fy2024_call():
    window = SupportProgram.objects.get(code="gotech_normal").windows[0]
    assert (window["opens"], window["closes"]) == ("2024-02-16", "2024-04-19")


def test_every_shipped_programme_passes_the_validators():
    for program in SupportProgram.objects.all():
        check_program(program)


def test_load_programs_refreshes_curator_changes_and_creates_nothing_twice():
    SupportProgram.objects.filter(code="deeptech").update(max_amount_yen=1)
    out = io.StringIO()
    call_command("load_programs", stdout=out)
    assert out.getvalue().strip() == f"0 created, {len(LISTED)} updated"
    assert SupportProgram.objects.get(code="deeptech").max_amount_yen == 3_000_000_000
    assert SupportProgram.objects.count() == len(LISTED)


def test_load_programs_refuses_a_bad_file_and_changes_nothing(tmp_path):
    entries = json.loads(CATALOGUE_PATH.read_text(encoding="utf-8"))
    entries["programs"][0]["name_en"] = "Changed"
    entries["programs"][1]["rules"] = [{"kind": "no_such_rule"}]
    path = tmp_path / "catalogue.json"
    path.write_text(json.dumps(entries), encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("load_programs", str(path), stdout=io.StringIO())
    assert SupportProgram.objects.get(code="jstartup").name_en == "J-Startup"


@pytest.mark.parametrize(
    "rules",
    [
        {"kind": "sme"},
        [{"kind": "no_such_rule"}],
        [{"kind": "stage_in", "stages": ["teenage"]}],
        [{"kind": "trl_range", "min": 7, "max": 3}],
        [{"kind": "founded_within_years", "years": "ten"}],
        [{"kind": "sme", "required": "yes"}],
        [{"kind": "sme", "stages": ["seed"]}],
    ],
)
def test_malformed_rules_are_refused_with_a_reason(rules):
    with pytest.raises(ValidationError) as error:
        validate_rules(rules)
    assert error.value.messages[0]


@pytest.mark.parametrize(
    "windows", [[{"label_ja": "x"}], [{"opens": "2024-13-01"}], [{"opens": "2024-05-01", "closes": "2024-04-01"}]]
)
def test_malformed_windows_are_refused(windows):
    with pytest.raises(ValidationError):
        validate_windows(windows)


@pytest.mark.parametrize(("text", "value"), [("2/3", "0.6667"), ("１／２", "0.5000"), ("25%", "0.2500"), ("", None)])
def test_rates_are_read_as_published(text, value):
    assert parse_rate(text) == (Decimal(value) if value else None)


@pytest.mark.parametrize("text", ["two thirds", "3/2", "0%"])
def test_impossible_rates_are_refused(text):
    with pytest.raises(ValidationError):
        parse_rate(text)
