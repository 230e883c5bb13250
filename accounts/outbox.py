"""The transactional outbox: every Celery task the portal enqueues goes through `enqueue()`.

With a broker, the task is written as an OutboxTask row in the same transaction as the change that calls for
it, and sent after commit. If the broker is unreachable the page still answers (a short connection timeout, no
publish retries) and the row stays pending until `relay()` runs again: the `relay_outbox` command or the beat
task every minute. Delivery is at least once (a relay that dies between publishing and marking the row sent
publishes it again), so every task is idempotent. Without a broker (tasks run eagerly in-process, the embedded
default) the task runs after commit as before, and no row is written.
"""

import importlib
import logging
from datetime import timedelta

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from accounts.models import OutboxTask
from config.celery import app as celery_app

logger = logging.getLogger(__name__)

LEASE = timedelta(seconds=60)  # how long a relay may take to send what it claimed before another one retries
KEEP_SENT = timedelta(days=7)


def enqueue(task: str, kwargs: dict | None = None, *, contain_eager_errors: bool = False) -> None:
    """Send the Celery task named `task` once the current transaction commits; nothing if it rolls back.

    `contain_eager_errors`: when the task runs in-process (no broker), log its failure instead of failing the
    request that caused it (scoring must never break an edit; the nightly recompute catches up)."""
    kwargs = kwargs or {}
    if celery_app.conf.task_always_eager:
        transaction.on_commit(lambda: _run_eagerly(task, kwargs, contain_eager_errors))
        return
    row = OutboxTask.objects.create(task=task, kwargs=kwargs)
    transaction.on_commit(lambda: relay(ids=[row.pk]))


def _run_eagerly(task: str, kwargs: dict, contain: bool) -> None:
    # Task names are "<app>.<name>", defined in <app>/tasks.py, which Celery only imports lazily.
    importlib.import_module(f"{task.split('.')[0]}.tasks")
    try:
        celery_app.tasks[task].delay(**kwargs)
    except Exception:
        if not contain:
            raise
        logger.exception("Task %s(%s) failed in-process", task, kwargs)


def relay(*, ids: list[int] | None = None, limit: int = 500) -> int:
    """Publish pending rows (these `ids`, or the oldest `limit`) to the broker; returns how many were sent.
    Stops at the first broker failure and leaves the rest pending for the next relay."""
    rows = _claim(ids, limit)
    if not rows:
        return 0
    sent: list[int] = []
    try:
        with celery_app.connection_for_write() as connection:
            # One quick attempt: kombu would otherwise keep retrying for the whole connection timeout.
            connection.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=2)
            for row in rows:
                celery_app.send_task(
                    row.task,
                    kwargs=row.kwargs,
                    task_id=str(row.uuid),
                    connection=connection,
                    retry=False,  # a page never waits on a broker that is down; the relay retries later
                    ignore_result=True,
                )
                sent.append(row.pk)
    except Exception as error:  # kombu wraps every transport failure differently; all of them mean "later"
        logger.warning("Broker unreachable, %d outbox task(s) left pending: %s", len(rows) - len(sent), error)
        OutboxTask.objects.filter(pk__in=[row.pk for row in rows if row.pk not in sent]).update(
            lease_until=None, last_error=str(error)[:1000]
        )
    finally:
        OutboxTask.objects.filter(pk__in=sent).update(sent_at=timezone.now(), lease_until=None, last_error="")
    return len(sent)


def _claim(ids: list[int] | None, limit: int) -> list[OutboxTask]:
    """Lease pending rows to this relay, so that two relays running at once do not both send a row."""
    now = timezone.now()
    pending = OutboxTask.objects.filter(sent_at__isnull=True).filter(
        Q(lease_until__isnull=True) | Q(lease_until__lt=now)
    )
    if ids is not None:
        pending = pending.filter(pk__in=ids)
    with transaction.atomic():
        rows = list(pending.select_for_update(skip_locked=True).order_by("pk")[:limit])
        OutboxTask.objects.filter(pk__in=[row.pk for row in rows]).update(
            lease_until=now + LEASE, attempts=F("attempts") + 1
        )
    return rows


def relay_all() -> int:
    """Relay every pending row, batch after batch, then forget rows sent more than a week ago."""
    total = 0
    while sent := relay():
        total += sent
    OutboxTask.objects.filter(sent_at__lt=timezone.now() - KEEP_SENT).delete()
    return total


def pending_count() -> int:
    return OutboxTask.objects.filter(sent_at__isnull=True).count()
