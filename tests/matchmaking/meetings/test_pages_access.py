"""Who may open which meeting page: each role against each page (allowed: 200; refused: 403; anonymous: the
sign-in page). Run on a scheduled meeting, so that every page has something to show."""

import pytest
from django.urls import reverse

from accounts.enums import OrganisationKind, RoleCode, UnitCode
from tests.factories import OrganisationFactory, StartupFactory, UserFactory
from tests.matchmaking.meetings.conftest import make_unit

ROLES = ["admin", "unit_user", "other_unit_user", "invited_member", "uninvited_member", "curator", "anonymous"]


def users(world) -> dict:
    stranger_org = OrganisationFactory(kind=OrganisationKind.STARTUP)
    StartupFactory(organisation=stranger_org)
    msdf = make_unit(OrganisationKind.MOD_UNIT, UnitCode.MSDF, "海上幕僚監部", "MSDF Staff Office")
    return {
        "admin": world.admin,
        "unit_user": world.gsdf_user,
        "other_unit_user": UserFactory(organisation=msdf, roles=[RoleCode.NEED_AUTHOR]),
        "invited_member": world.members[0],
        "uninvited_member": UserFactory(organisation=stranger_org, roles=[RoleCode.STARTUP_MEMBER]),
        "curator": UserFactory(organisation=OrganisationFactory(government=True), roles=[RoleCode.CURATOR]),
        "anonymous": None,
    }


def pages(world) -> dict:
    """name → (url, roles allowed)."""
    m = world.meeting
    mu = m.units.get(unit=world.gsdf)
    invitation = world.invitation(0)
    appointment = m.appointments.first()
    admin = {"admin"}
    participants = {"admin", "unit_user", "invited_member"}
    unit = {"admin", "unit_user"}
    invitee = {"admin", "invited_member"}
    verified = set(ROLES) - {"anonymous"}
    readers = participants | {"curator"}  # METI curators follow every meeting, read-only
    timetable = admin | {"curator"}
    return {
        "list": (reverse("meetings:list"), verified),
        "my_invitations": (reverse("meetings:my_invitations"), verified),
        "create": (reverse("meetings:create"), admin),
        "detail": (reverse("meetings:detail", args=[m.pk]), readers),
        "edit": (reverse("meetings:edit", args=[m.pk]), admin),
        "move": (reverse("meetings:move", args=[m.pk, "published"]), admin),
        "invite": (reverse("meetings:invite", args=[m.pk]), admin),
        "invitations": (reverse("meetings:invitations", args=[m.pk]), admin),
        "requests": (reverse("meetings:requests", args=[m.pk]), admin),
        "timetable": (reverse("meetings:timetable", args=[m.pk]), timetable),
        "schedule_status": (reverse("meetings:schedule_status", args=[m.pk]), timetable),
        "appointment": (reverse("meetings:appointment", args=[m.pk, appointment.pk]), admin),
        "appointment_remove": (reverse("meetings:appointment_remove", args=[m.pk, appointment.pk]), admin),
        "appointment_add": (reverse("meetings:appointment_add", args=[m.pk]), admin),
        "publish": (reverse("meetings:publish", args=[m.pk]), admin),
        "export": (reverse("meetings:export", args=[m.pk, "pdf"]), admin),
        "unit_availability": (reverse("meetings:unit_availability", args=[m.pk, mu.pk]), unit),
        "unit_requests": (reverse("meetings:unit_requests", args=[m.pk, mu.pk]), unit),
        "briefing": (reverse("meetings:briefing", args=[m.pk, mu.pk]), unit),
        "respond": (reverse("meetings:respond", args=[m.pk, invitation.pk]), {"invited_member"}),
        "invitee_availability": (reverse("meetings:invitee_availability", args=[m.pk, invitation.pk]), invitee),
        "my_agenda": (reverse("meetings:my_agenda", args=[m.pk, "csv"]) + f"?invitation={invitation.pk}", participants),
    }


PAGES = [
    "list", "my_invitations", "create", "detail", "edit", "move", "invite", "invitations", "requests", "timetable",
    "schedule_status", "appointment", "appointment_remove", "appointment_add", "publish", "export",
    "unit_availability", "unit_requests", "briefing", "respond", "invitee_availability", "my_agenda",
]  # fmt: skip


@pytest.mark.parametrize("name", PAGES)
def test_each_role_gets_the_page_or_is_refused(client, scheduled, name):
    everyone = users(scheduled)
    url, allowed = pages(scheduled)[name]
    for role in ROLES:
        client.logout()
        if everyone[role] is not None:
            client.force_login(everyone[role])
        response = client.get(url)
        if role == "anonymous":
            assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login")), (
                name,
                role,
            )
        elif role in allowed:
            assert response.status_code == 200, (name, role, response.status_code)
        else:
            assert response.status_code == 403, (name, role, response.status_code)


def test_posts_are_refused_to_participants_and_change_nothing(client, scheduled):
    m = scheduled.meeting
    appointment = m.appointments.first()
    before = (appointment.starts_at, appointment.room_id, m.status, m.schedule_runs.count())
    client.force_login(scheduled.gsdf_user)
    for url in (
        reverse("meetings:schedule", args=[m.pk]),
        reverse("meetings:publish", args=[m.pk]),
        reverse("meetings:move", args=[m.pk, "published"]),
        reverse("meetings:appointment_remove", args=[m.pk, appointment.pk]),
        reverse("meetings:requests_propose", args=[m.pk]),
    ):
        assert client.post(url).status_code == 403, url
    appointment.refresh_from_db()
    m.refresh_from_db()
    assert (appointment.starts_at, appointment.room_id, m.status, m.schedule_runs.count()) == before
