"""A small world for the match pages and API: a Japanese need about detecting small drones, an English-only
startup that makes a UAV detection radar, distractors, one person per role, and the scores filled by the
project's own scorer (services.matches_score_needs)."""

import itertools
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.enums import OrganisationKind, RoleCode, UnitCode
from accounts.models import Organisation
from matchmaking import services
from needs.enums import NeedStatus, Pathway, Visibility
from needs.models import Need
from seeds.models import Designation, Startup, TechField
from tests.factories import OrganisationFactory, StartupFactory, UserFactory, make_corporate_number

NEED_TEXT = {
    "title": "駐屯地周辺の小型無人機の早期探知",
    "description": "夜間や悪天候時に、駐屯地へ接近する小型無人機を目視では早期に探知できない。",
    "desired_capabilities": "半径3km以内の小型無人機を探知し、位置と進路を追跡できること。",
}

# name, name_en, description, technologies, fields, TRL, prefecture, designations
STARTUPS = {
    "radar": (
        "スカイウォッチ・レーダー株式会社",
        "Skywatch Radar KK",
        "UAV detection radar: a compact radar that detects and tracks small drones at night and in bad weather.",
        ["UAV detection radar", "counter-UAS"],
        ["sensing", "unmanned"],
        7,
        "東京都",
        ["jstartup"],
    ),
    "acoustic": (
        "株式会社おとみみ",
        "",
        "マイクロフォンアレイで小型無人機（ドローン）の飛行音を捉え、接近を探知する研究をしています。",
        ["音響センサー"],
        ["sensing"],
        3,
        "大阪府",
        [],
    ),
    "rf": (
        "株式会社でんぱ探知",
        "Denpa Detect",
        "ドローンの操縦電波を受動的に探知し、不審な無人機の位置を特定するシステム。",
        ["RF探知"],
        ["sensing", "electronic_warfare"],
        6,
        "大阪府",
        ["jva"],
    ),
    "farm": (
        "株式会社そらまき",
        "",
        "農薬散布用のドローンを販売しています。",
        ["農業用ドローン"],
        ["unmanned"],
        8,
        "北海道",
        [],
    ),
    "quantum": (
        "株式会社りょうし",
        "",
        "量子鍵配送（QKD）の装置を開発しています。",
        ["量子鍵配送"],
        ["quantum"],
        4,
        "",
        [],
    ),
    "food": ("株式会社ごはん便", "", "飲食店の料理を自宅に届ける宅配アプリです。", ["フードデリバリー"], [], 9, "", []),
}


@dataclass
class World:
    unit: Organisation
    need: Need  # published, public, the one the tests look at
    government_need: Need  # published, government users only: never recommended to a startup
    draft_need: Need  # the unit's draft
    closed_need: Need  # published but past its deadline
    startups: dict[str, Startup]
    users: dict[str, object] = field(default_factory=dict)


def make_need(unit, ref: str, *, status=NeedStatus.PUBLISHED, visibility=Visibility.PUBLIC, **extra) -> Need:
    data = {**NEED_TEXT, **extra}
    need = Need.objects.create(
        ref=ref,
        owner_unit=unit,
        pathway=Pathway.EARLY_EQUIPMENT,
        visibility=visibility,
        status=status,
        min_trl=data.pop("min_trl", 5),
        proposal_deadline=data.pop("proposal_deadline", timezone.now() + timedelta(days=30)),
        **data,
    )
    need.search_text = need.build_search_text()
    need.save()
    need.tech_fields.set(TechField.objects.filter(code__in=["unmanned", "sensing"]))
    return need


def make_startup(key: str, number: int, spec=None, organisation=None) -> Startup:
    name, name_en, description, technologies, fields, trl, prefecture, designations = spec or STARTUPS[key]
    startup = Startup.objects.create(
        corporate_number=make_corporate_number(7000 + number),
        name=name,
        name_en=name_en,
        description=description,
        technologies=technologies,
        trl=trl,
        prefecture=prefecture,
        organisation=organisation,
    )
    startup.search_text = startup.build_search_text()
    startup.save()
    startup.tech_fields.set(TechField.objects.filter(code__in=fields))
    for program in designations:
        Designation.objects.create(startup=startup, program=program, cohort="2024")
    return startup


