"""What an agenda file says about its own standing: a draft is called a draft (never "version 0") in every
language, its calendar events are tentative; a published agenda's events are confirmed, and an appointment a
published version had and the agenda has since lost is sent as cancelled, so calendars drop it."""

import icalendar
import pytest

from matchmaking.meetings import editing, versions
from matchmaking.meetings.exports import export_agenda
from matchmaking.meetings.selectors import Participant
from matchmaking.models import Appointment
from tests.matchmaking.meetings.conftest import pdf_text


def statuses(meeting, **kwargs) -> dict[str, list[str]]:
    calendar = icalendar.Calendar.from_ical(export_agenda(meeting, "ics", **kwargs).content)
    found: dict[str, list[str]] = {}
    for event in calendar.walk("VEVENT"):
        found.setdefault(str(event["status"]), []).append(str(event["summary"]))
    return found


@pytest.mark.parametrize(("language", "draft", "zero"), [("ja", "下書き", "第0版"), ("en", "Draft", "Version0")])
def test_a_draft_agenda_pdf_says_draft_not_version_zero(scheduled, tmp_path, language, draft, zero):
    text = pdf_text(export_agenda(scheduled.meeting, "pdf", language=language).content, tmp_path)
    assert draft in text
    assert zero not in text


def test_a_published_agenda_pdf_names_its_version(scheduled, tmp_path):
    versions.meeting_publish(meeting=scheduled.meeting, actor=scheduled.admin)
    text = pdf_text(export_agenda(scheduled.meeting, "pdf").content, tmp_path)
    assert "第1版" in text and "下書き" not in text


def test_draft_events_are_tentative(scheduled):
    assert set(statuses(scheduled.meeting)) == {"TENTATIVE"}


def test_published_events_are_confirmed_and_removed_ones_cancelled(scheduled):
    versions.meeting_publish(meeting=scheduled.meeting, actor=scheduled.admin)
    assert set(statuses(scheduled.meeting)) == {"CONFIRMED"}
    invitation = scheduled.invitation(0)
    removed = Appointment.objects.filter(invitation=invitation).select_related("unit").first()
    editing.appointment_remove(appointment=removed, actor=scheduled.admin)

    whole = statuses(scheduled.meeting)
    assert len(whole["CONFIRMED"]) == 7
    assert whole["CANCELLED"] == [f"{invitation.startup.name} × {removed.unit.name}"]
    # The cancellation goes to the participants concerned only.
    assert "CANCELLED" in statuses(scheduled.meeting, participant=Participant(invitation=invitation))
    other = Participant(invitation=scheduled.invitation(1))
    assert "CANCELLED" not in statuses(scheduled.meeting, participant=other)
