"""METI curators see 合同推進会 in their navigation: every link it leads to opens, read-only (the whole agenda and
the timetable, no editing control, no export, no write)."""

import pytest
from django.urls import reverse

from accounts.enums import RoleCode
from accounts.navigation import navigation_for
from tests.factories import OrganisationFactory, UserFactory


@pytest.fixture
def curator(db):
    return UserFactory(organisation=OrganisationFactory(government=True), roles=[RoleCode.CURATOR])


def test_the_meetings_item_leads_a_curator_to_every_meeting(client, scheduled, curator):
    client.force_login(curator)
    links = {link.url for link in navigation_for(curator, "/")}
    assert reverse("meetings:list") in links
    page = client.get(reverse("meetings:list")).content.decode()
    assert reverse("meetings:detail", args=[scheduled.meeting.pk]) in page


def test_a_curator_reads_the_whole_agenda_without_controls(client, scheduled, curator):
    client.force_login(curator)
    m = scheduled.meeting
    detail = client.get(reverse("meetings:detail", args=[m.pk])).content.decode()
    assert 'data-testid="observer"' in detail
    for startup in scheduled.startups:
        assert startup.name in detail
    timetable = client.get(reverse("meetings:timetable", args=[m.pk])).content.decode()
    assert scheduled.startups[0].name in timetable
    for control in ("admin-actions", 'data-testid="schedule"', "edit-appointment", "drop-form", "/export.", "/edit/"):
        assert control not in detail + timetable, control


def test_a_curators_writes_and_exports_are_refused_and_change_nothing(client, scheduled, curator):
    m = scheduled.meeting
    appointment = m.appointments.first()
    before = (appointment.starts_at, appointment.room_id, m.status, m.schedule_runs.count())
    client.force_login(curator)
    for url in (
        reverse("meetings:schedule", args=[m.pk]),
        reverse("meetings:publish", args=[m.pk]),
        reverse("meetings:move", args=[m.pk, "published"]),
        reverse("meetings:appointment_remove", args=[m.pk, appointment.pk]),
        reverse("meetings:appointment_drop", args=[m.pk, appointment.pk]),
    ):
        assert client.post(url).status_code == 403, url
    for fmt in ("csv", "xlsx", "pdf", "ics"):
        assert client.get(reverse("meetings:export", args=[m.pk, fmt])).status_code == 403
        assert client.get(reverse("meetings:my_agenda", args=[m.pk, fmt])).status_code == 403
    appointment.refresh_from_db()
    m.refresh_from_db()
    assert (appointment.starts_at, appointment.room_id, m.status, m.schedule_runs.count()) == before
