"""A GSDF need author opens the unit's published need about detecting small drones, follows the link to its matching
startups, reads the ranking with its reasons (an English-only radar company first), filters by minimum TRL and
shortlists two companies; the shortlist on the page shows both. In Japanese.

As in the other journeys, visible texts come from Django's own catalogue (`ja()`), so the test follows the
translations as they land; locators are role- and label-based.
"""

import re

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Locator, Page, expect

from accounts.enums import OrganisationKind, RoleCode, UnitCode
from matchmaking import services
from matchmaking.models import Shortlist
from seeds.models import Designation, TechField
from tests.factories import TEST_PASSWORD, OrganisationFactory, StartupFactory, UserFactory
from tests.helpers import published_need

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A transactional test flushes the taxonomy's rows (seeds/migrations/0002_tech_fields.py): made again here.
TECH_FIELDS = [
    ("unmanned", "無人アセット", "Unmanned systems"),
    ("sensing", "センシング・探知", "Sensing and detection"),
    ("quantum", "量子技術", "Quantum technology"),
]
NEED_TITLE = "駐屯地周辺の小型無人機の早期探知"
NEED_TEXT = {
    "title": NEED_TITLE,
    "description": "夜間や悪天候時に、駐屯地へ接近する小型無人機を目視では早期に探知できない。",
    "desired_capabilities": "半径3km以内の小型無人機を探知し、位置と進路を追跡できること。",
}
# name, English name, description, fields, TRL, designation
RADAR = "スカイウォッチ・レーダー株式会社"
RF = "株式会社でんぱ探知"
ACOUSTIC = "株式会社おとみみ"
STARTUPS = [
    (
        RADAR,
        "Skywatch Radar KK",
        "UAV detection radar: a compact radar that detects and tracks small drones at night and in bad weather.",
        ["sensing", "unmanned"],
        7,
        "jstartup",
    ),
    (
        RF,
        "Denpa Detect",
        "ドローンの操縦電波を受動的に探知し、不審な無人機の位置を特定するシステム。",
        ["sensing"],
        6,
        "jva",
    ),
    (
        ACOUSTIC,
        "",
        "マイクロフォンアレイで小型無人機（ドローン）の飛行音を捉え、接近を探知する研究です。",
        ["sensing"],
        3,
        "",
    ),
    ("株式会社りょうし", "", "量子鍵配送（QKD）の装置を開発しています。", ["quantum"], 4, ""),
]


def ja(msgid: str, **params) -> str:
    with translation.override("ja"):
        text = translation.gettext(msgid)
    return text % params if params else text


def expect_language(page: Page, code: str = "ja") -> None:
    expect(page.locator("html")).to_have_attribute("lang", code)


def field(scope: Locator | Page, label: str) -> Locator:
    return scope.get_by_label(re.compile(rf"^{re.escape(label)}(\s*\*)?$"))


def sign_in(page: Page, live_url: str, user) -> None:
    header = page.locator("header.site-header")
    page.goto(live_url + "/")
    expect_language(page)
    header.get_by_role("link", name=ja("Sign in"), exact=True).click()
    form = page.locator("main form")
    field(form, ja("E-mail address")).fill(user.email)
    field(form, ja("Password")).fill(TEST_PASSWORD)
    form.get_by_role("button", name=ja("Sign in"), exact=True).click()
    expect(header.get_by_role("button", name=ja("Sign out"), exact=True)).to_be_visible()


def match_rows(page: Page) -> Locator:
    return page.locator("table.match-table tbody tr")


def shortlist(page: Page, name: str) -> None:
    """Press the row's shortlist button; the page comes back with the filters kept and says so."""
    url = page.url
    page.get_by_role("button", name=ja("Shortlist %(name)s", name=name), exact=True).click()
    expect(
        page.get_by_role("status").filter(has_text=ja("%(startup)s was added to the shortlist.", startup=name))
    ).to_be_visible()
    assert page.url == url


