"""The admin's timetable: scheduling from the page (eager Celery) with its result, the grid, moving with a
conflict preview, drag-and-drop's post, swapping, locking, removing with confirmation, adding by hand,
publishing (first the final agenda, then an update listing the changes), and query counts at two sizes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from matchmaking.meetings import editing, services
from matchmaking.meetings.enums import MeetingStatus, ScheduleRunStatus
from matchmaking.meetings.slots import meeting_slots
from matchmaking.models import Appointment
from tests.factories import OrganisationFactory, StartupFactory, UserFactory


def ja(msgid: str) -> str:
    with translation.override("ja"):
        return translation.gettext(msgid)


@pytest.fixture
def admin_client(client, scheduled):
    client.force_login(scheduled.admin)
    return client


def free_place(meeting):
    """A (slot key, room) with no appointment."""
    taken = {(a.slot_key, a.room_id) for a in meeting.appointments.all()}
    return next((s.key, r) for s in meeting_slots(meeting) for r in meeting.rooms.all() if (s.key, r.pk) not in taken)


def test_scheduling_from_the_page_shows_the_result(client, invited, django_capture_on_commit_callbacks):
    client.force_login(invited.admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("meetings:schedule", args=[invited.meeting.pk]))
    assert response.status_code == 302
    page = client.get(reverse("meetings:timetable", args=[invited.meeting.pk]))
    assert page.context["run"].status == ScheduleRunStatus.DONE and not page.context["running"]
    assert page.context["run"].placed == 8 and page.context["unplaced"] == []
    assert ja("Proven optimal") in page.content.decode()
    cells = [a for _day, rows in page.context["days"] for _slot, row in rows for a, _room in row if a]
    assert len(cells) == 8
    status = client.get(reverse("meetings:schedule_status", args=[invited.meeting.pk])).json()
    assert status["status"] == "done" and status["placed"] == 8


def test_unplaced_requests_are_listed_with_their_reason(client, invited, django_capture_on_commit_callbacks):
    every = [s.key for s in meeting_slots(invited.meeting)]
    services.availability_set(actor=invited.members[0], unavailable=every, invitation=invited.invitation(0))
    client.force_login(invited.admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("meetings:schedule", args=[invited.meeting.pk]))
    page = client.get(reverse("meetings:timetable", args=[invited.meeting.pk]))
    assert len(page.context["unplaced"]) == 2
    assert ja("No common free slot") in page.content.decode()


def test_a_move_is_previewed_first_and_a_conflict_refused(admin_client, scheduled):
    meeting = scheduled.meeting
    first, second = list(meeting.appointments.order_by("starts_at", "room__position"))[:2]
    url = reverse("meetings:appointment", args=[meeting.pk, first.pk])
    preview = admin_client.post(url, {"action": "preview", "slot": second.slot_key, "room": second.room_id})
    assert preview.context["preview"]["hard"]  # the room is taken
    first.refresh_from_db()
    before = (first.starts_at, first.room_id)
    refused = admin_client.post(url, {"action": "move", "slot": second.slot_key, "room": second.room_id})
    assert refused.status_code == 200 and refused.context["move_form"].non_field_errors()
    first.refresh_from_db()
    assert (first.starts_at, first.room_id) == before


def test_a_free_move_goes_through_and_locks(admin_client, scheduled):
    meeting = scheduled.meeting
    first = meeting.appointments.order_by("starts_at").first()
    emptied = list(meeting.appointments.filter(starts_at=first.starts_at))  # both units meet in every slot
    invitation = emptied[0].invitation
    Appointment.objects.filter(pk__in=[a.pk for a in emptied]).delete()
    appointment = meeting.appointments.filter(invitation=invitation).first()  # its other unit, another slot
    room = meeting.rooms.first()
    response = admin_client.post(
        reverse("meetings:appointment", args=[meeting.pk, appointment.pk]),
        {"action": "move", "slot": first.slot_key, "room": room.pk},
    )
    assert response.status_code == 302
    appointment.refresh_from_db()
    assert appointment.slot_key == first.slot_key and appointment.room_id == room.pk and appointment.locked


def test_drag_and_drop_posts_a_move_and_refuses_a_taken_cell(admin_client, scheduled):
    meeting = scheduled.meeting
    first, second = list(meeting.appointments.order_by("starts_at", "room__position"))[:2]
    url = reverse("meetings:appointment_drop", args=[meeting.pk, first.pk])
    response = admin_client.post(url, {"slot": second.slot_key, "room": second.room_id}, follow=True)
    first.refresh_from_db()
    assert first.room_id != second.room_id or first.starts_at != second.starts_at
    assert response.context["messages"]


def test_swap_lock_and_remove(admin_client, scheduled):
    meeting = scheduled.meeting
    first = meeting.appointments.order_by("starts_at").first()
    a, b = meeting.appointments.filter(starts_at=first.starts_at)  # same slot, other room: a clean swap
    places = {a.pk: (a.starts_at, a.room_id), b.pk: (b.starts_at, b.room_id)}
    url = reverse("meetings:appointment", args=[meeting.pk, a.pk])
    admin_client.post(url, {"action": "swap", "other": b.pk})
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.starts_at, a.room_id) == places[b.pk] and (b.starts_at, b.room_id) == places[a.pk]
    admin_client.post(url, {"action": "unlock"})
    a.refresh_from_db()
    assert not a.locked
    remove = reverse("meetings:appointment_remove", args=[meeting.pk, a.pk])
    assert b'data-testid="confirm"' in admin_client.get(remove).content
    assert Appointment.objects.filter(pk=a.pk).exists()
    admin_client.post(remove)
    assert not Appointment.objects.filter(pk=a.pk).exists()


def test_add_by_hand_with_a_preview(admin_client, scheduled):
    meeting = scheduled.meeting
    victim = meeting.appointments.order_by("starts_at").first()
    invitation, unit_id = victim.invitation, victim.unit_id
    victim.delete()
    key, room = free_place(meeting)
    mu = meeting.units.get(unit_id=unit_id)
    url = reverse("meetings:appointment_add", args=[meeting.pk])
    page = admin_client.get(url, {"slot": key, "room": room.pk})
    assert page.context["form"].initial["slot"] == key
    data = {"invitation": invitation.pk, "unit": mu.pk, "slot": key, "room": room.pk}
    preview = admin_client.post(url, {**data, "action": "preview"})
    assert preview.context["preview"] is not None
    assert not meeting.appointments.filter(invitation=invitation, unit_id=unit_id).exists()
    response = admin_client.post(url, {**data, "action": "add"})
    if preview.context["preview"]["hard"]:
        assert response.status_code == 200
    else:
        assert response.status_code == 302
        assert meeting.appointments.get(invitation=invitation, unit_id=unit_id).locked


def test_publish_first_then_an_update_listing_the_changes(admin_client, scheduled, django_capture_on_commit_callbacks):
    meeting = scheduled.meeting
    url = reverse("meetings:publish", args=[meeting.pk])
    assert admin_client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(url)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PUBLISHED and meeting.agenda_versions.count() == 1
    gone = meeting.appointments.order_by("starts_at").first()
    name = gone.invitation.invitee_name
    gone.delete()
    confirm = admin_client.get(url)
    assert any(name in line for line in confirm.context["items"])
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(url)
    assert meeting.agenda_versions.count() == 2
    refused = admin_client.post(url, follow=True)  # nothing changed since
    assert meeting.agenda_versions.count() == 2 and refused.context["messages"]


def test_whole_meeting_downloads(admin_client, scheduled):
    for fmt, start in (("pdf", b"%PDF"), ("xlsx", b"PK"), ("ics", b"BEGIN:VCALENDAR")):
        response = admin_client.get(reverse("meetings:export", args=[scheduled.meeting.pk, fmt]))
        assert response.status_code == 200 and response.content.startswith(start), fmt
    csv = admin_client.get(reverse("meetings:export", args=[scheduled.meeting.pk, "csv"])).content.decode("utf-8-sig")
    assert all(name in csv for name in (s.name for s in scheduled.startups))
    assert admin_client.get(reverse("meetings:export", args=[scheduled.meeting.pk, "doc"])).status_code == 404


def grow(world, count: int) -> None:
    """More accepted invitees with requests to both units (shown as waiting), and one placed by hand."""
    startups = [StartupFactory(organisation=OrganisationFactory(kind="startup")) for _ in range(count)]
    invitations = services.invitation_create(meeting=world.meeting, actor=world.admin, startups=startups)
    for invitation in invitations:
        member = UserFactory(organisation=invitation.startup.organisation, roles=["startup_member"])
        services.invitation_respond(invitation=invitation, actor=member, accept=True)
        for unit in world.units:
            services.request_set(meeting=world.meeting, invitation=invitation, unit=unit, actor=world.admin)
    victim = world.meeting.appointments.order_by("-starts_at").first()
    key, room, unit_id = victim.slot_key, victim.room, victim.unit_id
    victim.delete()
    editing.appointment_add(
        meeting=world.meeting, invitation=invitations[0], unit_id=unit_id, slot_key=key, room=room, actor=world.admin
    )


@pytest.mark.parametrize("name", ["timetable", "appointment"])
def test_timetable_pages_query_the_same_as_the_meeting_grows(admin_client, scheduled, name):
    meeting = scheduled.meeting

    def url():
        if name == "timetable":
            return reverse("meetings:timetable", args=[meeting.pk])
        return reverse("meetings:appointment", args=[meeting.pk, meeting.appointments.order_by("pk").first().pk])

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert admin_client.get(url()).status_code == 200
        return len(queries)

    small = count()
    grow(scheduled, 6)
    assert count() == small


def test_meetings_in_slots_a_participant_can_no_longer_make_are_flagged(admin_client, scheduled):
    meeting = scheduled.meeting
    appointment = meeting.appointments.filter(unit=scheduled.gsdf).order_by("starts_at").first()
    meeting_unit = meeting.units.get(unit=scheduled.gsdf)
    services.availability_set(actor=scheduled.gsdf_user, unavailable=[appointment.slot_key], meeting_unit=meeting_unit)
    page = admin_client.get(reverse("meetings:timetable", args=[meeting.pk]))
    assert page.context["flagged"] == {appointment.pk}
    assert page.content.decode().count('data-testid="unavailable-warning"') == 1


def test_a_queued_run_shows_progress_and_refreshes_itself(client, invited):
    """Before the worker takes the run (no commit callbacks here), the page says so, the button waits, and
    the page refreshes itself without JavaScript; the JSON endpoint reports the same status."""
    client.force_login(invited.admin)
    client.post(reverse("meetings:schedule", args=[invited.meeting.pk]))
    page = client.get(reverse("meetings:timetable", args=[invited.meeting.pk]))
    assert page.context["running"]
    html = page.content.decode()
    assert 'http-equiv="refresh"' in html and 'data-testid="schedule" disabled' in html
    with translation.override("ja"):
        queued = translation.pgettext("schedule run", "Queued")
    assert queued in html
    status = client.get(reverse("meetings:schedule_status", args=[invited.meeting.pk])).json()
    assert status["status"] == "queued" and status["status_label"] == queued


def test_the_page_follows_the_readers_language(client, scheduled):
    member = scheduled.members[1]  # reads English
    client.force_login(member)
    try:
        page = client.get(reverse("meetings:detail", args=[scheduled.meeting.pk]))
    finally:
        translation.activate("ja")  # the request left English active in this thread; later tests expect ja
    html = page.content.decode()
    assert '<html lang="en">' in html and "1st joint promotion meeting" in html and "Your agenda (draft)" in html
