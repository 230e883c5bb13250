"""A joint promotion meeting to test with: one day of four 30-minute slots (10:00–12:00, Japan time) two weeks
ahead, rooms A and B, two attending units (the GSDF staff office and ATLA), four invited startups with
Japanese names, each claimed by its own organisation with one member (alternately Japanese- and
English-speaking), and an admin."""

import shutil
import subprocess
from dataclasses import dataclass, field
from datetime import time, timedelta

import pytest
from django.utils import timezone

from accounts.enums import OrganisationKind, RoleCode, UnitCode
from accounts.models import Organisation
from matchmaking.meetings import services
from matchmaking.meetings.enums import RequestOrigin, RequestPriority
from matchmaking.models import Invitation, JointMeeting
from tests.factories import OrganisationFactory, StartupFactory, UserFactory

STARTUP_NAMES = ["株式会社そらみる", "株式会社うみまもり", "株式会社でんぱ探知", "量子センシング株式会社"]


@dataclass
class World:
    admin: object
    gsdf: Organisation
    atla: Organisation
    gsdf_user: object
    atla_user: object
    startups: list
    members: list
    meeting: JointMeeting
    invitations: list = field(default_factory=list)

    @property
    def units(self) -> list[Organisation]:
        return [self.gsdf, self.atla]

    def invitation(self, index: int) -> Invitation:
        return Invitation.objects.get(meeting=self.meeting, startup=self.startups[index])


def make_unit(kind: str, code: str, name: str, name_en: str) -> Organisation:
    return Organisation.objects.filter(unit_code=code).first() or OrganisationFactory(
        kind=kind, unit_code=code, name=name, name_en=name_en, corporate_number=""
    )


def make_need(unit: Organisation, ref: str, title: str = "小型無人機の探知"):
    """A published need of `unit`, to attach shortlists and match scores to."""
    from needs.enums import NeedStatus, Pathway
    from needs.models import Need

    return Need.objects.create(
        ref=ref,
        title=title,
        description=title,
        owner_unit=unit,
        pathway=Pathway.EARLY_EQUIPMENT,
        status=NeedStatus.PUBLISHED,
    )


def pdf_text(pdf: bytes, tmp_path) -> str:
    """A PDF's text with all whitespace removed (names and titles may wrap inside table cells)."""
    tool = shutil.which("pdftotext")
    if tool is None:
        pytest.skip("pdftotext is not installed (poppler-utils)")
    path = tmp_path / "out.pdf"
    path.write_bytes(pdf)
    text = subprocess.run([tool, str(path), "-"], capture_output=True, text=True, check=True).stdout
    return "".join(text.split())


@pytest.fixture
def meeting_day():
    return timezone.localdate() + timedelta(days=14)


@pytest.fixture
def world(db, user_with_role, meeting_day) -> World:
    admin = user_with_role(RoleCode.PORTAL_ADMIN)
    gsdf_user = user_with_role(RoleCode.NEED_AUTHOR)  # in the GSDF staff office (tests/conftest.py)
    gsdf = gsdf_user.organisation
    atla = make_unit(OrganisationKind.ATLA, UnitCode.ATLA, "防衛装備庁", "ATLA")
    atla_user = UserFactory(organisation=atla, roles=[RoleCode.NEED_REVIEWER], preferred_language="en")
    startups, members = [], []
    for index, name in enumerate(STARTUP_NAMES):
        organisation = OrganisationFactory(kind=OrganisationKind.STARTUP, name=name)
        startups.append(StartupFactory(name=name, name_en=f"Startup {index}", organisation=organisation))
        language = "ja" if index % 2 == 0 else "en"
        members.append(
            UserFactory(organisation=organisation, roles=[RoleCode.STARTUP_MEMBER], preferred_language=language)
        )
    meeting = services.meeting_create(
        actor=admin,
        number=1,
        title="第1回 防衛産業へのスタートアップ活用に向けた合同推進会",
        title_en="1st joint promotion meeting",
        days=[(meeting_day, time(10, 0), time(12, 0))],
        rooms=["A", "B"],
        venue="防衛省 A棟",
        slot_minutes=30,
        reply_by=timezone.localdate() + timedelta(days=7),
        units=[gsdf, atla],
    )
    return World(admin, gsdf, atla, gsdf_user, atla_user, startups, members, meeting)


def invite_all(world: World, *, accept: bool = True) -> list[Invitation]:
    invitations = services.invitation_create(meeting=world.meeting, actor=world.admin, startups=world.startups)
    if accept:
        for invitation, member in zip(invitations, world.members, strict=True):
            services.invitation_respond(invitation=invitation, actor=member, accept=True)
    world.invitations = [Invitation.objects.get(pk=i.pk) for i in invitations]
    world.meeting.refresh_from_db()
    return world.invitations


def request_all(world: World, priority: int = RequestPriority.WANT_TO_MEET) -> None:
    """Every invitee asks to meet every unit."""
    for invitation in world.invitations:
        for unit in world.units:
            services.request_set(
                meeting=world.meeting,
                invitation=invitation,
                unit=unit,
                actor=world.admin,
                priority=priority,
                origin=RequestOrigin.UNIT_PREFERENCE,
            )


@pytest.fixture
def invited(world) -> World:
    invite_all(world)
    request_all(world)
    return world


@pytest.fixture
def scheduled(invited, django_capture_on_commit_callbacks) -> World:
    """The meeting scheduled by the eager Celery task: 4 startups × 2 units in 4 slots × 2 rooms: all 8 placed."""
    from matchmaking.meetings.scheduling import schedule_enqueue

    with django_capture_on_commit_callbacks(execute=True):
        schedule_enqueue(meeting=invited.meeting, actor=invited.admin, time_limit_s=10)
    invited.meeting.refresh_from_db()
    return invited