def test_unit_author_reads_the_ranked_startups_filters_by_trl_and_shortlists_two(page: Page, live_url):
    # --- The unit, its author, a published need and the registry, scored by the project's own scorer.
    for position, (code, name_ja, name_en) in enumerate(TECH_FIELDS):
        TechField.objects.update_or_create(
            code=code, defaults={"name_ja": name_ja, "name_en": name_en, "position": position}
        )
    gsdf = OrganisationFactory(
        name="陸上幕僚監部", kind=OrganisationKind.MOD_UNIT, unit_code=UnitCode.GSDF, corporate_number=""
    )
    author = UserFactory(organisation=gsdf, roles=[RoleCode.NEED_AUTHOR], email="rikuno@gsdf.example.jp")
    need = published_need(owner_unit=gsdf, ref="GSDF-2025-001")
    need.search_text = need.build_search_text()
    need.save()
    need.tech_fields.set(TechField.objects.filter(code__in=["unmanned", "sensing"]))
    for name, name_en, description, fields, trl, program in STARTUPS:
        startup = StartupFactory(name=name, name_en=name_en, description=description, trl=trl, tech_fields=fields)
        if program:
            Designation.objects.create(startup=startup, program=program, cohort="2024")
    services.matches_score_needs(need_ids=[need.pk])

    # --- The author opens the need from the board and follows its link to the matching startups.
    sign_in(page, live_url, author)
    page.get_by_role("navigation", name=ja("Main navigation")).get_by_role("link", name=ja("Needs"), exact=True).click()
    page.get_by_role("link", name=NEED_TITLE, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(NEED_TITLE)
    page.get_by_role("link", name=ja("Matching startups"), exact=True).click()
    expect(page).to_have_url(re.compile(re.escape(reverse("matchmaking:need_matches", args=[need.pk])) + "$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(ja("Matching startups"))
    expect_language(page)

    # --- Ranked startups with reasons: the English-only radar company first, the shared technology in Japanese.
    rows = match_rows(page)
    expect(rows).to_have_count(len(STARTUPS))
    first = rows.first
    expect(first).to_contain_text(RADAR)
    expect(first.get_by_test_id("rank")).to_have_text("1")
    expect(first.locator("meter").first).to_have_attribute("aria-label", re.compile(r"\d\.\d\d$"))
    reasons = first.get_by_test_id("reasons")
    expect(reasons).to_contain_text(ja("Shared technology: %(concepts)s", concepts="").strip())
    expect(reasons).to_contain_text("無人航空機 (UAV)")
    expect(reasons).to_contain_text(ja("TRL %(trl)d ≥ required %(min)d", trl=7, min=5))
    expect(first).to_contain_text(ja("Early-equipment scheme"))  # the suggested pathway

    # --- Filter by minimum TRL 6: the acoustic research (TRL 3) and the quantum company (TRL 4) drop out.
    filters = page.get_by_role("search", name=ja("Filter the matching startups"))
    field(filters, ja("Minimum TRL")).select_option("6")
    filters.get_by_role("button", name=ja("Filter"), exact=True).click()
    expect(page).to_have_url(re.compile(r"[?&]min_trl=6"))
    expect(rows).to_have_count(2)
    expect(page.locator("main")).not_to_contain_text(ACOUSTIC)

    # --- Shortlist two; the shortlist on the page shows both.
    shortlist(page, RADAR)
    shortlist(page, RF)
    block = page.get_by_role("region", name=ja("Shortlist"))
    expect(block.get_by_role("listitem")).to_have_count(2)
    expect(block).to_contain_text(RADAR)
    expect(block).to_contain_text(RF)
    assert set(Shortlist.objects.filter(need=need).values_list("startup__name", flat=True)) == {RADAR, RF}
    assert set(Shortlist.objects.values_list("added_by", flat=True)) == {author.pk}
