"""Load benchmark: the main pages and API lists under 16 concurrent clients, against gunicorn on loopback.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/NAME .venv/bin/python benchmarks/load.py
        [--startups 10000] [--needs 2000] [--connections 16] [--seconds 15] [--warmup 8] [--workers 3] [--threads 1]
        [--keep] [--reuse] [--profile]

It creates `<NAME>_load` on the PostgreSQL server (the role needs CREATEDB), fills it with benchmarks/
match_scale.py's generated registry (10,000 startups and 2,000 needs by default, bulk inserts) and scores,
collects the static files, and starts gunicorn on a free loopback port with
production settings from the environment (DEBUG off, that database, static files through WhiteNoise's
manifest). Scores are each need's top K startups with random plausible values (a real full recompute of
20 million pairs takes minutes and is benchmarks/match_scale.py's subject; the pages read the same rows).
wrk (Debian package `wrk`) then drives each URL with --connections connections for --seconds
(after a short warm-up), signed in as a METI curator (a government user) by session cookie for pages and by
token for the API, and the trivial view /healthz/ (one SELECT 1) in the same run as the ceiling. With REDIS_URL
set (as in production) the server caches in Redis and the matcher's index is built there once beforehand;
without it each worker builds its own on its first matches page.

It prints throughput and p50/p95/p99 latency per URL and whether each target of issue 8 holds: p95 ≤ 100 ms,
at least a third of the trivial view's throughput, no errors (connection errors, timeouts or non-2xx/3xx).
--profile also renders each URL once in-process under pyinstrument with its SQL query count. --keep leaves the
database for another run, --reuse takes a kept one as it is. Figures: benchmarks/README.md.
"""

import argparse
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

