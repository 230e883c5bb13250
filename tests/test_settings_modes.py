"""The embedded default and the production shape, each read from the environment in a fresh process."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings

PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.core.cache import caches
from config.celery import app
print(json.dumps({
    "engine": settings.DATABASES["default"]["ENGINE"],
    "db_name": str(settings.DATABASES["default"]["NAME"]),
    "cache": settings.CACHES["default"]["BACKEND"],
    "sessions": settings.SESSION_ENGINE,
    "session_cache": settings.CACHES[settings.SESSION_CACHE_ALIAS]["BACKEND"],
    "eager": app.conf.task_always_eager,
    "broker": app.conf.broker_url,
    "email": settings.EMAIL_BACKEND,
    "debug": settings.DEBUG,
    "language": settings.LANGUAGE_CODE,
    "languages": [code for code, _ in settings.LANGUAGES],
    "time_zone": settings.TIME_ZONE,
}))
"""

CONFIG_VARIABLES = ("DATABASE_URL", "REDIS_URL", "DJANGO_DEBUG", "DJANGO_EMAIL_BACKEND", "EMAIL_HOST", "DJANGO_ENV")


def read_settings(**variables: str) -> dict:
    environment = {key: value for key, value in os.environ.items() if key not in CONFIG_VARIABLES}
    environment.update(variables, DJANGO_SETTINGS_MODULE="config.settings")
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
        cwd=settings.BASE_DIR,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_nothing_set_means_sqlite_eager_tasks_console_mail_and_no_debug():
    embedded = read_settings()
    assert embedded["engine"] == "django.db.backends.sqlite3"
    assert embedded["cache"].endswith("LocMemCache")
    assert embedded["eager"] is True
    assert embedded["broker"].startswith("memory://")
    assert embedded["email"] == "django.core.mail.backends.console.EmailBackend"
    assert embedded["debug"] is False
    assert embedded["sessions"] == "django.contrib.sessions.backends.db"


def test_database_and_redis_urls_give_the_production_shape():
    production = read_settings(
        DATABASE_URL="postgres://portal:secret@db.internal:5432/portal", REDIS_URL="redis://cache.internal:6379/1"
    )
    assert production["engine"] == "django.db.backends.postgresql"
    assert production["db_name"] == "portal"
    assert production["cache"] == "config.cache.ResilientRedisCache"
    assert production["eager"] is False
    assert production["broker"] == "redis://cache.internal:6379/1"
    assert production["sessions"] == "django.contrib.sessions.backends.cached_db"


# Caches that live in one process's memory (or nowhere): a session kept there is not seen by other workers.
PROCESS_LOCAL_CACHES = ("django.core.cache.backends.locmem.LocMemCache", "django.core.cache.backends.dummy.DummyCache")
MODES = {
    "embedded default": {},
    "redis": {"REDIS_URL": "redis://cache.internal:6379/1"},
    "production": {
        "DJANGO_ENV": "production",
        "DJANGO_SECRET_KEY": "pX7-kq2Lr9vT4mWc8zYb1NfHd6sJa3GeQu5oRi0ElCtVwKyBnMg",
        "REDIS_URL": "redis://cache.internal:6379/1",
    },
}


@pytest.mark.parametrize("mode", MODES)
def test_no_mode_keeps_sessions_in_one_worker_s_memory(mode):
    """A session read from a per-process cache stays valid in the other workers after sign-out there."""
    seen = read_settings(**MODES[mode])
    if "cache" in seen["sessions"]:  # the cache and cached_db engines read the session from the cache
        assert seen["session_cache"] not in PROCESS_LOCAL_CACHES, seen


def test_debug_only_when_asked_for():
    assert read_settings(DJANGO_DEBUG="1")["debug"] is True


def test_japanese_first_english_available_tokyo_time():
    embedded = read_settings()
    assert embedded["language"] == "ja"
    assert embedded["languages"] == ["ja", "en"]
    assert embedded["time_zone"] == "Asia/Tokyo"
