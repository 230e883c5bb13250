"""Two journeys of the support-programme catalogue, in Japanese:

- a startup member opens the home page (their dashboard), sees the programmes the company may apply to with the
  reasons — Deep-Tech Startup Support's seed tier undecided because the profile does not say whether a VC has
  invested — follows the link to fill that field in, says yes, and sees the seed tier become eligible;
- a METI curator opens the funnel from the navigation, downloads a chart's numbers as CSV, and sees what
  followed the joint promotion meeting held.

Visible texts come from Django's own catalogue (`ja()`), as in the other journeys.
"""

import csv
import datetime
import io
import re
from datetime import timedelta

import pytest
from django.utils import timezone, translation
from playwright.sync_api import Page, expect

from accounts.enums import OrganisationKind, RoleCode, UnitCode
from needs.enums import ProposalStatus
from programs import clock
from programs.catalogue import catalogue_entries, catalogue_sync
from programs.models import SupportProgram
from tests.browser.test_matching_journey import field, sign_in  # the journeys' shared sign-in steps
from tests.factories import OrganisationFactory, StartupFactory, UserFactory
from tests.programs.builders import FunnelBuilder

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SEED_TIER = "ディープテック・スタートアップ支援事業（実用化研究開発・シード期）"


def ja(msgid: str, context: str = "", **params) -> str:
    with translation.override("ja"):
        text = translation.pgettext(context, msgid) if context else translation.gettext(msgid)
    return text % params if params else text


@pytest.fixture
def catalogue(monkeypatch):
    """A transactional test flushes the rows of the data migration: the shipped catalogue is loaded again, and
    Japan's date is set (the live server is a thread of this process, so it reads the same clock)."""
    catalogue_sync(model=SupportProgram, entries=catalogue_entries())
    monkeypatch.setattr(clock, "today", lambda: datetime.date(2024, 10, 1))


def test_startup_member_sees_eligible_programmes_fills_a_missing_field_and_sees_the_list_change(
    page: Page, live_url, catalogue
):
    organisation = OrganisationFactory(kind=OrganisationKind.STARTUP, name="株式会社ミナモ量子センシング")
    startup = StartupFactory(
        name="株式会社ミナモ量子センシング",
        organisation=organisation,
        stage="seed",
        trl=4,
        founded_year=2020,
        is_sme=True,
    )
    member = UserFactory(organisation=organisation, roles=[RoleCode.STARTUP_MEMBER], email="minamo@startup.example.jp")

    # --- The dashboard lists the programmes with the reasons; the seed tier waits for the VC question.
    sign_in(page, live_url, member)
    panel = page.get_by_test_id("program-recommendations")
    expect(panel.get_by_role("heading", name=ja("Support programmes for this company"))).to_be_visible()
    seed_tier = panel.locator('li.recommendation[data-program="deeptech_seed"]')
    expect(seed_tier).to_contain_text(SEED_TIER)
    expect(seed_tier).to_contain_text(ja("May be eligible: profile incomplete", "eligibility"))
    expect(seed_tier).to_contain_text(ja("Needs investment from a VC; say on your profile whether a VC has invested."))
    fastar = panel.locator('li.recommendation[data-program="fastar"]')
    expect(fastar).to_contain_text(ja("Eligible", "eligibility"))
    expect(fastar).to_contain_text(
        ja(
            "For the %(stages)s stage: your company is at the %(stage)s stage.",
            stages=ja("Seed", "startup stage"),
            stage=ja("Seed", "startup stage"),
        )
    )

    # --- The link asks for exactly the missing field; the member answers it.
    seed_tier.get_by_test_id("fill-has_vc_investment").click()
    form = page.locator("main form")
    field(form, ja("investment from a VC received")).select_option("true")
    form.get_by_role("button", name=ja("Save"), exact=True).click()
    expect(page.get_by_role("status")).to_contain_text(ja("The profile was saved."))

    # --- The company's page shows the change at once, and so does the dashboard.
    seed_tier = page.get_by_test_id("program-recommendations").locator('li[data-program="deeptech_seed"]')
    expect(seed_tier).to_have_attribute("data-status", "eligible")
    expect(seed_tier).to_contain_text(ja("Needs investment from a VC: a VC has invested in your company."))
    page.goto(live_url + "/")
    expect(page.locator('li.recommendation[data-program="deeptech_seed"]')).to_contain_text(
        ja("Eligible", "eligibility")
    )
    startup.refresh_from_db()
    assert startup.has_vc_investment is True


def test_meti_curator_opens_the_funnel_and_downloads_a_charts_csv(page: Page, live_url, catalogue):
    builder = FunnelBuilder()
    published = timezone.now() - timedelta(days=30)
    need = builder.need(unit=UnitCode.GSDF, published=published)
    met = StartupFactory()  # met the GSDF at the meeting held 70 days ago, then proposed (60 days ago)
    for final, startup in (
        (ProposalStatus.SUBMITTED, None),
        (ProposalStatus.SHORTLISTED, None),
        (ProposalStatus.CONTRACTED, met),
    ):
        builder.proposal(need, final, startup=startup)
    held_on = clock.today() - timedelta(days=70)
    builder.meeting(day=held_on, met=[(met, UnitCode.GSDF), (StartupFactory(), UnitCode.GSDF)])
    builder.proposal(builder.need(unit=UnitCode.MSDF, published=published), ProposalStatus.SELECTED)
    meti = OrganisationFactory(kind=OrganisationKind.METI, corporate_number="", name="経済産業省")
    curator = UserFactory(organisation=meti, roles=[RoleCode.CURATOR], email="curator@meti.example.jp")

    sign_in(page, live_url, curator)
    page.get_by_role("navigation", name=ja("Main navigation")).get_by_role(
        "link", name=ja("Funnel"), exact=True
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(ja("Funnel: from needs to contracts"))
    chart = page.locator('section[data-chart="stages"]')
    expect(chart.get_by_role("img", name=ja("Funnel: from needs to contracts"))).to_be_visible()
    table = chart.get_by_test_id("chart-table-stages")
    expect(table.get_by_role("row", name=f"{ja('Needs published')} 2")).to_be_visible()

    with page.expect_download() as download_info:
        chart.get_by_role(
            "link", name=ja("Download “%(title)s” as CSV", title=ja("Funnel: from needs to contracts"))
        ).click()
    download = download_info.value
    assert re.fullmatch(r"funnel-stages-\d{8}\.csv", download.suggested_filename)
    with open(download.path(), encoding="utf-8-sig") as handle:
        rows = list(csv.reader(io.StringIO(handle.read())))
    assert rows == [
        [ja("Stage", "funnel"), ja("Count"), ja("Share of proposals (%)")],
        [ja("Needs published"), "2", ""],
        [ja("Proposals"), "4", "100.0"],
        # Reaching a stage counts at the earlier ones too: the selection made straight from review among them.
        [ja("Shortlisted", "proposal status"), "3", "75.0"],
        [ja("Pitch", "proposal status"), "2", "50.0"],
        [ja("Selected", "proposal status"), "2", "50.0"],
        [ja("Contracted", "proposal status"), "1", "25.0"],
    ]

    # The meeting held: two startups met the GSDF; one proposed afterwards and got as far as a contract.
    meetings = page.get_by_test_id("chart-table-meetings")
    held = ja("No. %(number)d (%(date)s)", number=1, date=f"{held_on:%Y-%m-%d}")
    expect(meetings.get_by_role("row", name=f"{held} 2 2 1 1 1 1 1")).to_be_visible()
    expect(meetings.get_by_role("row", name=f"{ja('All meetings held')} 2 2 1 1 1 1 1")).to_be_visible()
