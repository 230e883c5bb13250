"""A joint promotion meeting from creation to printed agenda, in Japanese: the portal admin creates the
meeting, invites the four startups on a GSDF need's shortlist, each startup's member accepts, the GSDF staff
office states its availability, the admin proposes the requests from the shortlist, schedules (eager Celery),
moves one appointment to the other room, publishes the final agenda and downloads the PDF, whose text shows
the Japanese company names.

Texts come from Django's catalogue (`ja()`), locators are role- and label-based, as in the other journeys.
"""

import re
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import Locator, Page, expect

from accounts.enums import OrganisationKind, RoleCode, UnitCode
from matchmaking.meetings.enums import MeetingStatus
from matchmaking.models import Appointment, JointMeeting, Shortlist
from tests.factories import TEST_PASSWORD, OrganisationFactory, StartupFactory, UserFactory
from tests.matchmaking.conftest import make_need
from tests.matchmaking.meetings.conftest import invited, meeting_day, scheduled, world  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STARTUPS = ["株式会社そらみる", "株式会社うみまもり", "株式会社でんぱ探知", "量子センシング株式会社"]
TITLE = "第3回 防衛産業へのスタートアップ活用に向けた合同推進会"


def ja(msgid: str, context: str | None = None, **params) -> str:
    with translation.override("ja"):
        text = translation.pgettext(context, msgid) if context else translation.gettext(msgid)
    return text % params if params else text


def field(scope: Locator | Page, label: str) -> Locator:
    return scope.get_by_label(re.compile(rf"^{re.escape(label)}(\s*\*)?$"))


def status_message(page: Page, text: str) -> None:
    expect(page.get_by_role("status").filter(has_text=text).first).to_be_visible()


def sign_in(page: Page, live_url: str, user) -> None:
    header = page.locator("header.site-header")
    page.goto(live_url + "/")
    if header.get_by_role("button", name=ja("Sign out"), exact=True).count():
        header.get_by_role("button", name=ja("Sign out"), exact=True).click()
    header.get_by_role("link", name=ja("Sign in"), exact=True).click()
    form = page.locator("main form")
    field(form, ja("E-mail address")).fill(user.email)
    field(form, ja("Password")).fill(TEST_PASSWORD)
    form.get_by_role("button", name=ja("Sign in"), exact=True).click()
    expect(header.get_by_role("button", name=ja("Sign out"), exact=True)).to_be_visible()


def open_meeting(page: Page) -> None:
    page.get_by_role("navigation", name=ja("Main navigation")).get_by_role(
        "link", name=ja("Meetings"), exact=True
    ).click()
    page.get_by_role("link", name=TITLE, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)


