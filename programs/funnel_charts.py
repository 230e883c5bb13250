"""The funnel dashboard's charts, built from programs/selectors/funnel.py with labels in the active language."""

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from accounts.models import Organisation
from needs.enums import ProposalStatus
from programs.charts import Chart
from programs.selectors import funnel
from seeds.enums import DesignationProgram
from seeds.models import TechField

STAGE_KEYS = ["needs_published", "proposals", *funnel.LATER_STAGES]


def stage_labels() -> list[str]:
    return [_("Needs published"), _("Proposals"), *(str(ProposalStatus(stage).label) for stage in funnel.LATER_STAGES)]


def overall_chart(filters) -> Chart:
    """Each stage's count and, from proposals on, its share of the proposals (the conversion)."""
    counts = funnel.funnel_counts(filters)
    proposals = counts["proposals"]
    rows = [
        [
            label,
            counts[key],
            None if key == "needs_published" or not proposals else round(100 * counts[key] / proposals, 1),
        ]
        for label, key in zip(stage_labels(), STAGE_KEYS, strict=True)
    ]
    columns = [pgettext("funnel", "Stage"), _("Count"), _("Share of proposals (%)")]
    return Chart("stages", _("Funnel: from needs to contracts"), columns, rows)


def _breakdown(key: str, title: str, label: str, grouped: dict, names: dict) -> Chart:
    columns = [label, *stage_labels()]
    rows = [[names.get(group, _("None")), *(counts[k] for k in STAGE_KEYS)] for group, counts in grouped.items()]
    rows.sort(key=lambda row: (-row[1], str(row[0])))
    # Bars for proposals and selections: the table beside the chart holds every stage.
    return Chart(key, title, columns, rows, series=[2, 5])


def unit_chart(filters) -> Chart:
    grouped = funnel.funnel_by_unit(filters)
    names = {organisation.pk: str(organisation) for organisation in Organisation.objects.filter(pk__in=list(grouped))}
    return _breakdown("units", _("By unit"), _("Unit"), grouped, names)


def tech_field_chart(filters) -> Chart:
    grouped = funnel.funnel_by_tech_field(filters)
    names = {field.pk: str(field) for field in TechField.objects.filter(pk__in=[k for k in grouped if k])}
    chart = _breakdown("tech-fields", _("By technology field"), _("Technology field"), grouped, names)
    chart.note = _("A need with several technology fields counts under each of them.")
    return chart


def month_chart(filters) -> Chart:
    grouped = funnel.funnel_by_month(filters)
    columns = [_("Month published"), *stage_labels()]
    rows = [[f"{month:%Y-%m}", *(counts[k] for k in STAGE_KEYS)] for month, counts in grouped.items()]
    return Chart("months", _("By month of publication"), columns, rows, series=[2, 5])


def stage_time_chart(filters) -> Chart:
    columns = [_("Status"), _("Stays measured"), _("Median days"), _("Mean days")]
    rows = [
        [str(ProposalStatus(item.stage).label), item.stays, item.median_days, item.mean_days]
        for item in funnel.stage_times(filters)
    ]
    note = _("From entering a status to the proposal's next transition; stays still running are not counted.")
    return Chart("stage-time", _("Time in each stage"), columns, rows, series=[2], note=note)


def designation_chart(filters) -> Chart:
    labels = dict(DesignationProgram.choices)
    columns = [_("Designation"), _("Companies that proposed"), _("Companies selected")]
    rows = [
        [
            str(labels.get(share.program, share.program)) if share.program else _("No designation"),
            share.proposers,
            share.selected,
        ]
        for share in funnel.designation_mix(filters)
    ]
    note = _("Distinct companies; a company with several designations counts under each.")
    return Chart("designations", _("Designation mix of selected companies"), columns, rows, series=[1, 2], note=note)


def meeting_label(item: funnel.MeetingFollowUp) -> str:
    if item.meeting is None:
        return _("All meetings held")
    return _("No. %(number)d (%(date)s)") % {"number": item.meeting.number, "date": f"{item.first_day:%Y-%m-%d}"}


def meeting_chart(filters) -> Chart:
    """Per meeting held and overall: who met, and the proposals that followed between the pairs that met."""
    stages = [str(ProposalStatus(stage).label) for stage in funnel.FOLLOW_UP_STAGES]
    columns = [
        _("Meeting (first day)"),
        _("Startups met"),
        _("Appointments held"),
        _("Units involved"),
        _("Later proposals"),
        *stages,
    ]
    rows = [
        [
            meeting_label(item),
            item.startups_met,
            item.appointments,
            item.units,
            item.proposals,
            *(item.reached[stage] for stage in funnel.FOLLOW_UP_STAGES),
        ]
        for item in funnel.meeting_follow_ups(filters)
    ]
    if len(rows) == 1:
        rows = []  # only the overall row of nothing: the chart says there is no data
    note = _(
        "Meetings marked held, or whose agenda is final and whose last day has passed; the period picks them by "
        "their first day. Later proposals: submitted from the meeting's first day by a startup to needs of a unit "
        "it met there; a stage counts the proposals that reached it or a later one. The unit and technology field "
        "pick the appointments (startups registered in the field) and the needs. The last row counts each "
        "startup, unit and proposal once."
    )
    return Chart("meetings", _("Meetings held and what followed them"), columns, rows, series=[2, 4, 6], note=note)


def funnel_charts(filters) -> list[Chart]:
    return [
        overall_chart(filters),
        unit_chart(filters),
        tech_field_chart(filters),
        month_chart(filters),
        stage_time_chart(filters),
        designation_chart(filters),
        meeting_chart(filters),
    ]
