"""A unit's briefing pack (PDF, A4): its appointments in time order, and for each startup its profile summary,
the related need and the matcher's reasons. Uses the agenda PDF's embedded Japanese font."""

import io
from xml.sax.saxutils import escape

from django.utils import translation
from django.utils.translation import gettext as _

from accounts import audit
from matchmaking.agenda.exporters import _register_font, find_japanese_font
from matchmaking.meetings import selectors
from matchmaking.meetings.selectors import Participant
from matchmaking.meetings.slots import TOKYO
from matchmaking.models import JointMeeting, MatchScore, MeetingUnit
from matchmaking.reasons import reason_texts, tech_field_labels
from matchmaking.rules import can_view_score, shown_need
from needs.models import Need
from needs.rules import need_visibility_q

SUMMARY_CHARS = 500


def _best_scores(meeting_unit: MeetingUnit, appointments: list, viewer) -> dict[tuple[int, int], MatchScore]:
    """(startup, need) → score for the appointments' startups against the unit's needs that `viewer` may see
    (the pack names the need of the reasons it gives), in one query."""
    startup_ids = {a.invitation.startup_id for a in appointments if a.invitation.startup_id}
    needs = Need.objects.filter(need_visibility_q(viewer), owner_unit_id=meeting_unit.unit_id)
    scores = MatchScore.objects.filter(startup_id__in=startup_ids, need__in=needs)
    return {(s.startup_id, s.need_id): s for s in scores.select_related("need")}


def _match_for(appointment, scores: dict) -> MatchScore | None:
    """The score of the request's need, else the startup's best one among the unit's needs."""
    startup_id = appointment.invitation.startup_id
    need_id = appointment.request.need_id if appointment.request_id else None
    if need_id is not None and (startup_id, need_id) in scores:
        return scores[(startup_id, need_id)]
    mine = [s for (sid, _nid), s in scores.items() if sid == startup_id]
    return max(mine, key=lambda s: s.score, default=None)


def _profile_lines(startup) -> list[str]:
    lines = []
    if startup.description:
        text = startup.description
        lines.append(text if len(text) <= SUMMARY_CHARS else text[:SUMMARY_CHARS] + "…")
    if startup.technologies:
        lines.append(_("Technologies: %(list)s") % {"list": "、".join(startup.technologies)})
    facts = []
    if startup.trl:
        facts.append(_("TRL %(trl)s") % {"trl": startup.trl})
    if startup.prefecture:
        facts.append(startup.get_prefecture_display())
    if startup.website:
        facts.append(startup.website)
    designations = [str(d.get_program_display()) for d in startup.designations.all()]
    if designations:
        facts.append(" / ".join(designations))
    if facts:
        lines.append(" · ".join(facts))
    return lines


def briefing_pdf(meeting: JointMeeting, meeting_unit: MeetingUnit, language: str = "ja", *, actor=None) -> bytes:
    """The unit's briefing pack as PDF bytes (AgendaFontMissingError when the Japanese font is missing), naming
    only needs `actor` may see (None: only what anyone may see), recorded in the audit trail as an export by
    `actor`."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer

    font = _register_font(str(find_japanese_font()))

    def style(name: str, size: float, **extra) -> ParagraphStyle:
        return ParagraphStyle(name, fontName=font, fontSize=size, leading=size * 1.4, wordWrap="CJK", **extra)

    title, heading, body = style("title", 15, spaceAfter=4 * mm), style("h", 11.5, spaceBefore=5 * mm), style("b", 9)
    small = style("s", 8.5, leftIndent=4 * mm)

    def para(text: str, paragraph_style=body) -> Paragraph:
        return Paragraph(escape(text).replace("\n", "<br/>"), paragraph_style)

    with translation.override(language):
        participant = Participant(meeting_unit=meeting_unit)
        rows = selectors.appointments(meeting, participant=participant)
        appointments = list(rows.prefetch_related("invitation__startup__designations"))
        scores, labels = _best_scores(meeting_unit, appointments, actor), tech_field_labels()
        story = [
            para(_("Briefing pack: %(title)s") % {"title": meeting.display_title}, title),
            para(_("For: %(unit)s") % {"unit": meeting_unit.unit.display_name}),
            para(_("Venue: %(venue)s") % {"venue": meeting.venue_text} if meeting.venue_text else ""),
        ]
        if not appointments:
            story.append(para(_("No meetings scheduled")))
        for appointment in appointments:
            start = appointment.starts_at.astimezone(TOKYO)
            end = appointment.ends_at.astimezone(TOKYO)
            when = f"{start:%Y-%m-%d %H:%M}–{end:%H:%M}"
            block = [para(f"{when}  {appointment.room.name}  {appointment.invitation.invitee_name}", heading)]
            startup = appointment.invitation.startup
            if startup is not None:
                block += [para(line, small) for line in _profile_lines(startup)]
            match = _match_for(appointment, scores)
            asked = shown_need(actor, appointment.request.need if appointment.request_id else None)
            need = asked or (match.need if match else None)
            if need is not None:
                block.append(para(_("Related need: %(ref)s %(title)s") % {"ref": need.ref, "title": need.title}))
            # The matcher's reasons are part of its score: only for a reader the score rule lets see them.
            if match is not None and match.reasons and can_view_score(actor, match.need):
                block.append(para(_("Why this match:")))
                texts = reason_texts(match.reasons, field_labels=labels)
                block += [para(f"・{reason.text}", small) for reason in texts]
            story.append(KeepTogether(block))
        story.append(Spacer(1, 1))
    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=meeting.title,
        initialFontName=font,
        invariant=True,
    ).build(story)
    note = f"pdf ({language}), briefing pack of unit {meeting_unit.unit_id}, {len(appointments)} appointments"
    audit.record(actor, audit.Action.EXPORT, meeting, note=note)
    return buffer.getvalue()
