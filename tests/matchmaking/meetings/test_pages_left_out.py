"""The timetable says which requests scheduling leaves out and why, before a run and in the run's result (the
scheduler used to drop requests of invitees who had not accepted, yet report "proven optimal · 0 placed · 0 not
placed"), and it tells the solver's result in plain words."""

import pytest
from django.urls import reverse
from django.utils import translation

from matchmaking.meetings import services
from tests.factories import StartupFactory
from tests.matchmaking.meetings.conftest import invite_all, request_all

SOLVER_JARGON = ("目的関数", "上界", "objective", "bound")


def ja(msgid: str) -> str:
    with translation.override("ja"):
        return translation.gettext(msgid)


@pytest.fixture
def half_accepted(world):
    """Four invitees of which only the first accepted, plus an unclaimed startup (no portal account)."""
    invite_all(world, accept=False)
    services.invitation_respond(invitation=world.invitations[0], actor=world.members[0], accept=True)
    services.invitation_respond(invitation=world.invitations[1], actor=world.members[1], accept=False)
    unclaimed = StartupFactory(name="株式会社だれもいない", organisation=None)
    world.invitations += services.invitation_create(meeting=world.meeting, actor=world.admin, startups=[unclaimed])
    request_all(world)
    declined = world.meeting.requests.get(invitation=world.invitations[0], unit=world.atla)
    services.request_decline(request=declined, actor=world.admin)
    return world


def timetable(client, world) -> str:
    client.force_login(world.admin)
    return client.get(
        reverse("meetings:timetable", args=[world.meeting.pk]), HTTP_ACCEPT_LANGUAGE="ja"
    ).content.decode()


REASONS = {
    "株式会社でんぱ探知": "The invitee has not accepted the invitation yet",
    "量子センシング株式会社": "The invitee has not accepted the invitation yet",
    "株式会社うみまもり": "The invitee declined the invitation",
    "株式会社だれもいない": (
        "The invitee has no portal account, so it cannot accept: ask it to register, or add the meeting by hand"
    ),
}


def assert_reasons(section: str) -> None:
    for name, reason in REASONS.items():
        assert f"{name} × 防衛装備庁: {ja(reason)}" in section, name
    assert ja("The unit said no thanks") in section


def test_before_a_run_the_page_lists_what_will_be_left_out_and_why(client, half_accepted):
    page = timetable(client, half_accepted)
    section = page.split('data-testid="left-out"')[1].split("</section>")[0]
    assert_reasons(section)
    assert section.count("<li>") == 4 * 2 + 1  # four invitees × two units, and the declined request


def test_after_a_run_the_result_counts_and_lists_what_it_left_out(
    client, half_accepted, django_capture_on_commit_callbacks
):
    client.force_login(half_accepted.admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("meetings:schedule", args=[half_accepted.meeting.pk]))
    page = timetable(client, half_accepted)
    result = page.split('data-testid="schedule-run"')[1].split("</section>")[0]
    assert 'data-testid="run-placed">1<' in result
    assert 'data-testid="run-left-out">9<' in result
    assert_reasons(result.split('data-testid="run-left-out-list"')[1])
    status = client.get(reverse("meetings:schedule_status", args=[half_accepted.meeting.pk])).json()
    assert (status["placed"], status["unplaced"], status["left_out"]) == (1, 0, 9)


def test_the_result_is_told_in_plain_words(client, scheduled):
    page = timetable(client, scheduled)
    result = page.split('data-testid="schedule-run"')[1].split("</section>")[0]
    assert not [word for word in SOLVER_JARGON if word in result.lower()]
    assert 'data-testid="run-points"' in result and "8" in result.split('data-testid="run-points"')[1]


def test_a_late_acceptance_brings_the_requests_back(client, half_accepted):
    services.invitation_respond(invitation=half_accepted.invitations[2], actor=half_accepted.members[2], accept=True)
    section = timetable(client, half_accepted).split('data-testid="left-out"')[1].split("</section>")[0]
    assert "株式会社でんぱ探知" not in section
    assert section.count("<li>") == 3 * 2 + 1
