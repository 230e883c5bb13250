"""A new startup user registers, verifies the e-mail, signs in, switches language and signs out, in Japanese.

Visible texts are looked up through Django's own catalogue (`ja()`), so the test follows the translations; the
Japanese-only assertions are the ones that matter to a Japanese user (html lang, the "not verified" error).
Locators are role- and label-based on purpose: a field without a proper <label> fails here.
"""

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Locator, Page, expect

from tests.factories import make_corporate_number

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COMPANY = "株式会社ブラウザ試験"
FULL_NAME = "霞 太郎"
EMAIL = "kasumi@browser.example.jp"
PASSWORD = "Kasumi-Sensing-2026"
VERIFY_LINK = re.compile(r"https?://\S+/accounts/verify/\S+/")


def ja(msgid: str, **params) -> str:
    with translation.override("ja"):
        text = translation.gettext(msgid)
    return text % params if params else text


def en(msgid: str) -> str:
    with translation.override("en"):
        return translation.gettext(msgid)


def expect_language(page: Page, code: str) -> None:
    expect(page.locator("html")).to_have_attribute("lang", code)


def field(scope: Locator, label: str) -> Locator:
    """The control whose <label> reads `label`, optionally followed by the required-field asterisk."""
    return scope.get_by_label(re.compile(rf"^{re.escape(label)}(\s*\*)?$"))


def focused_id(page: Page) -> str:
    return page.evaluate("document.activeElement.id || document.activeElement.tagName")


def test_startup_registers_verifies_signs_in_and_switches_language(page: Page, live_url, settings):
    settings.SITE_URL = live_url  # the e-mailed link then points at the live server
    header = page.locator("header.site-header")

    page.goto(live_url + "/")
    expect_language(page, "ja")

    header.get_by_role("link", name=ja("Register"), exact=True).click()
    expect(page).to_have_url(live_url + reverse("accounts:register"))
    expect(page.get_by_role("heading", level=1)).to_have_text(ja("Register your startup"))

    form = page.locator("main form")
    company = field(form, ja("Company name"))
    company.fill(COMPANY)
    field(form, ja("Corporate number")).fill(make_corporate_number(4242))
    field(form, ja("Your name")).fill(FULL_NAME)
    field(form, ja("E-mail address")).fill(EMAIL)
    field(form, ja("Password")).fill(PASSWORD)
    field(form, ja("Password (again)")).fill(PASSWORD)

    # Keyboard: Tab walks the form in reading order, from the first field to the submit button.
    company.focus()
    for expected in ("id_corporate_number", "id_full_name", "id_email", "id_password1", "id_password2"):
        page.keyboard.press("Tab")
        assert focused_id(page) == expected
    page.keyboard.press("Tab")
    expect(form.get_by_role("button", name=ja("Register"), exact=True)).to_be_focused()

    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(ja("Check your e-mail"))
    expect(page.locator("main strong")).to_have_text(EMAIL)

    # Signing in before the address is verified is refused, with a Japanese explanation.
    header.get_by_role("link", name=ja("Sign in"), exact=True).click()
    sign_in = page.locator("main form")
    field(sign_in, ja("E-mail address")).fill(EMAIL)
    field(sign_in, ja("Password")).fill(PASSWORD)
    sign_in.get_by_role("button", name=ja("Sign in"), exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("確認されていません")

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [EMAIL]
    link = VERIFY_LINK.search(mail.outbox[0].body).group(0)
    assert link.startswith(live_url + "/")
    page.goto(link)
    expect(page).to_have_url(re.compile(re.escape(live_url + reverse("accounts:login"))))
    expect(page.get_by_role("status")).to_contain_text(ja("Your e-mail address is verified. You can sign in now."))

    field(sign_in, ja("E-mail address")).fill(EMAIL)
    field(sign_in, ja("Password")).fill(PASSWORD)
    sign_in.get_by_role("button", name=ja("Sign in"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(ja("Welcome, %(name)s", name=FULL_NAME))

    header.get_by_test_id("language-en").click()
    expect_language(page, "en")
    expect(header.get_by_role("button", name="Sign out", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Welcome, {FULL_NAME}")

    header.get_by_test_id("language-ja").click()
    expect_language(page, "ja")
    sign_out = header.get_by_role("button", name=ja("Sign out"), exact=True)
    expect(sign_out).to_be_visible()

    sign_out.click()
    expect(header.get_by_role("link", name=ja("Sign in"), exact=True)).to_be_visible()
    expect(header.get_by_role("button", name=ja("Sign out"), exact=True)).to_have_count(0)
    expect_language(page, "ja")


def test_skip_link_and_assets_are_local(page: Page, live_url):
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))

    response = page.goto(live_url + "/")
    assert response is not None and response.ok
    expect_language(page, "ja")

    skip = page.locator("a.skip-link")
    expect(skip).not_to_be_in_viewport()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('skip-link')")
    expect(skip).to_be_in_viewport()
    expect(skip).to_have_text(ja("Skip to main content"))
    expect(skip).to_have_attribute("href", "#main")

    css = page.request.get(live_url + "/static/css/portal.css")
    assert css.status == 200
    assert "skip-link" in css.text()

    page.wait_for_load_state("networkidle")
    assert any(url.endswith("/static/css/portal.css") for url in requested)
    foreign = [url for url in requested if not url.startswith(live_url + "/")]
    assert foreign == []
