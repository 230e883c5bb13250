"""The transactional outbox (accounts/outbox.py): tasks written with the change, sent after commit, kept when
the broker is unreachable and sent by the relay later. The real Redis and worker version of this is
tests/test_fault_tolerance.py; here the broker is Kombu's in-memory one, or an address where nothing listens."""

import time

import pytest
from django.core.management import call_command
from django.db import transaction

from accounts import outbox
from accounts.models import OutboxTask
from config.celery import app
from needs.enums import NeedStatus
from needs.services.needs import need_transition

NOWHERE = "redis://127.0.0.1:1/0"  # port 1: the connection is refused at once


@pytest.fixture
def broker():
    """Tasks go to a broker (not run in-process); the test picks which one."""
    saved = app.conf.broker_url

    def use(url: str) -> None:
        app.conf.broker_url = url

    app.conf.task_always_eager = False
    use("memory://localhost/")
    yield use
    app.conf.broker_url = saved
    app.conf.task_always_eager = True


@pytest.fixture
def submitted_need(db):
    from accounts.services import organisation_for_unit
    from needs.enums import Pathway
    from needs.models import Need

    return Need.objects.create(
        ref="O-0001",
        title="夜間の小型無人機探知",
        description="基地周辺のドローンを夜間に探知したい。",
        owner_unit=organisation_for_unit("gsdf"),
        pathway=Pathway.EARLY_EQUIPMENT,
        status=NeedStatus.SUBMITTED,
    )


def publish(need, capture):
    with capture(execute=True):
        need_transition(need=need, to=NeedStatus.PUBLISHED, actor=None, system=True)


def test_tasks_run_in_process_without_a_broker_and_leave_no_row(submitted_need, django_capture_on_commit_callbacks):
    publish(submitted_need, django_capture_on_commit_callbacks)
    assert OutboxTask.objects.count() == 0


def test_a_change_writes_its_tasks_and_sends_them_after_commit(
    broker, submitted_need, django_capture_on_commit_callbacks
):
    publish(submitted_need, django_capture_on_commit_callbacks)
    rows = list(OutboxTask.objects.values_list("task", "sent_at"))
    assert sorted(task for task, _sent in rows) == ["matchmaking.score_need", "needs.notify_need_transition"]
    assert all(sent is not None for _task, sent in rows)


def test_a_rolled_back_change_leaves_no_task(broker, submitted_need):
    with pytest.raises(RuntimeError), transaction.atomic():
        need_transition(need=submitted_need, to=NeedStatus.PUBLISHED, actor=None, system=True)
        raise RuntimeError("the rest of the request failed")
    assert OutboxTask.objects.count() == 0


def test_with_the_broker_down_the_write_succeeds_quickly_and_the_relay_sends_later(
    broker, submitted_need, django_capture_on_commit_callbacks
):
    broker(NOWHERE)
    started = time.monotonic()
    publish(submitted_need, django_capture_on_commit_callbacks)
    assert time.monotonic() - started < 2
    submitted_need.refresh_from_db()
    assert submitted_need.status == NeedStatus.PUBLISHED
    assert outbox.pending_count() == 2
    assert OutboxTask.objects.filter(last_error__contains="refused").count() == 2

    assert outbox.relay_all() == 0  # still down: nothing sent, nothing lost
    assert outbox.pending_count() == 2

    broker("memory://localhost/")
    call_command("relay_outbox", stdout=(out := __import__("io").StringIO()))
    assert "2" in out.getvalue()
    assert outbox.pending_count() == 0
    assert outbox.relay_all() == 0  # sent rows are never sent again


def test_a_row_claimed_by_another_relay_is_left_to_it(broker, submitted_need, django_capture_on_commit_callbacks):
    broker(NOWHERE)
    publish(submitted_need, django_capture_on_commit_callbacks)
    broker("memory://localhost/")
    claimed = outbox._claim(None, 1)  # another relay holds the oldest row
    assert len(claimed) == 1
    assert outbox.relay_all() == 1
    assert list(OutboxTask.objects.filter(sent_at__isnull=True)) == claimed
