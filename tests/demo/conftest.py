import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings


@pytest.fixture(scope="module")
def demo_loaded(django_db_setup, django_db_blocker) -> str:
    """`load_demo` run once for a module's tests, which read what it made; rolled back after the last of them.
    Returns what the command printed."""
    # The tests' own password hasher (tests/conftest.py), so that the demo accounts sign in there.
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast, transaction.atomic():
        out = io.StringIO()
        call_command("load_demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def demo(demo_loaded, db) -> str:
    return demo_loaded
