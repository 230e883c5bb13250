"""What participants state before scheduling: availability per slot (an invitee's, an attending unit's) and a
unit's meeting requests (priority, "no thanks"); the admin's overview of requests per unit, with proposals
from shortlists and the match ranking."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.decorators import permission_required
from matchmaking.meetings import selectors, services
from matchmaking.meetings.enums import RequestOrigin, RequestPriority
from matchmaking.meetings.errors import MeetingError
from matchmaking.meetings.forms import AvailabilityForm, PriorityForm, RequestForm
from matchmaking.meetings.views.common import (
    PAGE_SIZE,
    fetch_invitation,
    fetch_meeting,
    fetch_meeting_unit,
    refused,
)
from matchmaking.models import Invitation, JointMeeting, MeetingUnit
from matchmaking.rules import shown_need, shown_score


def _availability(request, target, *, name: str, **owner):
    meeting = target.meeting
    form = AvailabilityForm(
        request.POST if request.method == "POST" else None, meeting=meeting, unavailable=target.unavailable_slots
    )
    if request.method == "POST" and form.is_valid():
        try:
            clashing = services.availability_set(actor=request.user, unavailable=form.unavailable(), **owner)
        except MeetingError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The availability was saved."))
            if clashing:
                messages.warning(
                    request,
                    _(
                        "%(count)d meetings already placed fall in slots now marked unavailable; "
                        "the administrator will move them."
                    )
                    % {"count": len(clashing)},
                )
            return redirect("meetings:detail", pk=meeting.pk)
    context = {"meeting": meeting, "form": form, "name": name}
    return render(request, "matchmaking/meetings/availability.html", context)


@permission_required("matchmaking.set_invitee_availability", fetch=fetch_invitation)
def invitee_availability(request, pk: int, invitation_pk: int, obj: Invitation):
    return _availability(request, obj, name=obj.invitee_name, invitation=obj)


@permission_required("matchmaking.set_unit_availability", fetch=fetch_meeting_unit)
def unit_availability(request, pk: int, unit_pk: int, obj: MeetingUnit):
    return _availability(request, obj, name=obj.unit.display_name, meeting_unit=obj)


@permission_required("matchmaking.manage_unit_requests", fetch=fetch_meeting_unit)
def unit_requests(request, pk: int, unit_pk: int, obj: MeetingUnit):
    meeting = obj.meeting
    form = RequestForm(request.POST if request.method == "POST" else None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_set(
                meeting=meeting,
                invitation=form.cleaned_data["invitation"],
                unit=obj.unit,
                actor=request.user,
                priority=form.cleaned_data["priority"],
                origin=RequestOrigin.ADMIN
                if request.user.has_perm("matchmaking.manage_meetings")
                else RequestOrigin.UNIT_PREFERENCE,
                note=form.cleaned_data["note"],
            )
        except MeetingError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The request was saved."))
            return redirect("meetings:unit_requests", pk=pk, unit_pk=unit_pk)
    page = Paginator(selectors.requests(meeting, unit_id=obj.unit_id), PAGE_SIZE).get_page(request.GET.get("page"))
    viewer = request.user
    context = {
        "meeting": meeting,
        "meeting_unit": obj,
        "page": page,
        # (request, its need, its score) as the viewer may see them: an admin sees neither hidden needs nor scores
        "rows": [(w, shown_need(viewer, w.need), shown_score(viewer, w.need, w.score)) for w in page.object_list],
        "form": form,
        "priorities": RequestPriority.choices,
    }
    return render(request, "matchmaking/meetings/unit_requests.html", context)


@require_POST
@permission_required("matchmaking.manage_unit_requests", fetch=fetch_meeting_unit)
def unit_request_change(request, pk: int, unit_pk: int, request_pk: int, obj: MeetingUnit):
    wish = get_object_or_404(obj.meeting.requests.select_related("meeting"), pk=request_pk, unit_id=obj.unit_id)
    action = request.POST.get("action")
    try:
        if action == "priority":
            form = PriorityForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("Unknown priority."))
                return redirect("meetings:unit_requests", pk=pk, unit_pk=unit_pk)
            services.request_set(
                meeting=obj.meeting,
                invitation=wish.invitation,
                unit=obj.unit,
                actor=request.user,
                priority=form.cleaned_data["priority"],
                need=wish.need,
                note=wish.note,
            )
        elif action in {"decline", "undecline"}:
            services.request_decline(request=wish, actor=request.user, declined=action == "decline")
        else:
            messages.error(request, _("Unknown action."))
            return redirect("meetings:unit_requests", pk=pk, unit_pk=unit_pk)
    except MeetingError as error:
        refused(request, error)
    else:
        messages.success(request, _("The request was updated."))
    return redirect("meetings:unit_requests", pk=pk, unit_pk=unit_pk)


@permission_required("matchmaking.manage_meetings", fetch=fetch_meeting)
def requests_overview(request, pk: int, obj: JointMeeting):
    """Per attending unit: its requests by priority, and how many it turned down."""
    by_unit: dict[int, list] = {}
    for wish in selectors.requests(obj):
        by_unit.setdefault(wish.unit_id, []).append(wish)
    units = [(mu, by_unit.get(mu.unit_id, [])) for mu in selectors.meeting_units(obj)]
    context = {"meeting": obj, "units": units, "must": RequestPriority.MUST_MEET}
    return render(request, "matchmaking/meetings/requests_overview.html", context)


@require_POST
@permission_required("matchmaking.manage_meetings", fetch=fetch_meeting)
def requests_propose(request, pk: int, obj: JointMeeting):
    try:
        created = services.requests_propose(meeting=obj, actor=request.user)
    except MeetingError as error:
        refused(request, error)
    else:
        messages.success(request, _("%(count)d requests were proposed.") % {"count": len(created)})
    return redirect("meetings:requests", pk=pk)
