"""The funnel from published needs to contracts, one function per figure (views and CSV exports call them).

Cohort view: the filters pick needs (owning unit, technology field, publication date in Japan); every figure
counts what followed from those needs. A proposal counts at a stage when it reached that stage or a later one
(its transition records say so), because the pipeline may skip steps (under review → selected). A need in two
technology fields counts in both rows of the by-field figure.

Meetings held and what followed them (`meeting_follow_ups`) look from the other end: the period picks
meetings by their first day, and what followed is counted for the startup–unit pairs that met there.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from statistics import mean, median

from django.db.models import Count, DateField, Max, Min, Q, QuerySet
from django.db.models.functions import TruncMonth

from matchmaking.meetings.enums import MeetingStatus
from matchmaking.models import Appointment, JointMeeting
from needs.enums import ProposalStatus
from needs.models import Need, Proposal, ProposalTransition
from programs import clock
from programs.clock import TOKYO
from seeds.models import Designation

S = ProposalStatus
# The stages after "proposals", in pipeline order; reaching one implies having passed the earlier ones.
LATER_STAGES = [S.SHORTLISTED, S.PITCH, S.SELECTED, S.CONTRACTED]
# Statuses whose time is measured (from entering them to the next transition).
TIMED_STAGES = [S.SUBMITTED, S.UNDER_REVIEW, S.SHORTLISTED, S.PITCH, S.SELECTED]


@dataclass(frozen=True)
class FunnelFilters:
    unit: str = ""  # accounts.enums.UnitCode
    tech_field: str = ""  # seeds.TechField code
    published_from: datetime.date | None = None
    published_to: datetime.date | None = None


def published_needs(filters: FunnelFilters) -> QuerySet[Need]:
    needs = Need.objects.filter(published_at__isnull=False)
    if filters.unit:
        needs = needs.filter(owner_unit__unit_code=filters.unit)
    if filters.tech_field:
        needs = needs.filter(tech_fields__code=filters.tech_field)
    if filters.published_from:
        needs = needs.filter(published_at__gte=_tokyo_midnight(filters.published_from))
    if filters.published_to:
        needs = needs.filter(published_at__lt=_tokyo_midnight(filters.published_to + datetime.timedelta(days=1)))
    return needs


def _tokyo_midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=TOKYO)


def submitted_proposals(filters: FunnelFilters) -> QuerySet[Proposal]:
    return Proposal.objects.filter(need__in=published_needs(filters).values("pk"), submitted_at__isnull=False)


def _reached(stage: str, prefix: str = "") -> Count:
    """Distinct proposals with a transition into `stage` or a later stage."""
    later = LATER_STAGES[LATER_STAGES.index(stage) :]
    return Count(f"{prefix}pk", filter=Q(**{f"{prefix}transitions__to_status__in": later}), distinct=True)


def _stage_aggregates(prefix: str = "") -> dict:
    return {
        "proposals": Count(f"{prefix}pk", distinct=True),
        **{stage: _reached(stage, prefix) for stage in LATER_STAGES},
    }


def funnel_counts(filters: FunnelFilters) -> dict[str, int]:
    """needs_published, proposals, shortlisted, pitch, selected, contracted: two queries."""
    counts = submitted_proposals(filters).aggregate(**_stage_aggregates())
    return {"needs_published": published_needs(filters).count(), **counts}


def _grouped(filters: FunnelFilters, key: str, *, by=None) -> dict:
    """Funnel counts per value of a need field path `key` (e.g. owner_unit), or of the expression `by(prefix)`
    over the need's fields: {value: counts}. Two queries."""
    needs, proposals = published_needs(filters), submitted_proposals(filters)
    if by is not None:
        needs, proposals = needs.annotate(**{key: by("")}), proposals.annotate(**{key: by("need__")})
    proposal_key = key if by is not None else f"need__{key}"
    rows = defaultdict(lambda: dict.fromkeys(["needs_published", "proposals", *LATER_STAGES], 0))
    for row in needs.values(key).annotate(n=Count("pk", distinct=True)):
        rows[row[key]]["needs_published"] = row["n"]
    for row in proposals.values(proposal_key).annotate(**_stage_aggregates()):
        rows[row.pop(proposal_key)].update(row)
    return rows


