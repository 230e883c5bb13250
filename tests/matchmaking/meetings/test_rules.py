"""Meeting permissions for each role, including the refused ones."""

import pytest

from accounts.enums import RoleCode
from tests.matchmaking.meetings.conftest import invite_all


@pytest.mark.parametrize("role", list(RoleCode))
def test_only_portal_admins_run_meetings(user_with_role, role):
    assert user_with_role(role).has_perm("matchmaking.manage_meetings") == (role == RoleCode.PORTAL_ADMIN)


@pytest.fixture
def people(world, user_with_role):
    invite_all(world, accept=False)
    return {
        "admin": world.admin,
        "member": world.members[0],
        "other_member": world.members[1],
        "gsdf": world.gsdf_user,
        "atla": world.atla_user,
        "curator": user_with_role(RoleCode.CURATOR),
    }


def allowed(people, perm, obj) -> set[str]:
    return {name for name, user in people.items() if user.has_perm(perm, obj)}


def test_who_sees_the_meeting(world, people):
    assert allowed(people, "matchmaking.view_meeting", world.meeting) == {
        "admin",
        "member",
        "other_member",
        "gsdf",
        "atla",
        "curator",  # read-only: METI follows every meeting
    }
    assert allowed(people, "matchmaking.view_timetable", world.meeting) == {"admin", "curator"}


def test_who_replies_and_states_an_invitees_availability(world, people):
    invitation = world.invitation(0)
    assert allowed(people, "matchmaking.respond_invitation", invitation) == {"member"}
    assert allowed(people, "matchmaking.set_invitee_availability", invitation) == {"member", "admin"}


def test_who_states_a_units_availability_and_requests(world, people):
    gsdf = world.meeting.units.get(unit=world.gsdf)
    for perm in ("matchmaking.set_unit_availability", "matchmaking.manage_unit_requests"):
        assert allowed(people, perm, gsdf) == {"gsdf", "admin"}


def test_unverified_members_are_refused(world, people):
    member = people["member"]
    member.email_verified_at = None
    assert not member.has_perm("matchmaking.view_meeting", world.meeting)
    assert not member.has_perm("matchmaking.respond_invitation", world.invitation(0))
