"""The real Celery round trip: a task enqueued on Redis and run by a worker thread in this process."""

import os

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail

from accounts.tasks import send_verification_email
from config.celery import app
from tests.factories import UserFactory

pytestmark = pytest.mark.worker


@pytest.fixture
def real_worker(transactional_db):
    if not os.environ.get("REDIS_URL"):
        pytest.skip("REDIS_URL is not set: the worker round trip needs Redis (CI sets it)")
    app.conf.task_always_eager = False
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        yield
    app.conf.task_always_eager = True


def test_verification_email_goes_through_redis_and_a_real_worker(real_worker):
    user = UserFactory(email="worker@test.example.jp", email_verified_at=None)
    result = send_verification_email.delay(user_id=user.pk)
    assert result.get(timeout=30) is True
    assert [message.to for message in mail.outbox] == [["worker@test.example.jp"]]


def test_task_for_a_deleted_user_finishes_quietly(real_worker):
    assert send_verification_email.delay(user_id=987654).get(timeout=30) is False
    assert mail.outbox == []
