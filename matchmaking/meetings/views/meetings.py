"""The meetings list, the create/edit form, a meeting's page (what the viewer may do with it) and the status
moves (each asked for confirmation first)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.decorators import permission_required
from matchmaking.meetings import selectors, services
from matchmaking.meetings.enums import MEETING_TRANSITIONS, REPLY_OPEN, InvitationStatus, MeetingStatus
from matchmaking.meetings.errors import MeetingError
from matchmaking.meetings.exports import FORMATS
from matchmaking.meetings.forms import MeetingForm, UnitRequestForm
from matchmaking.meetings.views.common import PAGE_SIZE, confirm, fetch_meeting, refused
from matchmaking.models import JointMeeting

# The label of the button that moves a meeting to each status.
MOVE_LABELS = {
    MeetingStatus.PLANNING: gettext_lazy("Back to planning"),
    MeetingStatus.INVITING: gettext_lazy("Open invitations"),
    MeetingStatus.SCHEDULED: gettext_lazy("Mark the draft agenda ready"),
    MeetingStatus.PUBLISHED: gettext_lazy("Publish the final agenda"),
    MeetingStatus.HELD: gettext_lazy("Mark as held"),
}


@permission_required("matchmaking.view_meetings")
def meeting_list(request):
    page = Paginator(selectors.meetings_for(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "can_manage": request.user.has_perm("matchmaking.manage_meetings")}
    return render(request, "matchmaking/meetings/meeting_list.html", context)


def _save(form: MeetingForm, request, meeting: JointMeeting | None) -> JointMeeting | None:
    data = form.cleaned_data
    fields = {name: data[name] for name in ("title", "title_en", "kind", "venue", "online_url", "slot_minutes")}
    fields.update(reply_by=data["reply_by"], notes=data["notes"])
    try:
        if meeting is None:
            return services.meeting_create(
                actor=request.user,
                number=data["number"],
                days=data["days"],
                rooms=data["rooms"],
                breaks=data["breaks"],
                units=data["units"],
                **fields,
            )
        from django.db import transaction

        with transaction.atomic():  # details, grid and units together, or nothing
            grid_same = data["days"] == [(d.date, d.opens_at, d.closes_at) for d in meeting.days.all()]
            services.meeting_update(
                meeting=meeting,
                actor=request.user,
                days=None if grid_same else data["days"],
                rooms=data["rooms"],
                breaks=None if data["breaks"] == form.initial.get("breaks") else data["breaks"],
                **fields,
            )
            services.meeting_units_set(meeting=meeting, units=data["units"], actor=request.user)
        return meeting
    except MeetingError as error:
        form.add_error(None, error)
        return None


@permission_required("matchmaking.manage_meetings")
def meeting_create(request):
    form = MeetingForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        meeting = _save(form, request, None)
        if meeting is not None:
            messages.success(request, _("The meeting was created."))
            return redirect("meetings:detail", pk=meeting.pk)
    return render(request, "matchmaking/meetings/meeting_form.html", {"form": form, "meeting": None})


@permission_required("matchmaking.manage_meetings", fetch=fetch_meeting)
def meeting_edit(request, pk: int, obj: JointMeeting):
    form = MeetingForm(request.POST if request.method == "POST" else None, meeting=obj)
    if request.method == "POST" and form.is_valid() and _save(form, request, obj) is not None:
        messages.success(request, _("The meeting was saved."))
        return redirect("meetings:detail", pk=obj.pk)
    return render(request, "matchmaking/meetings/meeting_form.html", {"form": form, "meeting": obj})


@permission_required("matchmaking.view_meeting", fetch=fetch_meeting)
def meeting_detail(request, pk: int, obj: JointMeeting):
    meeting, user = obj, request.user
    can_manage = user.has_perm("matchmaking.manage_meetings")
    participant = None if can_manage else selectors.participant_of(user, meeting)
    context = {
        "meeting": meeting,
        "can_manage": can_manage,
        "participant": participant,
        "formats": list(FORMATS),
        "units": selectors.meeting_units(meeting),
    }
    if can_manage:
        context["moves"] = [
            (to, MOVE_LABELS[to]) for to in MeetingStatus.values if to in MEETING_TRANSITIONS[meeting.status]
        ]
        context["counts"] = selectors.meetings_for(user).filter(pk=meeting.pk).first()
        context["run"] = selectors.latest_run(meeting)
        context["version"] = selectors.latest_version(meeting)
    elif participant is None and user.has_perm("matchmaking.view_timetable"):  # an observer: the whole agenda
        context["observer"] = True
        context["counts"] = selectors.meetings_for(user).filter(pk=meeting.pk).first()
        context["appointments"] = selectors.appointments(meeting)
    else:
        invitation = participant.invitation if participant else None
        context["appointments"] = selectors.appointments(meeting, participant=participant)
        context["can_reply"] = bool(
            invitation and meeting.status in REPLY_OPEN and user.has_perm("matchmaking.respond_invitation", invitation)
        )
        if invitation and invitation.status == InvitationStatus.ACCEPTED and meeting.status in REPLY_OPEN:
            context["unit_request_form"] = UnitRequestForm(meeting=meeting)
    return render(request, "matchmaking/meetings/meeting_detail.html", context)


@permission_required("matchmaking.manage_meetings", fetch=fetch_meeting)
def meeting_move(request, pk: int, to: str, obj: JointMeeting):
    if to not in MOVE_LABELS:
        raise Http404
    detail = reverse("meetings:detail", args=[pk])
    if request.method != "POST":
        status = MeetingStatus(to).label
        return confirm(
            request,
            title=str(MOVE_LABELS[to]),
            text=_("Move meeting %(number)s to “%(status)s”?") % {"number": obj.number, "status": status},
            button=str(MOVE_LABELS[to]),
            cancel_url=detail,
            danger=to in {MeetingStatus.PUBLISHED, MeetingStatus.HELD, MeetingStatus.PLANNING},
        )
    try:
        services.meeting_transition(meeting=obj, to=to, actor=request.user)
        messages.success(request, _("The meeting is now “%(status)s”.") % {"status": MeetingStatus(to).label})
    except MeetingError as error:
        refused(request, error)
    return redirect(detail)
