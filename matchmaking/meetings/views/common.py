"""What every meeting page shares: fetching the object a permission is checked against, showing a refused
service call, and the confirmation page of destructive actions (so that they work without JavaScript)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from matchmaking.meetings import selectors
from matchmaking.meetings.errors import MeetingError
from matchmaking.models import Appointment, Invitation, JointMeeting, MeetingUnit

PAGE_SIZE = 25


def fetch_meeting(request, pk: int, **kwargs) -> JointMeeting:
    try:
        return selectors.meeting_detail(pk)
    except JointMeeting.DoesNotExist:
        raise Http404 from None


def fetch_invitation(request, pk: int, invitation_pk: int, **kwargs) -> Invitation:
    return get_object_or_404(
        Invitation.objects.select_related("meeting", "startup", "organisation"), pk=invitation_pk, meeting_id=pk
    )


def fetch_meeting_unit(request, pk: int, unit_pk: int, **kwargs) -> MeetingUnit:
    return get_object_or_404(MeetingUnit.objects.select_related("meeting", "unit"), pk=unit_pk, meeting_id=pk)


def fetch_appointment_meeting(request, pk: int, appointment_pk: int, **kwargs) -> JointMeeting:
    """The meeting of an appointment (the admin permission is checked on the meeting)."""
    get_object_or_404(Appointment, pk=appointment_pk, meeting_id=pk)
    return fetch_meeting(request, pk)


def refused(request, error: MeetingError) -> None:
    for text in error.messages:
        messages.error(request, text)


def confirm(
    request, *, title: str, text: str, button: str, cancel_url: str, danger: bool = True, items=(), hidden=None
):
    """A page that asks before a destructive or final action; the form posts back to the same URL (with the
    `hidden` fields)."""
    context = {"title": title, "text": text, "button": button, "cancel_url": cancel_url, "danger": danger}
    context.update(items=items, hidden=(hidden or {}).items())
    return render(request, "matchmaking/meetings/confirm.html", context)