def funnel_by_unit(filters: FunnelFilters) -> dict[int, dict]:
    """Funnel counts per owning unit (organisation id)."""
    return _grouped(filters, "owner_unit")


def funnel_by_tech_field(filters: FunnelFilters) -> dict[int | None, dict]:
    """Funnel counts per technology field id (None: needs without a field)."""
    return _grouped(filters, "tech_fields")


def funnel_by_month(filters: FunnelFilters) -> dict[datetime.date, dict]:
    """Funnel counts per month (in Japan) in which the needs were published, oldest first."""
    grouped = _grouped(
        filters, "month", by=lambda prefix: TruncMonth(f"{prefix}published_at", tzinfo=TOKYO, output_field=DateField())
    )
    return dict(sorted(grouped.items()))


@dataclass(frozen=True)
class StageTime:
    stage: str
    stays: int  # completed stays measured
    median_days: float | None
    mean_days: float | None


def stage_times(filters: FunnelFilters) -> list[StageTime]:
    """Days proposals spent in each status, from entering it to their next transition; stays still running
    are not counted. One query over the transition records."""
    transitions = (
        ProposalTransition.objects.filter(proposal__in=submitted_proposals(filters).values("pk"))
        .order_by("proposal_id", "at", "pk")
        .values_list("proposal_id", "to_status", "at")
    )
    durations = defaultdict(list)
    previous = None
    for proposal_id, status, at in transitions:
        if previous and previous[0] == proposal_id and previous[1] in TIMED_STAGES:
            durations[previous[1]].append((at - previous[2]).total_seconds() / 86400)
        previous = (proposal_id, status, at)
    return [
        StageTime(
            stage,
            len(durations[stage]),
            round(median(durations[stage]), 1) if durations[stage] else None,
            round(mean(durations[stage]), 1) if durations[stage] else None,
        )
        for stage in TIMED_STAGES
    ]


@dataclass(frozen=True)
class DesignationShare:
    program: str  # seeds.enums.DesignationProgram, or "" for companies without any designation
    proposers: int  # distinct startups that submitted a proposal
    selected: int  # distinct startups with a proposal selected (or contracted)


def designation_mix(filters: FunnelFilters) -> list[DesignationShare]:
    """Per designation programme, how many proposing and how many selected companies hold it — did J-Startup
    companies win? A company with two designations counts under both. Three queries."""
    proposals = submitted_proposals(filters)
    proposers = set(proposals.values_list("startup_id", flat=True))
    winners = set(
        proposals.filter(transitions__to_status__in=[S.SELECTED, S.CONTRACTED]).values_list("startup_id", flat=True)
    )
    held = defaultdict(set)
    for startup_id, program in Designation.objects.filter(startup_id__in=proposers).values_list(
        "startup_id", "program"
    ):
        held[startup_id].add(program)
    programs = sorted({program for programs in held.values() for program in programs})
    shares = [
        DesignationShare(
            program,
            sum(1 for startup in proposers if program in held[startup]),
            sum(1 for startup in winners if program in held[startup]),
        )
        for program in programs
    ]
    undesignated = [startup for startup in proposers if not held[startup]]
    return [*shares, DesignationShare("", len(undesignated), len(set(undesignated) & winners))]


# The stages a meeting's follow-up proposals are counted at (reached, as in the funnel: that stage or a later one).
FOLLOW_UP_STAGES = [S.SHORTLISTED, S.SELECTED, S.CONTRACTED]


@dataclass(frozen=True)
class MeetingFollowUp:
    meeting: JointMeeting | None  # None: the overall row
    first_day: datetime.date | None
    startups_met: int
    appointments: int
    units: int
    proposals: int  # submitted later by a startup to needs of a unit it met
    reached: dict  # {stage in FOLLOW_UP_STAGES: proposals among them that reached it}


