"""The only module that reads the process environment.

Everything configurable is read here once, so that the settings module (and a reader of it) sees every knob
in one place. With nothing set, the embedded default applies: SQLite, eager Celery tasks, console e-mail.
"""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = env_str("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])
DATABASE_URL = env_str("DATABASE_URL")
REDIS_URL = env_str("REDIS_URL")
EMAIL_URL_BACKEND = env_str("DJANGO_EMAIL_BACKEND")
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_PORT = int(env_str("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "dualuse-portal@localhost")
# Absolute address used in e-mailed links (verification, password reset) sent from a worker.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")
STATIC_MANIFEST = env_bool("DJANGO_STATIC_MANIFEST", False)
SECURE_COOKIES = env_bool("DJANGO_SECURE_COOKIES", False)
LOG_LEVEL = env_str("DJANGO_LOG_LEVEL", "INFO")
SQLITE_PATH = Path(env_str("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")))
MATCH_TOP_K = int(env_str("MATCH_TOP_K", "50"))
# "production" turns on everything `manage.py check --deploy` asks for (config/settings.py, "Production").
ENVIRONMENT = env_str("DJANGO_ENV", "development")
PRODUCTION = ENVIRONMENT == "production"
# HSTS: one year, subdomains included and preload on by default (the portal is HTTPS-only); lower it for a
# first roll-out if unsure, since browsers remember it for that long.
HSTS_SECONDS = int(env_str("DJANGO_HSTS_SECONDS", "31536000"))
HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)
SSL_REDIRECT = env_bool("DJANGO_SSL_REDIRECT", True)
# "json": one JSON object per line with the request id (production default); "plain": human-readable.
LOG_FORMAT = env_str("DJANGO_LOG_FORMAT", "json" if PRODUCTION else "plain")
MEDIA_ROOT = Path(env_str("DJANGO_MEDIA_ROOT", str(BASE_DIR / "media")))
# Sessions end 8 hours after sign-in whatever happens, and after 60 minutes without a request.
SESSION_MAX_AGE_HOURS = int(env_str("DJANGO_SESSION_MAX_AGE_HOURS", "8"))
SESSION_IDLE_MINUTES = int(env_str("DJANGO_SESSION_IDLE_MINUTES", "60"))
# How many proxies in front of gunicorn append to X-Forwarded-For: then the client address (for rate limits and
# the sign-in lockout) is read from it; 0 means the connection's own address.
NUM_PROXIES = int(env_str("DJANGO_NUM_PROXIES", "0"))
# Seconds before Redis hands an unacknowledged task (its worker died) to another worker: longer than any task.
CELERY_VISIBILITY_TIMEOUT = int(env_str("CELERY_VISIBILITY_TIMEOUT", "3600"))
# Test only: seconds a full-recompute chunk waits after scoring, so a test can kill its worker mid-task.
MATCH_CHUNK_PAUSE = float(env_str("MATCH_TEST_CHUNK_PAUSE", "0"))
