"""Meeting e-mails, each rendered in its recipient's language: invitations (and their one reminder) to the
invitee's members, and each published agenda version to every participant it concerns."""

from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from accounts.enums import RoleCode
from matchmaking.meetings.enums import InvitationStatus
from matchmaking.meetings.slots import TOKYO
from matchmaking.meetings.versions import diff_for, is_empty
from matchmaking.models import AgendaVersion, Invitation, JointMeeting, MeetingRoom

UNIT_ROLES = (RoleCode.NEED_AUTHOR, RoleCode.NEED_REVIEWER)


def meeting_link(meeting: JointMeeting) -> str:
    return settings.SITE_URL + reverse("meetings:detail", args=[meeting.pk])


def _active(users):
    return users.filter(is_active=True, email_verified_at__isnull=False).distinct().order_by("pk")


def invitee_users(invitation: Invitation):
    """Who answers for an invitee: a startup's members (its claiming organisation), or the invited VC's users."""
    organisation_id = invitation.invitee_organisation_id
    if organisation_id is None:  # an unclaimed startup has nobody to write to
        return get_user_model().objects.none()
    users = get_user_model().objects.filter(organisation_id=organisation_id)
    if invitation.startup_id:
        users = users.filter(roles__code=RoleCode.STARTUP_MEMBER)
    return _active(users)


def unit_users(unit_id: int):
    return _active(get_user_model().objects.filter(organisation_id=unit_id, roles__code__in=UNIT_ROLES))


def _send(user, subject: str, template: str, context: dict) -> None:
    body = render_to_string(template, {**context, "user": user})
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])


def invitation_send(invitation: Invitation, *, reminder: bool = False) -> int:
    """The invitation (or its reminder) to each member of the invitee; returns how many e-mails went out."""
    meeting = invitation.meeting
    sent = 0
    for user in invitee_users(invitation):
        with translation.override(user.preferred_language):
            if reminder:
                subject = gettext("Reminder: please reply to the invitation to %(title)s by %(date)s")
            else:
                subject = gettext("Invitation: %(title)s")
            subject %= {"title": meeting.display_title, "date": invitation.reply_by}
            context = {
                "meeting": meeting,
                "invitation": invitation,
                "reminder": reminder,
                "link": meeting_link(meeting),
            }
            _send(user, subject, "matchmaking/email/meeting_invitation.txt", context)
        sent += 1
    return sent


def _lines(rows: list[dict], names: dict) -> list[dict]:
    return [{**row, "who": names["invitation"].get(row["invitation"], ""), **_times(row, names)} for row in rows]


def _times(row: dict, names: dict) -> dict:
    start, end = datetime.fromisoformat(row["start"]), datetime.fromisoformat(row["end"])
    start, end = start.astimezone(TOKYO), end.astimezone(TOKYO)
    return {
        "when": f"{start:%Y-%m-%d %H:%M}–{end:%H:%M}",
        "unit_name": names["unit"].get(row["unit"], ""),
        "room_label": names["room"].get(row["room"], row.get("room_name", "")),
    }


def _names(meeting: JointMeeting) -> dict:
    invitations = meeting.invitations.select_related("startup", "organisation")
    return {
        "invitation": {i.pk: i.invitee_name for i in invitations},
        "unit": {u.unit_id: u.unit.display_name for u in meeting.units.select_related("unit")},
        "room": dict(MeetingRoom.objects.filter(meeting=meeting).values_list("pk", "name")),
    }


def _changed_rows(changes: dict) -> list[dict]:
    return [*changes.get("added", []), *changes.get("removed", []), *(m["after"] for m in changes.get("moved", []))]


def _participants(version: AgendaVersion):
    """(filter key, users) for every accepted invitee (and any invitee the changes concern, e.g. one that
    declined late) and every attending unit."""
    meeting = version.meeting
    concerned = {row["invitation"] for row in _changed_rows(version.changes)}
    for invitation in meeting.invitations.select_related("startup"):
        if invitation.status == InvitationStatus.ACCEPTED or invitation.pk in concerned:
            yield {"invitation_id": invitation.pk}, invitee_users(invitation)
    for unit_id in meeting.units.values_list("unit_id", flat=True):
        yield {"unit_id": unit_id}, unit_users(unit_id)


def agenda_version_send(version: AgendaVersion) -> int:
    """Version 1: every participant gets its own agenda. Later versions: each participant whose appointments
    changed gets what was added, moved and removed, and its agenda as it now stands."""
    meeting = version.meeting
    names_by_language: dict[str, dict] = {}  # names in each recipient language, read once
    sent = 0
    for key, users in _participants(version):
        mine = diff_for(version.changes, **key)
        if version.number > 1 and is_empty(mine):
            continue
        own = diff_for({"added": version.snapshot.get("appointments", [])}, **key)["added"]
        for user in users:
            with translation.override(user.preferred_language):
                names = names_by_language.setdefault(user.preferred_language, _names(meeting))
                context = {
                    "meeting": meeting,
                    "version": version,
                    "appointments": _lines(own, names),
                    "added": _lines(mine["added"], names),
                    "removed": _lines(mine["removed"], names),
                    "moved": [
                        {"before": _lines([m["before"]], names)[0], "after": _lines([m["after"]], names)[0]}
                        for m in mine["moved"]
                    ],
                    "link": meeting_link(meeting),
                }
                if version.number == 1:
                    subject = gettext("Final agenda: %(title)s")
                else:
                    subject = gettext("Agenda updated (version %(number)s): %(title)s")
                subject %= {"title": meeting.display_title, "number": version.number}
                _send(user, subject, "matchmaking/email/agenda_version.txt", context)
            sent += 1
    return sent