def held_meetings(filters: FunnelFilters) -> QuerySet[JointMeeting]:
    """Meetings held: marked held, or with a final agenda and every day before today in Japan — admins do not
    always mark a meeting held, and its appointments took place all the same. The period picks the first day."""
    meetings = JointMeeting.objects.annotate(first_day=Min("days__date"), last_day=Max("days__date")).filter(
        Q(status=MeetingStatus.HELD) | Q(status=MeetingStatus.PUBLISHED, last_day__lt=clock.today()),
        first_day__isnull=False,
    )
    if filters.published_from:
        meetings = meetings.filter(first_day__gte=filters.published_from)
    if filters.published_to:
        meetings = meetings.filter(first_day__lte=filters.published_to)
    return meetings.order_by("first_day", "number")


def meeting_follow_ups(filters: FunnelFilters) -> list[MeetingFollowUp]:
    """Per meeting held, the startups met, appointments and units, and the proposals each startup submitted from
    the meeting's first day (Japan time) to needs of a unit it met there, with the stages they reached; then an
    overall row counting each startup, unit and proposal once. The unit filter keeps that unit's appointments;
    the technology field keeps startups registered in it and needs in it. Meetings without a matching
    appointment with a startup are left out. At most three queries."""
    meetings = list(held_meetings(filters))
    appointments = Appointment.objects.filter(meeting__in=meetings, invitation__startup__isnull=False)
    if filters.unit:
        appointments = appointments.filter(unit__unit_code=filters.unit)
    if filters.tech_field:
        appointments = appointments.filter(invitation__startup__tech_fields__code=filters.tech_field)
    pairs = defaultdict(list)  # meeting id → [(startup id, unit id)], one per appointment (a pair meets once)
    for meeting_id, startup_id, unit_id in appointments.values_list("meeting_id", "invitation__startup_id", "unit_id"):
        pairs[meeting_id].append((startup_id, unit_id))
    every_pair = {pair for met in pairs.values() for pair in met}
    proposals = Proposal.objects.filter(
        submitted_at__isnull=False,
        startup_id__in={startup for startup, _unit in every_pair},
        need__owner_unit_id__in={unit for _startup, unit in every_pair},
    )
    if filters.tech_field:
        proposals = proposals.filter(need__tech_fields__code=filters.tech_field)
    by_pair = defaultdict(list)  # (startup id, unit id) → [(submitted at, proposal id, stages reached)]
    rows = proposals.values("pk", "startup_id", "need__owner_unit_id", "submitted_at").annotate(
        **{stage: _reached(stage) for stage in FOLLOW_UP_STAGES}
    )
    for row in rows:
        reached = {stage for stage in FOLLOW_UP_STAGES if row[stage]}
        by_pair[(row["startup_id"], row["need__owner_unit_id"])].append((row["submitted_at"], row["pk"], reached))
    results, followed = [], {}
    for meeting in meetings:
        if not pairs[meeting.pk]:
            continue
        start = _tokyo_midnight(meeting.first_day)
        later = {pk: reached for pair in pairs[meeting.pk] for at, pk, reached in by_pair[pair] if at >= start}
        followed.update(later)
        results.append(_follow_up(meeting, meeting.first_day, pairs[meeting.pk], later, len(pairs[meeting.pk])))
    return [*results, _follow_up(None, None, every_pair, followed, sum(len(met) for met in pairs.values()))]


def _follow_up(meeting, first_day, pairs, later: dict, appointments: int) -> MeetingFollowUp:
    return MeetingFollowUp(
        meeting=meeting,
        first_day=first_day,
        startups_met=len({startup for startup, _unit in pairs}),
        appointments=appointments,
        units=len({unit for _startup, unit in pairs}),
        proposals=len(later),
        reached={stage: sum(1 for stages in later.values() if stage in stages) for stage in FOLLOW_UP_STAGES},
    )
