"""Invitations: the admin's invite page (candidates from shortlists and match rankings, with each unit's
stated preference), the invitations table, and the invitee's side (its invitations, accept or decline, a
request to meet a unit)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.decorators import permission_required
from accounts.enums import OrganisationKind
from accounts.models import Organisation
from matchmaking.meetings import selectors, services
from matchmaking.meetings.enums import MeetingKind, RequestOrigin
from matchmaking.meetings.errors import MeetingError
from matchmaking.meetings.exports import FORMATS
from matchmaking.meetings.forms import InviteForm, UnitRequestForm
from matchmaking.meetings.views.common import PAGE_SIZE, confirm, fetch_invitation, fetch_meeting, refused
from matchmaking.models import Invitation, JointMeeting
from seeds.models import Startup


def _invitees(meeting: JointMeeting, viewer):
    """(rows for the page, choices for the form): candidate startups (shown as `viewer` may see their matches),
    or the VC organisations of a VC session."""
    if meeting.kind == MeetingKind.VC_SESSION:
        invited = set(meeting.invitations.values_list("organisation_id", flat=True))
        vcs = list(Organisation.objects.filter(kind=OrganisationKind.VC).order_by("name"))
        rows = [{"pk": vc.pk, "name": vc.display_name, "invited": vc.pk in invited} for vc in vcs]
    else:
        rows = [
            {
                "pk": c.startup.pk,
                "name": c.startup.display_name,
                "invited": c.invited,
                "score": c.best_score,
                "need": c.best_need,
                "shortlisted_by": c.shortlisted_by,
            }
            for c in selectors.invitation_candidates(meeting, viewer=viewer)
        ]
    return rows, [(row["pk"], row["name"]) for row in rows if not row["invited"]]


@permission_required("matchmaking.manage_meetings", fetch=fetch_meeting)
def invite(request, pk: int, obj: JointMeeting):
    rows, choices = _invitees(obj, request.user)
    form = InviteForm(
        request.POST if request.method == "POST" else None, choices=choices, initial={"reply_by": obj.reply_by}
    )
    if request.method == "POST" and form.is_valid():
        chosen = [int(value) for value in form.cleaned_data["chosen"]]
        kwargs = {"meeting": obj, "actor": request.user, "reply_by": form.cleaned_data["reply_by"]}
        if obj.kind == MeetingKind.VC_SESSION:
            kwargs["organisations"] = Organisation.objects.filter(pk__in=chosen, kind=OrganisationKind.VC)
        else:
            kwargs["startups"] = Startup.objects.filter(pk__in=chosen)
        try:
            created = services.invitation_create(message=form.cleaned_data["message"], **kwargs)
        except MeetingError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(count)d invitations were sent.") % {"count": len(created)})
            return redirect("meetings:invitations", pk=obj.pk)
    context = {"meeting": obj, "form": form, "rows": rows}
    return render(request, "matchmaking/meetings/invite.html", context)


@permission_required("matchmaking.manage_meetings", fetch=fetch_meeting)
def invitation_list(request, pk: int, obj: JointMeeting):
    page = Paginator(selectors.invitations(obj), PAGE_SIZE * 2).get_page(request.GET.get("page"))
    context = {"meeting": obj, "page": page, "formats": list(FORMATS)}
    return render(request, "matchmaking/meetings/invitation_list.html", context)


@permission_required("matchmaking.view_meetings")
def my_invitations(request):
    """The invitations of the user's startup (or VC), newest meeting first."""
    org = request.user.organisation_id
    invitations = (
        Invitation.objects.filter(Q(startup__organisation_id=org) | Q(organisation_id=org))
        .filter(meeting__in=JointMeeting.objects.filter(selectors.meetings_visible_q(request.user)))
        .select_related("meeting", "startup", "organisation")
        .prefetch_related("meeting__days")
        .order_by("-meeting__number")
        if org
        else Invitation.objects.none()
    )
    page = Paginator(invitations, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "matchmaking/meetings/my_invitations.html", {"page": page})


@permission_required("matchmaking.respond_invitation", fetch=fetch_invitation)
def respond(request, pk: int, invitation_pk: int, obj: Invitation):
    """Accept at once; declining is asked first (after scheduling it takes the invitee's meetings away)."""
    if request.method != "POST":
        return confirm(
            request,
            title=_("Decline the invitation"),
            text=_("Decline the invitation to %(meeting)s? Meetings already placed for you will be removed.")
            % {"meeting": obj.meeting.display_title},
            button=_("Decline"),
            cancel_url=reverse("meetings:detail", args=[pk]),
            hidden={"answer": "decline"},
        )
    accept = request.POST.get("answer") == "accept"
    try:
        services.invitation_respond(invitation=obj, actor=request.user, accept=accept)
    except MeetingError as error:
        refused(request, error)
    else:
        messages.success(request, _("You accepted the invitation.") if accept else _("You declined the invitation."))
    return redirect("meetings:detail", pk=pk)


@require_POST
@permission_required("matchmaking.respond_invitation", fetch=fetch_invitation)
def request_unit(request, pk: int, invitation_pk: int, obj: Invitation):
    """The invitee asks to meet a unit (want to meet; the unit may still say "no thanks")."""
    form = UnitRequestForm(request.POST, meeting=obj.meeting)
    if not form.is_valid():
        messages.error(request, _("Choose one of the attending units."))
        return redirect("meetings:detail", pk=pk)
    unit = form.cleaned_data["unit"].unit
    if obj.requests.filter(unit=unit).exists():  # the unit's own wish (or its "no thanks") stands
        messages.info(request, _("A request to meet %(unit)s already exists.") % {"unit": unit.display_name})
        return redirect("meetings:detail", pk=pk)
    try:
        services.request_set(
            meeting=obj.meeting,
            invitation=obj,
            unit=unit,
            actor=request.user,
            origin=RequestOrigin.STARTUP_REQUEST,
            note=form.cleaned_data["note"],
        )
    except MeetingError as error:
        refused(request, error)
    else:
        messages.success(request, _("Your request was sent to %(unit)s.") % {"unit": unit.display_name})
    return redirect("meetings:detail", pk=pk)
