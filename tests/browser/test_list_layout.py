"""The lists a new user meets read well on a 390 px phone and on a desktop (issue 16, items 1 and 2).

On the demo portal: no table cell is narrower than its longest word (a word broken across lines is the symptom:
unit names one character per line), the header leaves the screen to the page, filter controls sit on one line,
the navigation never leaves one item alone on a row, the cards pass axe-core, and a need's status change has
one comment box and buttons of one line's height.
"""

import pytest
from django.urls import reverse
from playwright.sync_api import Page

from needs.enums import NeedStatus
from needs.models import Need
from tests.browser.demo_pages import axe_violations, broken_words, context_for, demo_user, load_demo, skip_without_axe

PHONE, DESKTOP = 390, 1280


def list_pages() -> dict[str, str]:
    """The board, the registry and the matches page of the author's own published need."""
    author = demo_user("need_author")
    need = Need.objects.filter(owner_unit=author.organisation, status=NeedStatus.PUBLISHED).order_by("ref").first()
    return {
        "board": reverse("needs:need_list"),
        "registry": reverse("seeds:startup_list"),
        "matches": reverse("matchmaking:need_matches", args=[need.pk]),
    }


def misaligned_filters(page: Page) -> list[str]:
    """Filter fields that share a row but whose controls start at different heights."""
    return page.evaluate("""() => {
      const fields = [...document.querySelectorAll("form.filters .field")].map((field) => {
        const box = field.getBoundingClientRect();
        const control = field.querySelector("input:not([type=hidden]), select, textarea");
        return {name: field.innerText.split("\\n")[0], top: box.top, bottom: box.bottom,
                control: control ? control.getBoundingClientRect().top : null};
      }).filter((field) => field.control !== null);
      const wrong = [];
      for (const a of fields) for (const b of fields) {
        const sameRow = a.top < b.bottom && b.top < a.bottom;
        if (sameRow && Math.abs(a.control - b.control) > 2) wrong.push(`${a.name} / ${b.name}`);
      }
      return wrong;
    }""")


def lonely_navigation_rows(page: Page) -> list[str]:
    """Rows of the main navigation that hold a single link while another row holds more."""
    rows = page.evaluate("""() => {
      const rows = {};
      for (const link of document.querySelectorAll("nav.main-nav a")) {
        const top = Math.round(link.getBoundingClientRect().top);
        (rows[top] = rows[top] || []).push(link.innerText);
      }
      return Object.values(rows);
    }""")
    return [row[0] for row in rows if len(row) == 1 and len(rows) > 1]


@pytest.mark.django_db(transaction=True)
def test_on_a_phone_lists_are_readable_cards_under_a_compact_header(browser, live_url):
    skip_without_axe()
    load_demo()
    context = context_for(browser, live_url, demo_user("need_author"), width=PHONE)
    page = context.new_page()
    problems = {}
    for name, path in list_pages().items():
        page.goto(live_url + path)
        assert page.locator("main table tbody tr").count() > 1, name  # a list to look at
        header = page.locator("header.site-header").bounding_box()["height"]
        if header > 844 / 7:
            problems[f"{name}: header height"] = header
        if words := broken_words(page):
            problems[f"{name}: words broken across lines"] = words[:10]
        if rows := misaligned_filters(page):
            problems[f"{name}: filter controls out of line"] = rows[:5]
        if found := axe_violations(page):  # the card layout keeps the table's semantics
            problems[f"{name}: WCAG 2.1 AA"] = found
    context.close()
    assert not problems, problems


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("role", ["curator", "portal_admin"])
def test_on_a_desktop_lists_navigation_and_filters_keep_their_words_together(browser, live_url, role):
    load_demo()
    context = context_for(browser, live_url, demo_user(role), width=DESKTOP, height=800)
    page = context.new_page()
    problems = {}
    for name, path in list_pages().items():
        page.goto(live_url + path)
        if words := broken_words(page):
            problems[f"{name}: words broken across lines"] = words[:10]
        if rows := misaligned_filters(page):
            problems[f"{name}: filter controls out of line"] = rows[:5]
        if lonely := lonely_navigation_rows(page):
            problems[f"{name}: navigation item alone on its row"] = lonely
    context.close()
    assert not problems, problems


@pytest.mark.django_db(transaction=True)
def test_a_reviewer_changes_a_need_status_with_one_comment_box_and_one_line_buttons(browser, live_url):
    load_demo()
    need = Need.objects.filter(status=NeedStatus.SUBMITTED).first()
    context = context_for(browser, live_url, demo_user("need_reviewer"), width=DESKTOP, height=800)
    page = context.new_page()
    page.goto(live_url + reverse("needs:need_detail", args=[need.pk]))
    section = page.get_by_test_id("transitions")
    assert section.get_by_role("textbox").count() == 1
    buttons = section.get_by_role("button")
    assert buttons.count() == 3  # return to draft, publish, withdraw
    heights = [buttons.nth(index).bounding_box()["height"] for index in range(buttons.count())]
    assert max(heights) < 50, heights  # one line each, not a tall block beside the comment
    context.close()