def test_admin_runs_a_meeting_from_invitation_to_printed_agenda(page: Page, live_url):
    # --- A GSDF need with four shortlisted startups, each claimed by its own organisation with one member.
    gsdf = OrganisationFactory(
        name="陸上幕僚監部", kind=OrganisationKind.MOD_UNIT, unit_code=UnitCode.GSDF, corporate_number=""
    )
    atla = OrganisationFactory(
        name="防衛装備庁", kind=OrganisationKind.ATLA, unit_code=UnitCode.ATLA, corporate_number=""
    )
    author = UserFactory(organisation=gsdf, roles=[RoleCode.NEED_AUTHOR], email="author@gsdf.example.jp")
    admin_org = OrganisationFactory(kind=OrganisationKind.ADMIN, corporate_number="")
    admin = UserFactory(organisation=admin_org, roles=[RoleCode.PORTAL_ADMIN], email="admin@portal.example.jp")
    need = make_need(gsdf, "GSDF-2026-003")  # published, open to proposals
    members = []
    for index, name in enumerate(STARTUPS):
        organisation = OrganisationFactory(kind=OrganisationKind.STARTUP, name=name)
        startup = StartupFactory(name=name, name_en=f"Startup {index}", organisation=organisation)
        Shortlist.objects.create(need=need, startup=startup, added_by=author)
        members.append(
            UserFactory(
                organisation=organisation, roles=[RoleCode.STARTUP_MEMBER], email=f"member{index}@startup.example.jp"
            )
        )
    day = timezone.localdate() + timedelta(days=21)

    # --- The admin creates the meeting: one morning of six 20-minute slots, two rooms, GSDF and ATLA attend.
    sign_in(page, live_url, admin)
    page.get_by_role("navigation", name=ja("Main navigation")).get_by_role(
        "link", name=ja("Meetings"), exact=True
    ).click()
    expect(page.get_by_text(ja("No meeting yet. Create the first one."))).to_be_visible()
    page.get_by_role("link", name=ja("New meeting"), exact=True).click()
    form = page.locator("main form")
    field(form, ja("Meeting number")).fill("3")
    field(form, ja("Title (Japanese)")).fill(TITLE)
    field(form, ja("Days and opening hours")).fill(f"{day:%Y-%m-%d} 10:00-12:00")
    field(form, ja("Slot length (minutes)")).fill("20")
    field(form, ja("Rooms or tables")).fill("会議室A\n会議室B")
    form.get_by_label(gsdf.name, exact=True).check()
    form.get_by_label(atla.name, exact=True).check()
    field(form, ja("Venue")).fill("防衛省 A棟")
    form.get_by_role("button", name=ja("Save"), exact=True).click()
    status_message(page, ja("The meeting was created."))
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    meeting = JointMeeting.objects.get(number=3)

    # --- Invite the four startups of the need's shortlist; the page names the unit that shortlisted them.
    page.get_by_role("link", name=ja("Invite"), exact=True).click()
    candidates = page.get_by_test_id("candidates")
    expect(candidates.locator("tbody tr")).to_have_count(4)
    expect(candidates.locator("tbody tr").first).to_contain_text(gsdf.name)
    for name in STARTUPS:
        candidates.get_by_label(name, exact=True).check()
    page.get_by_role("button", name=ja("Send the invitations"), exact=True).click()
    status_message(page, ja("%(count)d invitations were sent.", count=4))
    expect(page.get_by_test_id("invitations").locator("tbody tr")).to_have_count(4)

    # --- Each startup's member accepts on the meeting page.
    for member in members:
        sign_in(page, live_url, member)
        open_meeting(page)
        page.get_by_role("button", name=ja("Accept"), exact=True).click()
        status_message(page, ja("You accepted the invitation."))
        expect(page.get_by_test_id("invitation-status")).to_have_text(ja("Accepted", "invitation status"))

    # --- The GSDF staff office cannot make the first slot.
    sign_in(page, live_url, author)
    open_meeting(page)
    page.get_by_role("link", name=ja("Your unit's availability"), exact=True).click()
    first_slot = page.get_by_label(re.compile(r"^\s*10:00–10:20\s*$"))
    expect(first_slot).to_be_checked()
    first_slot.uncheck()
    page.get_by_role("button", name=ja("Save the availability"), exact=True).click()
    status_message(page, ja("The availability was saved."))

    # --- The admin proposes the requests from the shortlist and schedules; the result shows on the page.
    sign_in(page, live_url, admin)
    open_meeting(page)
    page.get_by_role("link", name=ja("Requests"), exact=True).click()
    page.get_by_role("button", name=ja("Propose from rankings"), exact=True).click()
    status_message(page, ja("%(count)d requests were proposed.", count=4))
    page.get_by_role("link", name=TITLE, exact=True).click()
    page.get_by_role("link", name=ja("Timetable"), exact=True).click()
    page.get_by_role("button", name=ja("Schedule"), exact=True).click()
    expect(page.get_by_test_id("run-status")).to_have_text(ja("Done", "schedule run"), timeout=30_000)
    expect(page.get_by_test_id("run-placed")).to_have_text("4")
    expect(page.get_by_test_id("run-solver")).to_have_text(ja("Proven optimal"))
    grid = page.get_by_test_id("timetable")
    expect(grid.locator("[data-appointment]")).to_have_count(4)
    expect(grid.locator('td[data-slot$="T10:00"] [data-appointment]')).to_have_count(0)

    # --- Move one appointment to the other room at the same time.
    moved = Appointment.objects.filter(meeting=meeting).order_by("starts_at").first()
    other_room = meeting.rooms.exclude(pk=moved.room_id).get()
    grid.locator(f'[data-appointment="{moved.pk}"]').get_by_role("link").click()
    move = page.get_by_test_id("move-form")
    field(move, ja("Room or table")).select_option(label=other_room.name)
    move.get_by_role("button", name=ja("Check for conflicts"), exact=True).click()
    expect(page.get_by_test_id("preview")).to_contain_text(ja("No conflict."))
    page.get_by_test_id("move-form").get_by_role("button", name=ja("Move"), exact=True).click()
    status_message(page, ja("The meeting was moved."))
    moved.refresh_from_db()
    assert moved.room_id == other_room.pk and moved.locked

    # --- Publish the final agenda (asked first) and download the whole meeting's PDF.
    page.get_by_role("link", name=ja("Publish the final agenda"), exact=True).click()
    page.get_by_role("button", name=ja("Publish"), exact=True).click()
    status_message(page, ja("Version %(number)s of the agenda was published.", number=1))
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PUBLISHED
    with page.expect_download() as download_info:
        page.get_by_test_id("download-pdf").click()
    path = download_info.value.path()
    content = Path(path).read_bytes()
    assert content.startswith(b"%PDF")
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True).stdout
    assert STARTUPS[0] in text.decode("utf-8")


def test_admin_drags_an_appointment_onto_a_free_cell(page: Page, live_url, scheduled):  # noqa: F811
    """The grid's drag-and-drop (static/js/meetings.js) posts the same move as the appointment's page."""
    meeting = scheduled.meeting
    first = meeting.appointments.order_by("starts_at").first()
    emptied = list(meeting.appointments.filter(starts_at=first.starts_at))  # free both cells of the first slot
    invitation = emptied[0].invitation
    Appointment.objects.filter(pk__in=[a.pk for a in emptied]).delete()
    dragged = meeting.appointments.filter(invitation=invitation).get()
    room = meeting.rooms.order_by("position").first()
    sign_in(page, live_url, scheduled.admin)
    page.goto(live_url + reverse("meetings:timetable", args=[meeting.pk]))
    grid = page.get_by_test_id("timetable")
    target = grid.locator(f'td[data-slot="{first.slot_key}"][data-room="{room.pk}"]')
    grid.locator(f'[data-appointment="{dragged.pk}"]').drag_to(target)
    status_message(page, ja("The meeting was moved."))
    expect(target.locator(f'[data-appointment="{dragged.pk}"]')).to_be_visible()
    dragged.refresh_from_db()
    assert dragged.slot_key == first.slot_key and dragged.room_id == room.pk and dragged.locked
