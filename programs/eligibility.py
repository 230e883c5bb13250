"""Eligibility of a startup for a programme, rule by rule: met, unmet or unknown, each with a reason in the
active language. Pure functions over `StartupFacts` (no database), so pages, API and tests share them.

A rule is a dict from the catalogue (programs/validators.py checks its shape). `required: false` marks an
advantage: it ranks a programme higher when met and never excludes it. An unknown fact names the profile field
that would settle it, so the page can ask the startup to fill it.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from programs.enums import EligibilityStatus, RuleKind, RuleStatus
from seeds.enums import DesignationProgram, StartupStage

MET, UNMET, UNKNOWN = RuleStatus.MET, RuleStatus.UNMET, RuleStatus.UNKNOWN


@dataclass(frozen=True)
class StartupFacts:
    stage: str = ""
    is_sme: bool | None = None
    has_vc_investment: bool | None = None
    has_business_investment: bool | None = None
    has_partnership_memorandum: bool | None = None
    founded_year: int | None = None
    trl: int | None = None
    designations: frozenset[str] = frozenset()

    @classmethod
    def of(cls, startup) -> "StartupFacts":
        """From a Startup whose designations are prefetched (or cheap to read)."""
        return cls(
            stage=startup.stage,
            is_sme=startup.is_sme,
            has_vc_investment=startup.has_vc_investment,
            has_business_investment=startup.has_business_investment,
            has_partnership_memorandum=startup.has_partnership_memorandum,
            founded_year=startup.founded_year,
            trl=startup.trl,
            designations=frozenset(d.program for d in startup.designations.all()),
        )


@dataclass(frozen=True)
class RuleResult:
    kind: str
    status: str
    required: bool
    text: str
    note: str = ""
    field: str = ""  # the profile field that would settle an unknown rule


@dataclass(frozen=True)
class WindowState:
    open_now: bool
    next_deadline: datetime.date | None = None
    next_opening: datetime.date | None = None


@dataclass(frozen=True)
class ProgramEligibility:
    program: object
    status: str
    results: list[RuleResult] = field(default_factory=list)
    window: WindowState = WindowState(open_now=False)

    @property
    def met(self) -> list[RuleResult]:
        return [result for result in self.results if result.status == MET]

    @property
    def unknown(self) -> list[RuleResult]:
        return [result for result in self.results if result.status == UNKNOWN]

    def rank_key(self) -> tuple:
        """Eligible through a requirement it meets first; then those the profile does not settle yet; then those
        open to every company (no requirement of substance). Within each: more advantages met, fewer unknowns,
        open now, the catalogue's order."""
        specific = [r for r in self.met if r.required and r.kind != RuleKind.NOT_DESIGNATED]
        group = 1 if self.status == EligibilityStatus.INCOMPLETE else (0 if specific else 2)
        advantages = sum(1 for result in self.met if not result.required)
        return (group, -len(specific), -advantages, len(self.unknown), not self.window.open_now, self.program.position)


def _stage_label(code: str) -> str:
    return str(dict(StartupStage.choices).get(code, code))


def _join(labels: Iterable[str]) -> str:
    return _(", ").join(labels)


def _programs_label(codes: Iterable[str]) -> str:
    labels = dict(DesignationProgram.choices)
    return _join(str(labels.get(code, code)) for code in codes)


def _stage(rule, facts, today):
    stages = _join(_stage_label(code) for code in rule["stages"])
    if not facts.stage:
        return (
            UNKNOWN,
            _("For companies at the %(stages)s stage; your stage is not recorded.") % {"stages": stages},
            ("stage"),
        )
    if facts.stage in rule["stages"]:
        return (
            MET,
            _("For the %(stages)s stage: your company is at the %(stage)s stage.")
            % {
                "stages": stages,
                "stage": _stage_label(facts.stage),
            },
            "",
        )
    return (
        UNMET,
        _("For the %(stages)s stage only; your company is at the %(stage)s stage.")
        % {
            "stages": stages,
            "stage": _stage_label(facts.stage),
        },
        "",
    )


