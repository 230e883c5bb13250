"""A curator signs in, imports a startup list, finds one of the new companies by a Japanese keyword and edits
its TRL, in Japanese.

As in the registration journey, visible texts are looked up through Django's own catalogue (`ja()`), so the
test follows the translations as they land; locators are role- and label-based on purpose.
"""

import csv
import re

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Locator, Page, expect

from seeds.importing import IMPORT_COLUMNS
from seeds.models import Startup
from tests.factories import TEST_PASSWORD, make_corporate_number

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

KEYWORD = "水中ドローン"
TARGET_NUMBER = make_corporate_number(7301)
TARGET_NAME = "株式会社わだつみロボティクス"
STARTUPS = [
    {
        "corporate_number": TARGET_NUMBER,
        "name": TARGET_NAME,
        "name_en": "Wadatsumi Robotics Inc.",
        "description": "港湾や養殖場の点検に使う水中ドローンと、濁った水中でも使える音響測位を開発しています。",
        "technologies": "水中音響測位;自律航行",
        "tech_fields": "",
        "trl": "4",
        "designations": "jstartup:2023",
        "prefecture": "神奈川県",
        "founded_year": "2019",
        "employees": "18",
        "website": "https://wadatsumi.example.jp",
    },
    {
        "corporate_number": make_corporate_number(7302),
        "name": "株式会社ほしぞら衛星データ",
        "name_en": "Hoshizora Satellite Data Inc.",
        "description": "小型衛星の合成開口レーダー画像を解析し、災害時の浸水範囲を数時間で地図にします。",
        "technologies": "合成開口レーダー;画像解析",
        "tech_fields": "",
        "trl": "6",
        "designations": "",
        "prefecture": "福岡県",
        "founded_year": "2017",
        "employees": "42",
        "website": "https://hoshizora.example.jp",
    },
    {
        "corporate_number": make_corporate_number(7303),
        "name": "合同会社しらかば量子センシング",
        "name_en": "",
        "description": "ダイヤモンド量子センサーで微弱な磁場を測り、地中の配管や空洞を見つけます。",
        "technologies": "量子センサー",
        "tech_fields": "",
        "trl": "3",
        "designations": "",
        "prefecture": "北海道",
        "founded_year": "2021",
        "employees": "7",
        "website": "",
    },
]
NEW_TRL = 7


def ja(msgid: str, **params) -> str:
    with translation.override("ja"):
        text = translation.gettext(msgid)
    return text % params if params else text


def ja_context(context: str, msgid: str) -> str:
    with translation.override("ja"):
        return translation.pgettext(context, msgid)


def ja_plural(singular: str, plural: str, count: int, **params) -> str:
    with translation.override("ja"):
        return translation.ngettext(singular, plural, count) % params


def expect_language(page: Page, code: str) -> None:
    expect(page.locator("html")).to_have_attribute("lang", code)


def field(scope: Locator, label: str) -> Locator:
    """The control whose <label> reads `label`, optionally followed by the required-field asterisk."""
    return scope.get_by_label(re.compile(rf"^{re.escape(label)}(\s*\*)?$"))


def profile_value(page: Page, label: str) -> Locator:
    """The <dd> after the <dt> reading `label` in the profile block of a detail page."""
    profile = page.get_by_role("region", name=ja("Profile"))
    term = profile.get_by_role("term").filter(has_text=re.compile(rf"^{re.escape(label)}$"))
    return term.locator("xpath=following-sibling::dd[1]")


def write_csv(path) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=IMPORT_COLUMNS)
        writer.writeheader()
        writer.writerows(STARTUPS)


