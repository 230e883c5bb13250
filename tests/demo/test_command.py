"""`load_demo` as `make run` runs it, committing (so its tasks run, as they do there), twice: the second run
changes nothing; each prints its sign-ins last, in the active language, and no task log line."""

import io
import logging
import re

import pytest
from django.apps import apps
from django.core.management import call_command
from django.utils import translation

from demo.people import sign_ins

# Commits for real; load_demo puts back the taxonomy that an earlier test's flush removed.
pytestmark = pytest.mark.django_db(transaction=True)
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def row_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def load_demo(**options) -> tuple[list[str], str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("load_demo", stdout=out, stderr=err, **options)
    return out.getvalue().splitlines(), err.getvalue()


def sign_in_block(lines: list[str]) -> list[str]:
    """From the first line that names a demo account's e-mail address, one line up, to the end."""
    first = next(n for n, line in enumerate(lines) if line.startswith("  ") and "@demo.example.jp" in line)
    return lines[first - 1 :]


def test_load_demo_twice_changes_nothing_and_ends_with_the_sign_ins_in_the_active_language(caplog):
    with caplog.at_level(logging.INFO), translation.override("en"):
        first, first_errors = load_demo()  # in the active language
        counts = row_counts()
        second, second_errors = load_demo(language="ja")  # in the one asked for
    assert row_counts() == counts
    assert not first_errors and not second_errors
    assert not [record.getMessage() for record in caplog.records if record.name.startswith(("celery", "matchmaking"))]

    accounts = sign_ins()
    for lines, language in ((first, "en"), (second, "ja")):
        block = sign_in_block(lines)
        header, rows, last = block[0], block[1:-1], block[-1]
        assert len(rows) == len(accounts) + sum(bool(account.codes) for account in accounts)
        assert all(row.startswith(("  ", "    ")) for row in rows) and not last.startswith(" ")
        assert [row.split()[0] for row in rows if not row.startswith("    ")] == [a.email for a in accounts]
        with translation.override(language):
            roles = [str(account.role_label) for account in accounts]
        assert all(role in row for role, row in zip(roles, (r for r in rows if not r.startswith("    ")), strict=True))
        assert bool(JAPANESE.search(header + last)) is (language == "ja")
    assert not JAPANESE.search("\n".join(sign_in_block(first)))  # English throughout, names included
    codes = [row for row in sign_in_block(first) if row.startswith("    ")]
    assert [row.split()[-10:] for row in codes] == [
        row.split()[-10:] for row in sign_in_block(second) if row.startswith("    ")
    ]