# The yes/no facts a startup states on its profile: (field, met, unmet, unknown) sentences.
YES_NO_RULES = {
    RuleKind.SME: (
        "is_sme",
        gettext_lazy("For SMEs: your company is an SME."),
        gettext_lazy("For SMEs only; your profile says your company is not an SME."),
        gettext_lazy("For SMEs; say on your profile whether your company is one."),
    ),
    RuleKind.VC_INVESTMENT: (
        "has_vc_investment",
        gettext_lazy("Needs investment from a VC: a VC has invested in your company."),
        gettext_lazy("Needs investment from a VC; your profile says no VC has invested."),
        gettext_lazy("Needs investment from a VC; say on your profile whether a VC has invested."),
    ),
    RuleKind.BUSINESS_INVESTMENT: (
        "has_business_investment",
        gettext_lazy("Investment from a business company: one has invested in your company."),
        gettext_lazy("Investment from a business company; your profile says none has invested."),
        gettext_lazy("Investment from a business company; say on your profile whether one has invested."),
    ),
    RuleKind.PARTNERSHIP_MEMORANDUM: (
        "has_partnership_memorandum",
        gettext_lazy("A business-partnership memorandum: your company has one."),
        gettext_lazy("A business-partnership memorandum; your profile says your company has none."),
        gettext_lazy("A business-partnership memorandum; say on your profile whether your company has one."),
    ),
}


def _yes_no(rule, facts, today):
    field_name, met, unmet, unknown = YES_NO_RULES[rule["kind"]]
    value = getattr(facts, field_name)
    if value is None:
        return UNKNOWN, str(unknown), field_name
    return (MET, str(met), "") if value else (UNMET, str(unmet), "")


def _investment_any(rule, facts, today):
    values = (facts.has_vc_investment, facts.has_business_investment)
    if True in values:
        return MET, _("Needs investment from a VC or a business company: your company has it."), ""
    if None in values:
        field_name = "has_vc_investment" if facts.has_vc_investment is None else "has_business_investment"
        return (
            UNKNOWN,
            _("Needs investment from a VC or a business company; say on your profile whether you have it."),
            field_name,
        )
    return UNMET, _("Needs investment from a VC or a business company; your profile says neither has invested."), ""


def _designation_any(rule, facts, today):
    held = [code for code in rule["programs"] if code in facts.designations]
    if held:
        return MET, _("Designated by %(held)s.") % {"held": _programs_label(held)}, ""
    return UNMET, _("Not designated by any of %(programs)s.") % {"programs": _programs_label(rule["programs"])}, ""


def _not_designated(rule, facts, today):
    held = [code for code in rule["programs"] if code in facts.designations]
    if held:
        return UNMET, _("Your company is already designated by %(held)s.") % {"held": _programs_label(held)}, ""
    return MET, _("Not yet designated by %(programs)s.") % {"programs": _programs_label(rule["programs"])}, ""


def _founded_within(rule, facts, today):
    years = rule["years"]
    if facts.founded_year is None:
        return (
            UNKNOWN,
            _("For companies founded within %(years)d years; your founding year is not recorded.") % {"years": years},
            "founded_year",
        )
    params = {"years": years, "founded": facts.founded_year}
    if today.year - facts.founded_year <= years:
        return MET, _("For companies founded within %(years)d years: yours was founded in %(founded)d.") % params, ""
    return UNMET, _("For companies founded within %(years)d years; yours was founded in %(founded)d.") % params, ""


def _trl(rule, facts, today):
    low, high = rule.get("min", 1), rule.get("max", 9)
    if facts.trl is None:
        return UNKNOWN, _("For TRL %(low)d–%(high)d; your TRL is not recorded.") % {"low": low, "high": high}, "trl"
    params = {"low": low, "high": high, "trl": facts.trl}
    if low <= facts.trl <= high:
        return MET, _("For TRL %(low)d–%(high)d: your technology is at TRL %(trl)d.") % params, ""
    return UNMET, _("For TRL %(low)d–%(high)d; your technology is at TRL %(trl)d.") % params, ""