def test_curator_imports_a_list_finds_a_startup_and_edits_its_trl(page: Page, live_url, user_with_role, tmp_path):
    curator = user_with_role("curator")
    upload = tmp_path / "startups.csv"
    write_csv(upload)
    header = page.locator("header.site-header")
    navigation = page.get_by_role("navigation", name=ja("Main navigation"))

    # Sign in.
    page.goto(live_url + "/")
    expect_language(page, "ja")
    header.get_by_role("link", name=ja("Sign in"), exact=True).click()
    expect(page).to_have_url(re.compile(re.escape(live_url + reverse("accounts:login"))))
    sign_in = page.locator("main form")
    field(sign_in, ja("E-mail address")).fill(curator.email)
    field(sign_in, ja("Password")).fill(TEST_PASSWORD)
    sign_in.get_by_role("button", name=ja("Sign in"), exact=True).click()
    expect(header.get_by_role("button", name=ja("Sign out"), exact=True)).to_be_visible()
    expect_language(page, "ja")

    # Upload the list.
    navigation.get_by_role("link", name=ja("Import"), exact=True).click()
    expect(page).to_have_url(live_url + reverse("seeds:import_upload"))
    expect_language(page, "ja")
    expect(page.get_by_role("heading", level=1)).to_have_text(ja("Import a startup list"))
    expect(navigation.get_by_role("link", name=ja("Import"), exact=True)).to_have_attribute("aria-current", "page")
    upload_form = page.locator("main form")
    field(upload_form, ja("Startup list (CSV or XLSX)")).set_input_files(upload)
    upload_form.get_by_role("button", name=ja("Check the list"), exact=True).click()

    # The preview: three new companies, nothing to fix.
    expect(page.get_by_role("heading", level=1)).to_have_text(ja("Import of %(name)s", name=upload.name))
    expect_language(page, "ja")
    expect(page.get_by_test_id("import-status")).to_have_text(ja_context("import status", "Previewed"))
    expect(page.get_by_role("heading", name=ja("What the import would do"))).to_be_visible()
    expect(page.get_by_test_id("count-created")).to_have_text("3")
    expect(page.get_by_test_id("count-updated")).to_have_text("0")
    expect(page.get_by_test_id("count-unchanged")).to_have_text("0")
    expect(page.get_by_test_id("count-errors")).to_have_count(0)
    expect(page.get_by_role("heading", name=ja("Problems to fix"))).to_have_count(0)
    expect(page.get_by_role("alert")).to_have_count(0)
    assert not Startup.objects.filter(corporate_number__in=[row["corporate_number"] for row in STARTUPS]).exists()

    page.get_by_role("button", name=ja("Confirm import"), exact=True).click()
    imported = ja(
        "The list was imported: %(created)d created, %(updated)d updated, %(unchanged)d unchanged.",
        created=3,
        updated=0,
        unchanged=0,
    )
    expect(page.get_by_role("status")).to_contain_text(imported)
    expect(page.get_by_test_id("import-status")).to_have_text(ja_context("import status", "Applied"))
    expect(page.get_by_role("heading", name=ja("What was imported"))).to_be_visible()
    expect(page.get_by_role("button", name=ja("Confirm import"), exact=True)).to_have_count(0)
    expect_language(page, "ja")
    assert Startup.objects.filter(corporate_number__in=[row["corporate_number"] for row in STARTUPS]).count() == 3

    # Find the company by a Japanese keyword of its description.
    navigation.get_by_role("link", name=ja("Startup registry"), exact=True).click()
    expect(page).to_have_url(live_url + reverse("seeds:startup_list"))
    expect_language(page, "ja")
    search = page.get_by_role("search", name=ja("Search and filter startups"))
    field(search, ja("Search")).fill(KEYWORD)
    search.get_by_role("button", name=ja("Search"), exact=True).click()
    expect(page).to_have_url(re.compile(r"[?&]q="))
    expect_language(page, "ja")
    expect(page.locator("main").get_by_role("status")).to_have_text(
        ja_plural("%(counter)s startup", "%(counter)s startups", 1, counter=1)
    )
    rows = page.get_by_role("table").locator("tbody").get_by_role("row")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(TARGET_NUMBER)
    rows.first.get_by_role("link", name=TARGET_NAME, exact=True).click()

    # Its detail page, then the edit form.
    target = Startup.objects.get(corporate_number=TARGET_NUMBER)
    expect(page).to_have_url(live_url + reverse("seeds:startup_detail", args=[target.pk]))
    expect_language(page, "ja")
    expect(page.get_by_role("heading", level=1)).to_contain_text(TARGET_NAME)
    expect(profile_value(page, ja("TRL"))).to_have_text("4")
    page.get_by_role("link", name=ja("Edit the profile"), exact=True).click()

    expect(page).to_have_url(live_url + reverse("seeds:startup_edit", args=[target.pk]))
    expect_language(page, "ja")
    expect(page.get_by_role("heading", level=1)).to_have_text(ja("Edit %(title)s", title=TARGET_NAME))
    form = page.locator("main form")
    trl = field(form, ja("TRL"))
    expect(trl).to_have_value("4")
    trl.fill(str(NEW_TRL))
    form.get_by_role("button", name=ja("Save"), exact=True).click()

    # Back on the detail page, with the new TRL.
    expect(page).to_have_url(live_url + reverse("seeds:startup_detail", args=[target.pk]))
    expect_language(page, "ja")
    expect(page.get_by_role("status")).to_contain_text(ja("The profile was saved."))
    expect(profile_value(page, ja("TRL"))).to_have_text(str(NEW_TRL))
    target.refresh_from_db()
    assert target.trl == NEW_TRL
    assert target.description == STARTUPS[0]["description"]  # the rest of the profile is kept
    assert target.technologies == ["水中音響測位", "自律航行"]