TARGET_P95_MS = 100.0
TARGET_SHARE = 1 / 3
WRK_REPORT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('{"requests": %d, "duration_us": %d, "errors": %d, "bad_status": %d, '
    .. '"p50": %d, "p95": %d, "p99": %d}\\n', summary.requests, summary.duration,
    e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def prepare(args) -> dict:
    """Create (or reuse) the database and its data; return what the load needs: URLs and credentials."""
    from django.core.management import call_command
    from django.db import connection

    settings_dict = connection.settings_dict
    settings_dict.setdefault("TEST", {})["NAME"] = f"{settings_dict['NAME']}_load"
    connection.creation.create_test_db(verbosity=0, autoclobber=not args.reuse, keepdb=args.reuse, serialize=False)
    from matchmaking.models import MatchScore
    from seeds.models import Startup

    if not (args.reuse and Startup.objects.exists()):
        from match_scale import generate

        log(f"generating {args.startups:,} startups and {args.needs:,} needs …")
        generate(args.startups, args.needs, seed=7)
        log("writing scores …")
        write_scores(seed=7)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # planner statistics, as autovacuum would have them on a running site
    call_command("clearsessions", verbosity=0)
    from django.conf import settings

    if "redis" in settings.CACHES["default"]["BACKEND"].lower():
        from matchmaking.index import startup_index

        log("building the matcher's index into the shared cache (as a running site has it) …")
        startup_index(rebuild=True)
    log(f"{Startup.objects.count():,} startups, {MatchScore.objects.count():,} scores in {settings_dict['NAME']}")
    return credentials()


def write_scores(*, seed: int) -> None:
    """Each need's top K startups with plausible scores, bulk inserted: the rows the pages read, without the
    minutes a full recompute takes on a shared machine (benchmarks/match_scale.py measures that)."""
    import random

    from django.utils import timezone

    from matchmaking.models import MatchScore
    from matchmaking.scoring.matcher import COMPONENTS, MODEL_VERSION
    from matchmaking.services import top_k_setting
    from needs.models import Need
    from seeds.models import Startup

    rng, now = random.Random(seed), timezone.now()
    startups = list(Startup.objects.values_list("pk", flat=True))
    rows = []
    for need_id in Need.objects.values_list("pk", flat=True):
        for startup_id in rng.sample(startups, top_k_setting()):
            parts = {name: round(rng.random(), 4) for name in COMPONENTS}
            score = round(sum(parts.values()) / len(parts), 6)
            rows.append(MatchScore(need_id=need_id, startup_id=startup_id, score=score, components=parts,
                                   model_version=MODEL_VERSION, computed_at=now))  # fmt: skip
    MatchScore.objects.bulk_create(rows, batch_size=5000)


def credentials() -> dict:
    """A verified METI curator: a session cookie for the pages, a token for the API; a need with matches."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.db.models import Count
    from django.utils import timezone
    from django.utils.crypto import get_random_string
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from rest_framework.authtoken.models import Token

    from accounts.enums import OrganisationKind, RoleCode
    from accounts.models import Organisation, User
    from accounts.services import role_get
    from needs.enums import NeedStatus
    from needs.models import Need

    meti, _created = Organisation.objects.get_or_create(kind=OrganisationKind.METI, defaults={"name": "経済産業省"})
    user, _created = User.objects.get_or_create(
        email="load-curator@bench.example.jp",
        defaults={"organisation": meti, "email_verified_at": timezone.now()},
    )
    user.roles.add(role_get(RoleCode.CURATOR))
    session = import_module(settings.SESSION_ENGINE).SessionStore()  # the server's own engine
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "accounts.backends.PortalModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    # A government user's session must have passed two-step verification (accounts/two_factor.py).
    device, _created = TOTPDevice.objects.get_or_create(user=user, name="load", defaults={"confirmed": True})
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.create()
    token, _created = Token.objects.get_or_create(user=user)
    need = (
        Need.objects.filter(status=NeedStatus.PUBLISHED)
        .annotate(n=Count("match_scores"))
        .filter(n__gt=0)
        .order_by("pk")
        .first()
    )
    # A browser holds the CSRF cookie its first page set; without it every page would hand out a new one.
    csrf = get_random_string(32)
    cookie = f"sessionid={session.session_key}; csrftoken={csrf}"
    return {"cookie": cookie, "token": token.key, "need_pk": need.pk}


def endpoints(found: dict) -> list[tuple[str, str, str | None]]:
    cookie, token = f"Cookie: {found['cookie']}", f"Authorization: Token {found['token']}"
    return [
        ("trivial view /healthz/", "/healthz/", None),
        ("trivial view, signed in", "/healthz/", cookie),
        ("needs board /needs/", "/needs/", cookie),
        ("startup list /seeds/", "/seeds/", cookie),
        ("need's matches /matches/needs/N/", f"/matches/needs/{found['need_pk']}/", cookie),
        ("startups API /api/v1/startups/", "/api/v1/startups/", token),
        # A random page of the list each request: each page is rendered once, then served from the page cache
        # until its entry expires (60 s), so these rows mix misses (the rendering cost itself) and hits.
        ("needs board, random page of 80", "/needs/?page={n}&p=80", cookie),
        ("startup list, random page of 400", "/seeds/?page={n}&p=400", cookie),
        ("startups API, random page of 400", "/api/v1/startups/?page={n}&p=400", token),
    ]


def wrk_script(path: str) -> str:
    """The report script; for a path with {n}, each request asks for a random page in 1..p."""
    if "{n}" not in path:
        return WRK_REPORT
    base, pages = path.split("&p=")
    prefix, suffix = base.split("{n}")
    return (
        f"math.randomseed(7)\nrequest = function()\n  return wrk.format(nil, '{prefix}' .. math.random(1, {pages})"
        f" .. '{suffix}')\nend\n" + WRK_REPORT
    )


def server_environment(args) -> dict:
    from django.db import connection

    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return {
        **os.environ,
        "DATABASE_URL": f"postgresql://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}",
        "DJANGO_DEBUG": "0",
        "DJANGO_STATIC_MANIFEST": "1",
        "DJANGO_SECRET_KEY": os.environ["DJANGO_SECRET_KEY"],
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_LOG_LEVEL": "WARNING",
    }


def start_gunicorn(args, env: dict, port: int) -> subprocess.Popen:
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    command = [sys.executable, "-m", "gunicorn", "config.wsgi", "-b", f"127.0.0.1:{port}"]
    command += ["--workers", str(args.workers), "--threads", str(args.threads), "--log-level", "warning"]
    command += ["--preload", "--timeout", "120"]  # import Django once, then fork: workers answer at once
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz/", timeout=5) as response:
                if response.status == 200:
                    return server
        except OSError:
            time.sleep(0.5)
    server.kill()
    raise SystemExit("gunicorn did not answer /healthz/")


def wrk(url: str, header: str | None, *, connections: int, seconds: int, script: Path) -> dict:
    command = ["wrk", "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "--timeout", "5s", "-s", str(script)]
    if header:
        command += ["-H", header]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    result = json.loads(output.strip().splitlines()[-1])
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    log(f"  {result}")
    return result


def measure(args, found: dict, port: int) -> list[tuple[str, dict]]:
    script = Path(tempfile.mkstemp(suffix=".lua")[1])
    results = []
    try:
        for label, path, header in endpoints(found):
            if args.only and not any(word in label for word in args.only):
                continue
            script.write_text(wrk_script(path))
            url = f"http://127.0.0.1:{port}{path.split('?')[0] if '{n}' in path else path}"
            log(f"{label}: warm-up, then {args.seconds} s at {args.connections} connections …")
            # Warm-up: each worker builds what it keeps (the matcher's index for the matches page, templates).
            wrk(url, header, connections=args.connections, seconds=args.warmup, script=script)
            results.append((label, wrk(url, header, connections=args.connections, seconds=args.seconds, script=script)))
    finally:
        script.unlink()
    return results


def print_table(results: list[tuple[str, dict]], args) -> None:
    ceiling = results[0][1]["rps"] or 1e-9
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"\n{args.connections} connections, {args.seconds} s per URL, gunicorn {args.workers}×{args.threads}")
    print(f"{os.cpu_count()} CPUs, load average {load} at the end (other processes included)")
    print(f"{'URL':<36} {'req/s':>8} {'share':>6} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'errors':>6}  targets")
    for label, r in results:
        share = r["rps"] / ceiling
        errors = r["errors"] + r["bad_status"]
        p50, p95, p99 = (r[key] / 1000 for key in ("p50", "p95", "p99"))
        held = p95 <= TARGET_P95_MS and share >= TARGET_SHARE and errors == 0
        verdict = "ceiling" if r is results[0][1] else ("hold" if held else "MISSED")
        print(f"{label:<36} {r['rps']:8.1f} {share:6.2f} {p50:7.1f} {p95:7.1f} {p99:7.1f} {errors:6d}  {verdict}")


def profile(found: dict) -> None:
    """Each URL once in this process: SQL queries and a pyinstrument profile (the slow spots)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from pyinstrument import Profiler

    client = Client(HTTP_COOKIE=found["cookie"], HTTP_AUTHORIZATION=f"Token {found['token']}")
    for label, path, _header in endpoints(found):
        path = path.replace("{n}", "2")
        client.get(path)  # warm caches as a running server would have them
        profiler = Profiler(interval=0.0005)
        with CaptureQueriesContext(connection) as queries:
            profiler.start()
            response = client.get(path)
            profiler.stop()
        print(f"\n=== {label}: HTTP {response.status_code}, {len(queries)} queries")
        print(profiler.output_text(unicode=True, color=False, show_all=False)[:4000])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--startups", type=int, default=10_000)
    parser.add_argument("--needs", type=int, default=2_000)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--warmup", type=int, default=8, help="seconds of load before each measurement")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=1, help="threads per gunicorn worker")
    parser.add_argument("--keep", action="store_true", help="keep <NAME>_load for another run")
    parser.add_argument("--reuse", action="store_true", help="use a kept <NAME>_load as it is")
    parser.add_argument("--profile", action="store_true", help="pyinstrument and query counts per URL")
    parser.add_argument("--only", nargs="*", help="measure only the URLs whose label has one of these words")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("Set DATABASE_URL to a PostgreSQL server: the benchmark creates <name>_load there.")
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: bash scripts/system-deps.sh bench (installs Debian's wrk)")
    # One secret for this process and the server, so that the session made here is valid there.
    os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    import django

    django.setup()
    from django.db import connection

    old_name = connection.settings_dict["NAME"]
    server = None
    try:
        found = prepare(args)
        if args.profile:
            profile(found)
        port = free_port()
        server = start_gunicorn(args, server_environment(args), port)
        print_table(measure(args, found, port), args)
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(30)
            except subprocess.TimeoutExpired:
                server.kill()
        if not args.keep:
            connection.creation.destroy_test_db(old_name, verbosity=0, keepdb=False)


if __name__ == "__main__":
    main()
