"""Helpers for the browser tests that read the demo portal: load it, sign a demo user in, measure a page.

The pages are the ones a new user meets, filled by `load_demo`, so the checks see real lists, not empty ones.
"""

import importlib
import io
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client, override_settings
from playwright.sync_api import Browser, BrowserContext

# `load_demo`'s accounts, one per role (the demo prints them); None is the anonymous visitor.
DEMO_USERS = {
    "portal_admin": "admin@demo.example.jp",
    "curator": "curator@demo.example.jp",
    "need_reviewer": "reviewer@demo.example.jp",
    "need_author": "author@demo.example.jp",
    "startup_member": "startup@demo.example.jp",
    "anonymous": None,
}

# Installed by `make test` (npm, into this folder; gitignored): served to the browser by the test, never by the portal.
AXE = Path(__file__).resolve().parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


# The rows the migrations put in (roles, tech fields, the programme catalogue): a browser test's database is
# flushed after each test, migrations and all, and the demo builds on them. Each is idempotent.
DATA_MIGRATIONS = [
    "accounts.migrations.0002_roles",
    "seeds.migrations.0002_tech_fields",
    "programs.migrations.0002_catalogue",
]


def load_demo() -> None:
    for module in DATA_MIGRATIONS:
        for operation in importlib.import_module(module).Migration.operations:
            operation.code(apps, None)
    # The tests' fast password hasher, as in tests/demo/conftest.py: the demo's accounts are many.
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        call_command("load_demo", stdout=io.StringIO())


def demo_user(role: str):
    email = DEMO_USERS[role]
    return get_user_model().objects.get(email=email) if email else None


def context_for(browser: Browser, live_url: str, user, *, width: int, height: int = 844) -> BrowserContext:
    """A browser context signed in as `user` (None: anonymous), through a session made server-side (the sign-in
    form and two-step verification have tests of their own). CSP is bypassed only so axe can be injected."""
    context = browser.new_context(
        locale="ja-JP", timezone_id="Asia/Tokyo", viewport={"width": width, "height": height}, bypass_csp=True
    )
    context.set_default_timeout(10_000)
    if user is not None:
        client = Client()
        client.force_login(user)
        cookie = client.cookies["sessionid"]
        context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_url}])
    return context


# The words of table cells narrower than the word itself (the browser had to break it: 陸/上/幕/僚 one per line),
# with the cell's text. Words are Intl.Segmenter's (ICU's dictionary for Japanese: 陸上幕僚監部 is 陸上·幕僚·監部);
# a word broken only because it fell at the end of a wide cell's line is ordinary prose. A word wider than most
# of the screen may wrap; cells hidden by clipping (a visually hidden header row) are not laid out for reading.
BROKEN_WORDS_JS = """() => {
  const segmenter = new Intl.Segmenter(document.documentElement.lang || "ja", {granularity: "word"});
  const limit = document.documentElement.clientWidth * 0.8;
  const clipped = (element) => {
    for (let e = element; e; e = e.parentElement) {
      const style = getComputedStyle(e);
      if (style.clip !== "auto" || style.clipPath !== "none" || style.display === "none") return true;
    }
    return false;
  };
  const broken = [];
  for (const cell of document.querySelectorAll("main td, main th")) {
    if (clipped(cell)) continue;
    const style = getComputedStyle(cell);
    const room = cell.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const {segment, index, isWordLike} of segmenter.segment(node.data)) {
        if (!isWordLike || segment.length < 2) continue;
        const range = document.createRange();
        range.setStart(node, index);
        range.setEnd(node, index + segment.length);
        const rects = [...range.getClientRects()].filter((rect) => rect.width > 0);
        const lines = new Set(rects.map((rect) => Math.round(rect.top)));
        const width = rects.reduce((sum, rect) => sum + rect.width, 0);
        const forced = lines.size > 1 && width < limit && room < width;
        if (forced) broken.push(`${segment} (${cell.innerText.trim().slice(0, 30)})`);
      }
    }
  }
  return broken;
}"""


def broken_words(page) -> list[str]:
    return page.evaluate(BROKEN_WORDS_JS)


def skip_without_axe() -> None:
    if not AXE.exists():
        reason = "axe-core is missing: run `make test` (npm install --prefix tests/browser/axe axe-core@4)"
        print(reason)
        pytest.skip(reason)


def axe_violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        WCAG_21_AA,
    )
    return [
        f"{violation['id']}: {[node['target'] for node in violation['nodes']][:3]}"
        for violation in result["violations"]
    ]
