"""Fault tolerance against a real Redis and real Celery workers (issue 8).

Each test starts a redis-server of its own on a free port (the machine's shared Redis is never stopped) and
workers as subprocesses, so they can be killed like a crashed machine would. Worker and test share the
PostgreSQL test database; CI sets DATABASE_URL and REDIS_URL.
"""

import io
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from accounts import outbox
from accounts.enums import RoleCode
from accounts.models import OutboxTask
from config.celery import app
from matchmaking.models import MatchRun, MatchScore

pytestmark = pytest.mark.worker

BASE_DIR = Path(settings.BASE_DIR)


def _skip_reason() -> str | None:
    if not os.environ.get("REDIS_URL"):
        return "REDIS_URL is not set: the fault-tolerance tests need Redis and a real worker (CI sets it)"
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        return "DATABASE_URL is not PostgreSQL: the test and its worker processes must share one database"
    if not shutil.which("redis-server"):
        return "redis-server is not installed"
    return None


class OwnRedis:
    """A redis-server on a free loopback port, which the test stops and starts again on the same port."""

    def __init__(self, log: Path):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.log = log
        self.process = None

    def start(self) -> None:
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        with self.log.open("a") as log:  # the child keeps its own descriptor
            self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        _wait(lambda: _reachable(self.port), 10, "redis-server did not start")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(10)

    def client(self):
        import redis

        return redis.Redis.from_url(self.url)


def _reachable(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
    except OSError:
        return False
    return True


def _wait(condition, seconds: float, message: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(message)
        time.sleep(0.2)


@pytest.fixture
def own_redis(transactional_db, tmp_path, settings):
    if reason := _skip_reason():
        pytest.skip(reason)
    server = OwnRedis(tmp_path / "redis.log")
    server.start()
    # The cache too, as in production: stopping this Redis takes the rate-limit counters away with the broker.
    settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": server.url}}
    saved = app.conf.broker_url
    app.conf.broker_url = server.url
    app.conf.task_always_eager = False
    yield server
    app.conf.broker_url = saved
    app.conf.task_always_eager = True
    if server.process.poll() is None:
        server.stop()


@pytest.fixture
def workers(own_redis, tmp_path):
    """Start Celery worker subprocesses on the test's Redis and database; all are killed at the end."""
    started = []
    db = connection.settings_dict
    database_url = f"postgresql://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"

    def start(*, chunk_pause: float = 0) -> subprocess.Popen:
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "REDIS_URL": own_redis.url,
            "CELERY_VISIBILITY_TIMEOUT": "4",  # a killed worker's task goes to another one after 4 s
            "MATCH_TEST_CHUNK_PAUSE": str(chunk_pause),
            "DJANGO_SETTINGS_MODULE": "config.settings",
        }
        name = f"w{len(started)}@fault-test"
        command = [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "solo", "-n", name]
        command += ["--without-mingle", "--without-gossip", "--without-heartbeat", "-l", "info"]
        with (tmp_path / f"{name}.log").open("a") as log:
            process = subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT)
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
            process.wait(10)


def _queues_drained(redis) -> bool:
    """Nothing waiting in the default queue and nothing delivered but unacknowledged."""
    return redis.llen("celery") == 0 and redis.hlen("unacked") == 0


def _scores() -> dict:
    return {(m.need_id, m.startup_id): (m.score, m.components) for m in MatchScore.objects.all()}


def _registry(count: int):
    from seeds.models import Startup
    from tests.factories import make_corporate_number

    topics = ["小型無人機の夜間探知レーダー", "港湾の水中ドローン", "衛星画像の解析AI", "耐熱セラミック材料"]
    return [
        Startup.objects.create(
            corporate_number=make_corporate_number(5000 + n),
            name=f"テスト技研{n}",
            description=f"{topics[n % len(topics)]}を開発する。事例{n}。",
            trl=1 + n % 9,
        )
        for n in range(count)
    ]


def _need(ref: str, title: str, status: str):
    from accounts.services import organisation_for_unit
    from needs.enums import Pathway
    from needs.models import Need

    return Need.objects.create(
        ref=ref, title=title, description=title, owner_unit=organisation_for_unit("gsdf"),
        pathway=Pathway.EARLY_EQUIPMENT, status=status,
    )  # fmt: skip


