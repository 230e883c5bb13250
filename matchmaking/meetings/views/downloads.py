"""Agenda files: the whole meeting (admins), one participant's own agenda (that participant, or an admin
choosing the participant), and a unit's briefing pack (the unit's staff, or an admin). In the reader's
language."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language

from accounts.decorators import permission_required
from core.params import query_id
from matchmaking.meetings import selectors
from matchmaking.meetings.briefing import briefing_pdf
from matchmaking.meetings.exports import FORMATS, ExportedFile, export_agenda
from matchmaking.meetings.selectors import Participant
from matchmaking.meetings.views.common import fetch_meeting, fetch_meeting_unit
from matchmaking.models import JointMeeting, MeetingUnit


def _file(exported: ExportedFile) -> HttpResponse:
    response = HttpResponse(exported.content, content_type=exported.content_type)
    response["Content-Disposition"] = f'attachment; filename="{exported.filename}"'
    return response


def _language() -> str:
    return get_language() or "ja"


@permission_required("matchmaking.manage_meetings", fetch=fetch_meeting)
def meeting_export(request, pk: int, fmt: str, obj: JointMeeting):
    if fmt not in FORMATS:
        raise Http404
    return _file(export_agenda(obj, fmt, language=_language(), actor=request.user))


@permission_required("matchmaking.view_meeting", fetch=fetch_meeting)
def my_agenda(request, pk: int, fmt: str, obj: JointMeeting):
    """The viewer's own agenda; an admin names the participant with ?invitation=ID or ?unit=ID."""
    if fmt not in FORMATS:
        raise Http404
    if request.user.has_perm("matchmaking.manage_meetings"):
        participant = _chosen(request, obj)
    else:
        participant = selectors.participant_of(request.user, obj)
    if participant is None:
        raise PermissionDenied
    return _file(export_agenda(obj, fmt, language=_language(), participant=participant, actor=request.user))


def _chosen(request, meeting: JointMeeting) -> Participant:
    if (invitation_id := query_id(request.GET, "invitation")) is not None:
        invitation = get_object_or_404(meeting.invitations.select_related("startup", "organisation"), pk=invitation_id)
        return Participant(invitation=invitation)
    if (unit_id := query_id(request.GET, "unit")) is not None:
        return Participant(meeting_unit=get_object_or_404(meeting.units.select_related("unit"), pk=unit_id))
    raise Http404


@permission_required("matchmaking.manage_unit_requests", fetch=fetch_meeting_unit)
def briefing(request, pk: int, unit_pk: int, obj: MeetingUnit):
    content = briefing_pdf(obj.meeting, obj, _language(), actor=request.user)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="briefing-{obj.meeting.number}-{obj.unit_id}.pdf"'
    return response