EVALUATORS = {
    RuleKind.STAGE_IN: _stage,
    **dict.fromkeys(YES_NO_RULES, _yes_no),
    RuleKind.INVESTMENT_ANY: _investment_any,
    RuleKind.DESIGNATION_ANY: _designation_any,
    RuleKind.NOT_DESIGNATED: _not_designated,
    RuleKind.FOUNDED_WITHIN_YEARS: _founded_within,
    RuleKind.TRL_RANGE: _trl,
}


def evaluate_rule(rule: dict, facts: StartupFacts, *, today: datetime.date) -> RuleResult:
    status, text, field_name = EVALUATORS[rule["kind"]](rule, facts, today)
    note = rule.get("note_en" if get_language() == "en" else "note_ja", "")
    return RuleResult(rule["kind"], status, rule.get("required", True), text, note, field_name)


def window_state(program, *, today: datetime.date) -> WindowState:
    """Open now (always, or today inside a window), the nearest closing date still ahead, the next opening."""
    from programs.validators import parse_date

    spans = [(parse_date(window.get("opens")), parse_date(window.get("closes"))) for window in program.windows]
    open_now = program.always_open or any(
        (opens is None or opens <= today) and (closes is None or today <= closes) for opens, closes in spans
    )
    deadlines = [closes for opens, closes in spans if closes and closes >= today]
    openings = [opens for opens, closes in spans if opens and opens > today]
    return WindowState(open_now, min(deadlines, default=None), min(openings, default=None))


def evaluate(program, facts: StartupFacts, *, today: datetime.date) -> ProgramEligibility:
    results = [evaluate_rule(rule, facts, today=today) for rule in program.rules]
    required = [result.status for result in results if result.required]
    if UNMET in required:
        status = EligibilityStatus.INELIGIBLE
    elif UNKNOWN in required:
        status = EligibilityStatus.INCOMPLETE
    else:
        status = EligibilityStatus.ELIGIBLE
    return ProgramEligibility(program, status, results, window_state(program, today=today))


def recommend(programs: Iterable, facts: StartupFacts, *, today: datetime.date) -> list[ProgramEligibility]:
    """The programmes a startup may apply to (eligible, or incomplete for want of profile data), best first.
    A programme split into tiers is represented by its tiers."""
    programs = list(programs)
    parents = {program.parent_id for program in programs if program.parent_id}
    evaluated = [evaluate(program, facts, today=today) for program in programs if program.pk not in parents]
    return sorted(
        (item for item in evaluated if item.status != EligibilityStatus.INELIGIBLE), key=ProgramEligibility.rank_key
    )


def describe_rule(rule: dict) -> str:
    """A rule as the catalogue page states it, without a startup: "Required: stage Seed." and so on."""
    kind = rule["kind"]
    label = str(RuleKind(kind).label)
    if kind == RuleKind.STAGE_IN:
        detail = _join(_stage_label(code) for code in rule["stages"])
    elif kind in (RuleKind.DESIGNATION_ANY, RuleKind.NOT_DESIGNATED):
        detail = _programs_label(rule["programs"])
    elif kind == RuleKind.FOUNDED_WITHIN_YEARS:
        detail = _("within %(years)d years") % {"years": rule["years"]}
    elif kind == RuleKind.TRL_RANGE:
        detail = f"{rule.get('min', 1)}–{rule.get('max', 9)}"
    else:
        detail = ""
    text = f"{label}: {detail}" if detail else label
    template = _("Required: %(rule)s") if rule.get("required", True) else _("Advantage: %(rule)s")
    note = rule.get("note_en" if get_language() == "en" else "note_ja", "")
    return " ".join(part for part in (template % {"rule": text}, note) if part)