def test_with_redis_stopped_pages_and_writes_work_and_the_tasks_run_once_it_is_back(
    own_redis, workers, client, user_with_role
):
    from needs.enums import NeedStatus

    radar, *_others = _registry(6)
    need = _need("F-0001", "夜間に接近する小型無人機の探知", NeedStatus.SUBMITTED)
    reviewer, curator = user_with_role(RoleCode.NEED_REVIEWER), user_with_role(RoleCode.CURATOR)

    own_redis.stop()
    from django.core.cache import cache

    assert cache.get("anything", "missed") == "missed"  # the cache degrades to misses instead of failing
    client.force_login(reviewer)
    started = time.monotonic()
    response = client.post(reverse("needs:need_transition", args=[need.pk]), {"to": NeedStatus.PUBLISHED})
    assert response.status_code == 302
    assert client.get(reverse("needs:need_detail", args=[need.pk])).status_code == 200
    client.force_login(curator)
    response = client.post(
        reverse("seeds:startup_edit", args=[radar.pk]),
        {"name": "スカイウォッチ", "trl": 7, "description": "夜間の小型無人機を探知するレーダー"},
    )
    assert response.status_code == 302
    assert client.get(reverse("seeds:startup_list")).status_code == 200
    consultation = {
        **{"company_name": "停止中技研", "company_summary": "概要", "inquiry": "相談", "technology": "センサー"},
        **{"defense_record": "なし", "contact_name": "担当", "contact_email": "down@test.example.jp"},
    }
    assert client.post(reverse("needs:consultation_new"), consultation).status_code == 302  # rate-limited form
    assert time.monotonic() - started < 10  # each write waited one refused connection, not a retry loop

    need.refresh_from_db()
    radar.refresh_from_db()
    assert (need.status, radar.name) == (NeedStatus.PUBLISHED, "スカイウォッチ")
    pending = sorted(OutboxTask.objects.filter(sent_at__isnull=True).values_list("task", flat=True))
    assert pending == [
        "matchmaking.score_need",
        "matchmaking.score_startup",
        "needs.notify_need_transition",
        "needs.send_consultation_acknowledgement",
    ]
    assert not MatchScore.objects.exists()

    own_redis.start()
    call_command("relay_outbox", stdout=io.StringIO())
    assert outbox.pending_count() == 0
    workers()
    redis = own_redis.client()
    _wait(lambda: _queues_drained(redis) and MatchScore.objects.filter(need=need).exists(), 60, "tasks did not run")
    _wait(lambda: _queues_drained(redis), 30, "tasks did not finish")
    time.sleep(1)  # the last task's transaction commits just before its acknowledgement

    assert MatchScore.objects.filter(need=need, startup=radar).exists()
    assert outbox.relay_all() == 0  # sent rows are not sent again
    by_worker = _scores()
    app.conf.task_always_eager = True  # the same work done here, in-process: the worker's result must match
    from matchmaking.services import matches_score_needs, matches_score_startup

    matches_score_needs(need_ids=[need.pk])
    matches_score_startup(startup_id=radar.pk)
    assert _scores() == by_worker


def test_a_worker_killed_mid_chunk_leaves_consistent_scores_and_its_task_is_delivered_again(own_redis, workers):
    from matchmaking.services import matches_recompute_start, matches_recompute_sync
    from needs.enums import NeedStatus

    _registry(24)
    titles = ["小型無人機の夜間探知", "水中ドローンによる港湾監視", "衛星画像の自動解析"]
    for n, title in enumerate(titles):
        _need(f"K-{n:04d}", title, NeedStatus.PUBLISHED)

    first = workers(chunk_pause=60)  # scores its first chunk, then waits: killed during that wait
    run = matches_recompute_start(chunk_size=1)
    assert run.total_chunks == 3 + 5  # a chunk per need, and the 24 startups in chunks of 5
    _wait(MatchScore.objects.exists, 60, "the first worker did not start scoring")
    first.send_signal(signal.SIGKILL)
    first.wait(10)
    run.refresh_from_db()
    assert (run.status, run.done_chunks) == (MatchRun.Status.RUNNING, 0)

    workers()  # after the visibility timeout Redis hands it the killed worker's chunk as well
    _wait(lambda: MatchRun.objects.get(pk=run.pk).status == MatchRun.Status.DONE, 90, "the run did not finish")
    run.refresh_from_db()
    assert run.done_chunks == len(set(run.done_keys)) == 8
    by_workers = _scores()
    assert by_workers

    app.conf.task_always_eager = True
    matches_recompute_sync()  # a clean full run in this process
    assert _scores() == by_workers
