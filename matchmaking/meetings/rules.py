"""Who may do what with joint promotion meetings (imported by `matchmaking/rules.py`, which django-rules loads).

Only portal admins run a meeting (create, invite, schedule, edit the timetable, publish, export it whole). An
invitee's members (a startup's claiming organisation, or the invited VC) reply and state their availability;
an attending unit's staff (need authors and reviewers of that unit) state the unit's availability and requests.
Each participant sees its own agenda only (`selectors.meetings_visible_q` filters lists by the same rule). METI
curators follow every meeting read-only: its page, the whole agenda and the timetable, with no edits and no
exports.
"""

import rules

from accounts.rules import is_curator, is_need_author, is_need_reviewer, is_portal_admin, is_verified
from seeds.rules import is_member_of_startup


@rules.predicate
def is_invitee_member(user, invitation) -> bool:
    """A member of the invited startup (claimed by the user's organisation) or of the invited VC."""
    if invitation is None or not is_verified(user):
        return False
    if invitation.startup_id:
        return bool(is_member_of_startup(user, invitation.startup))
    return invitation.organisation_id is not None and user.organisation_id == invitation.organisation_id


@rules.predicate
def is_unit_staff(user, meeting_unit) -> bool:
    """A need author or reviewer of the attending unit."""
    return bool(
        meeting_unit is not None
        and (is_need_author(user) or is_need_reviewer(user))
        and user.organisation_id == meeting_unit.unit_id
    )


@rules.predicate
def is_meeting_participant(user, meeting) -> bool:
    """The user answers for an invitee of the meeting or belongs to one of its attending units' staff."""
    if meeting is None or not is_verified(user):
        return False
    from matchmaking.meetings.selectors import participant_of

    return participant_of(user, meeting) is not None


is_meeting_observer = is_curator  # METI follows the meetings it helps fill, read-only
can_view_meeting = is_portal_admin | is_meeting_observer | is_meeting_participant

rules.add_perm("matchmaking.manage_meetings", is_portal_admin)  # create, edit, invite, schedule, publish, export
rules.add_perm("matchmaking.view_meetings", is_portal_admin | is_verified)  # the list: filtered per user
rules.add_perm("matchmaking.view_meeting", can_view_meeting)
rules.add_perm("matchmaking.view_timetable", is_portal_admin | is_meeting_observer)  # the whole agenda, read-only
rules.add_perm("matchmaking.respond_invitation", is_invitee_member)
rules.add_perm("matchmaking.set_invitee_availability", is_portal_admin | is_invitee_member)
rules.add_perm("matchmaking.set_unit_availability", is_portal_admin | is_unit_staff)
rules.add_perm("matchmaking.manage_unit_requests", is_portal_admin | is_unit_staff)
