"""The message catalogues are complete and consistent, and the language switch works (ja first, en second)."""

import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import polib
import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

BASE_DIR = Path(__file__).resolve().parents[1]
LANGUAGES = ("ja", "en")
# Left out of the copy: anywhere in the tree / only at its top.
SKIP_ANYWHERE = {".git", "__pycache__", ".ruff_cache", ".pytest_cache", "node_modules"}
SKIP_AT_TOP = {".venv", "staticfiles", "media", "build", "test-artifacts", "db.sqlite3"}

PYTHON_FORMAT = re.compile(r"%(?:\((\w+)\))?[-#0 +]*(?:\d+|\*)?(?:\.\d+)?[diouxXeEfFgGcrsa%]")
BRACE_FORMAT = re.compile(r"(?<!\{)\{(\w*)(?:![rsa])?(?::[^{}]*)?\}(?!\})")


def catalogue_path(root: Path, language: str) -> Path:
    return root / "locale" / language / "LC_MESSAGES" / "django.po"


def catalogue(language: str, root: Path = BASE_DIR) -> polib.POFile:
    return polib.pofile(str(catalogue_path(root, language)))


def label(entry: polib.POEntry) -> str:
    return f"{entry.msgctxt}|{entry.msgid}" if entry.msgctxt else entry.msgid


def translations(entry: polib.POEntry) -> list[str]:
    if entry.msgid_plural:
        return [entry.msgstr_plural[index] for index in sorted(entry.msgstr_plural)]
    return [entry.msgstr]


def incomplete(entry: polib.POEntry, nplurals: int) -> bool:
    forms = translations(entry)
    if entry.msgid_plural and len(forms) != nplurals:
        return True
    return "fuzzy" in entry.flags or not all(form.strip() for form in forms)


def nplurals_of(po: polib.POFile) -> int:
    match = re.search(r"nplurals\s*=\s*(\d+)", po.metadata.get("Plural-Forms", ""))
    assert match, "The catalogue header has no Plural-Forms."
    return int(match.group(1))


def placeholders(text: str) -> Counter:
    python = Counter(match.group(0) for match in PYTHON_FORMAT.finditer(text))
    brace = Counter(f"{{{match.group(1)}}}" for match in BRACE_FORMAT.finditer(text))
    return python + brace


def copy_source_tree(destination: Path) -> Path:
    def ignore(directory: str, names: list[str]) -> set[str]:
        skipped = {name for name in names if name in SKIP_ANYWHERE or name.endswith((".egg-info", ".mo", ".pyc"))}
        if Path(directory) == BASE_DIR:
            skipped |= SKIP_AT_TOP & set(names)
        return skipped

    return Path(shutil.copytree(BASE_DIR, destination, ignore=ignore))


def test_every_source_string_has_a_translation_in_both_catalogues(tmp_path):
    """Re-extract the strings from a copy of the tree: a new string without a translation fails here."""
    copy = copy_source_tree(tmp_path / "portal")
    command = [sys.executable, "manage.py", "makemessages", *(f"-l{language}" for language in LANGUAGES)]
    command += ["--ignore=.venv", "--no-obsolete"]
    environment = {**os.environ, "PYTHONPATH": str(copy)}
    result = subprocess.run(command, cwd=copy, env=environment, capture_output=True, text=True, check=False)
    assert result.returncode == 0, f"makemessages failed:\n{result.stdout}\n{result.stderr}"

    problems = []
    for language in LANGUAGES:
        po = catalogue(language, copy)
        nplurals = nplurals_of(po)
        missing = [label(entry) for entry in po if not entry.obsolete and incomplete(entry, nplurals)]
        if missing:
            problems.append(f"{language}: {len(missing)} untranslated or fuzzy:\n  " + "\n  ".join(missing))
    if problems:
        pytest.fail(
            "Strings in the source have no translation. Extract them "
            "(manage.py makemessages -l ja -l en --ignore=.venv --no-obsolete), translate them in locale/, "
            "then run manage.py compilemessages --ignore=.venv.\n" + "\n".join(problems),
            pytrace=False,
        )


@pytest.mark.parametrize("language", LANGUAGES)
def test_committed_catalogue_has_no_fuzzy_or_empty_entries(language):
    po = catalogue(language)
    assert po.metadata.get("Language") == language
    assert "charset=UTF-8" in po.metadata.get("Content-Type", "")
    assert not po.metadata_is_fuzzy, "The catalogue header is marked fuzzy."
    nplurals = nplurals_of(po)
    assert nplurals == {"ja": 1, "en": 2}[language]
    fuzzy = [label(entry) for entry in po if "fuzzy" in entry.flags]
    assert not fuzzy, f"Fuzzy entries in {language}: {fuzzy}"
    empty = [label(entry) for entry in po if not entry.obsolete and incomplete(entry, nplurals)]
    assert not empty, f"Untranslated entries in {language}: {empty}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_every_placeholder(language):
    po = catalogue(language)
    nplurals = nplurals_of(po)
    wrong = []
    for entry in po.translated_entries():
        for index, form in enumerate(translations(entry)):
            # With one plural form, that form stands for every count, like the English plural.
            source = entry.msgid if not entry.msgid_plural or (index == 0 and nplurals > 1) else entry.msgid_plural
            if placeholders(form) != placeholders(source):
                wrong.append(f"{label(entry)!r} -> {form!r}")
    assert not wrong, f"Placeholders differ in {language}:\n  " + "\n  ".join(wrong)


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogue_matches_its_source(language):
    mo_path = catalogue_path(BASE_DIR, language).with_suffix(".mo")
    assert mo_path.exists(), f"{mo_path} is missing: run `manage.py compilemessages --ignore=.venv`."
    compiled = {
        (entry.msgctxt, entry.msgid): translations(entry) for entry in polib.mofile(str(mo_path)) if entry.msgid
    }
    source = {(entry.msgctxt, entry.msgid): translations(entry) for entry in catalogue(language).translated_entries()}
    assert compiled == source, f"{mo_path} is out of date: run `manage.py compilemessages --ignore=.venv`."


def switch_language(client, language: str):
    response = client.post(reverse("accounts:switch_language"), {"language": language, "next": "/"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    return response


def test_home_page_is_japanese_by_default(client, db):
    page = client.get("/").content.decode()
    assert '<html lang="ja"' in page
    assert ">サインイン</a>" in page
    assert "Sign in" not in page


def test_switching_to_english_renders_english_and_back(client, db):
    switch_language(client, "en")
    page = client.get("/").content.decode()
    assert '<html lang="en"' in page
    assert ">Sign in</a>" in page
    assert "サインイン" not in page

    switch_language(client, "ja")
    page = client.get("/").content.decode()
    assert '<html lang="ja"' in page
    assert ">サインイン</a>" in page


def test_switching_language_is_remembered_on_the_account(client_for):
    client = client_for("startup_member")
    response = switch_language(client, "en")
    user = get_user_model().objects.get(pk=response.wsgi_request.user.pk)
    assert user.preferred_language == "en"
    page = client.get("/").content.decode()
    assert '<html lang="en"' in page
    assert "Sign out" in page


def test_an_english_browser_still_gets_japanese_until_the_visitor_switches(client, db):
    body = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="ja"' in body


def test_a_signed_in_user_gets_the_language_of_their_account(client, db):
    from tests.factories import UserFactory

    client.force_login(UserFactory(preferred_language="en"))
    assert '<html lang="en"' in client.get("/").content.decode()