def score_all() -> None:
    services.matches_score_needs(need_ids=list(Need.objects.values_list("pk", flat=True)))


@pytest.fixture
def world(db) -> World:
    unit = Organisation.objects.get_or_create(
        unit_code=UnitCode.GSDF, defaults={"name": "陸上幕僚監部", "kind": OrganisationKind.MOD_UNIT}
    )[0]
    other_unit = Organisation.objects.get_or_create(
        unit_code=UnitCode.MSDF, defaults={"name": "海上幕僚監部", "kind": OrganisationKind.MOD_UNIT}
    )[0]
    bureau = Organisation.objects.get_or_create(
        unit_code=UnitCode.INTERNAL_BUREAU, defaults={"name": "内部部局", "kind": OrganisationKind.MOD_UNIT}
    )[0]
    meti = Organisation.objects.create(name="経済産業省", kind=OrganisationKind.METI)
    admin_org = Organisation.objects.create(name="運営事務局", kind=OrganisationKind.ADMIN)
    radar_org, farm_org = OrganisationFactory(), OrganisationFactory()

    startups = {}
    for number, key in enumerate(STARTUPS, 1):
        organisation = {"radar": radar_org, "farm": farm_org}.get(key)
        startups[key] = make_startup(key, number, organisation=organisation)
    world = World(
        unit=unit,
        need=make_need(unit, "G-0001"),
        government_need=make_need(unit, "G-0002", visibility=Visibility.GOVERNMENT),
        draft_need=make_need(unit, "G-0003", status=NeedStatus.DRAFT),
        closed_need=make_need(unit, "G-0004", proposal_deadline=timezone.now() - timedelta(days=1)),
        startups=startups,
    )
    world.users = {
        "owning_author": UserFactory(organisation=unit, roles=[RoleCode.NEED_AUTHOR]),
        "other_unit_author": UserFactory(organisation=other_unit, roles=[RoleCode.NEED_AUTHOR]),
        "reviewer": UserFactory(organisation=bureau, roles=[RoleCode.NEED_REVIEWER]),
        "curator": UserFactory(organisation=meti, roles=[RoleCode.CURATOR]),
        "admin": UserFactory(organisation=admin_org, roles=[RoleCode.PORTAL_ADMIN]),
        "radar_member": UserFactory(organisation=radar_org, roles=[RoleCode.STARTUP_MEMBER]),
        "farm_member": UserFactory(organisation=farm_org, roles=[RoleCode.STARTUP_MEMBER]),
        "unclaimed_member": UserFactory(organisation=OrganisationFactory(), roles=[RoleCode.STARTUP_MEMBER]),
    }
    score_all()
    return world


@pytest.fixture
def growing(db) -> dict:
    """For query counts: a need and a startup that match, and `add("startups" | "needs", count)` to lengthen the
    need's list or the startup's, scored each time; a need author and the startup's member to look."""
    unit = Organisation.objects.create(name="陸上幕僚監部", kind=OrganisationKind.MOD_UNIT, unit_code=UnitCode.GSDF)
    member_org = OrganisationFactory()
    need = make_need(unit, "Q-0000")
    radar = StartupFactory(
        description="UAV detection radar for small drones", technologies=["counter-UAS"], trl=7, organisation=member_org
    )
    refs = itertools.count(1)

    def add(kind: str, count: int) -> None:
        for number in range(count):
            if kind == "startups":
                StartupFactory(description=f"小型無人機を探知するレーダー{number}号機。", technologies=["UAV"], trl=7)
            else:
                make_need(unit, f"Q-{next(refs):04d}")
        score_all()

    return {
        "need": need,
        "radar": radar,
        "add": add,
        "author": UserFactory(organisation=unit, roles=[RoleCode.NEED_AUTHOR]),
        "member": UserFactory(organisation=member_org, roles=[RoleCode.STARTUP_MEMBER]),
    }
