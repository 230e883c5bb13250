"""The production mode (DJANGO_ENV=production) and the compose file, each checked in a fresh process."""

import json
import os
import re
import shutil
import subprocess
import sys

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.enums import RoleCode
from tests.helpers import published_need

PRODUCTION = {
    "DJANGO_ENV": "production",
    "DJANGO_SECRET_KEY": "pX7-kq2Lr9vT4mWc8zYb1NfHd6sJa3GeQu5oRi0ElCtVwKyBnMg",
    "DJANGO_ALLOWED_HOSTS": "portal.example.go.jp",
    "DATABASE_URL": "",
    # Production needs a shared cache; nothing listens here, so the cache degrades (config/cache.py) and the
    # probes touch no Redis of the test machine.
    "REDIS_URL": "redis://127.0.0.1:9/0",
}
# Variables of the test run itself that must not leak into the fresh process.
CLEARED = (
    "DJANGO_ALLOW_ASYNC_UNSAFE",  # set by the browser tests for Playwright; never in a deployment
    "DJANGO_DEBUG",
    "DJANGO_SECURE_COOKIES",
    "DJANGO_HSTS_PRELOAD",
    "DJANGO_SSL_REDIRECT",
    "DJANGO_SETTINGS_MODULE",
)


def run(args: list[str], **variables: str) -> subprocess.CompletedProcess:
    environment = {key: value for key, value in os.environ.items() if key not in CLEARED}
    environment.update(variables)
    return subprocess.run(args, env=environment, capture_output=True, text=True, cwd=settings.BASE_DIR, timeout=120)


def test_check_deploy_passes_without_a_single_warning_in_production_mode():
    result = run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_the_embedded_default_would_not_pass_check_deploy():
    """The check is not vacuous: the development mode lacks what production adds."""
    result = run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], DJANGO_ENV="")
    assert result.returncode != 0
    assert "security.W004" in result.stderr  # no HSTS
    assert "security.W008" in result.stderr  # no HTTPS redirect


def test_production_refuses_to_start_without_a_secret_key():
    result = run([sys.executable, "manage.py", "check"], **{**PRODUCTION, "DJANGO_SECRET_KEY": ""})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_a_shared_cache():
    """Without Redis each worker would keep sessions in its own memory (a signed-out cookie still valid in the
    others), and rate limits per worker."""
    result = run([sys.executable, "manage.py", "check"], **{**PRODUCTION, "REDIS_URL": ""})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "REDIS_URL" in result.stderr


PROBE = """
import django, json
django.setup()
from django.test import Client
client = Client()
plain = client.get("/healthz/", HTTP_HOST="portal.example.go.jp")
insecure = client.get("/", HTTP_HOST="portal.example.go.jp")
page = client.get("/", HTTP_HOST="portal.example.go.jp", HTTP_X_FORWARDED_PROTO="https")
print(json.dumps({
    "redirect": [plain.status_code, plain.get("Location", "")],
    "insecure": [insecure.status_code, insecure.get("Location", "")],
    "home": page.status_code,
    "headers": {key: page.get(key, "") for key in (
        "Strict-Transport-Security", "Content-Security-Policy", "X-Frame-Options", "Referrer-Policy",
        "X-Content-Type-Options", "X-Request-ID")},
}))
"""


def test_production_redirects_plain_http_except_the_health_check_and_sends_the_security_headers(tmp_path):
    result = run(
        [sys.executable, "-c", PROBE],
        **PRODUCTION,
        DJANGO_SETTINGS_MODULE="config.settings",
        SQLITE_PATH=str(tmp_path / "probe.sqlite3"),
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["redirect"] == [200, ""]  # the health check is answered on plain HTTP
    assert seen["insecure"] == [301, "https://portal.example.go.jp/"]
    assert seen["home"] == 200
    headers = seen["headers"]
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert len(headers["X-Request-ID"]) == 32


def compose_command() -> list[str] | None:
    """`docker compose` (the plugin) or Debian's `docker-compose`, whichever this machine has."""
    if shutil.which("docker") and run(["docker", "compose", "version"]).returncode == 0:
        return ["docker", "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    return None


def test_docker_compose_accepts_the_compose_file():
    command = compose_command()
    if command is None:
        reason = "neither `docker compose` nor `docker-compose` is installed: the compose file was not validated"
        print(reason)
        pytest.skip(reason)
    result = run([*command, "config", "--quiet"], DJANGO_SECRET_KEY="x" * 50)
    assert result.returncode == 0, result.stderr
    services = run([*command, "config", "--services"], DJANGO_SECRET_KEY="x" * 50).stdout.split()
    assert set(services) == {"postgres", "redis", "migrate", "web", "worker", "beat"}
    volumes = run([*command, "config", "--volumes"], DJANGO_SECRET_KEY="x" * 50).stdout.split()
    assert {"postgres-data", "media"} <= set(volumes)


def test_pages_carry_no_inline_style_and_the_policy_allows_none(client_for, db):
    """Styles come from the portal's own files only, so a page served from the page cache stays valid."""
    client = client_for(RoleCode.NEED_AUTHOR)
    author_unit = client.get(reverse("accounts:account")).wsgi_request.user.organisation
    need = published_need(owner_unit=author_unit, ref="GSDF-2025-902")
    response = client.get(reverse("matchmaking:need_matches", args=[need.pk]))
    directives = dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))
    assert directives["style-src"] == "'self'" and directives["script-src"] == "'self'"
    html = response.content.decode()
    assert "<style" not in html
    assert re.search(r'<link rel="stylesheet" href="/static/css/matches[^"]*\.css">', html)
