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


def test_the_deadline_task_closes_expired_needs_through_a_real_worker(real_worker):
    from datetime import timedelta

    from django.utils import timezone

    from accounts.services import organisation_for_unit
    from needs.enums import NeedStatus, Pathway
    from needs.models import Need
    from needs.tasks import close_expired_needs

    unit = organisation_for_unit("gsdf")
    expired = Need.objects.create(
        ref="W-0001",
        title="期限切れのニーズ",
        description="締切を過ぎた公開中のニーズ",
        owner_unit=unit,
        pathway=Pathway.EARLY_EQUIPMENT,
        status=NeedStatus.PUBLISHED,
        proposal_deadline=timezone.now() - timedelta(hours=1),
    )
    assert close_expired_needs.delay().get(timeout=30) == ["W-0001"]
    expired.refresh_from_db()
    assert expired.status == NeedStatus.CLOSED
    assert expired.transitions.get().to_status == NeedStatus.CLOSED


def test_a_changed_need_is_rescored_by_a_real_worker(real_worker):
    import time

    from accounts.services import organisation_for_unit
    from matchmaking.models import MatchScore
    from needs.enums import NeedStatus, Pathway
    from needs.models import Need
    from needs.services.needs import need_update
    from seeds.models import Startup
    from tests.factories import make_corporate_number

    radar = Startup.objects.create(
        corporate_number=make_corporate_number(4401),
        name="Skywatch Radar",
        description="Compact radar that detects and tracks small UAVs and drones at night.",
        trl=7,
    )
    need = Need.objects.create(
        ref="W-0002",
        title="港湾の水質調査",
        description="港湾の水質を定期的に調べたい。",
        owner_unit=organisation_for_unit("msdf"),
        pathway=Pathway.EARLY_EQUIPMENT,
        status=NeedStatus.DRAFT,
    )
    need_update(
        need=need,
        data={"title": "基地周辺の小型無人機の探知", "description": "夜間に接近するドローンを探知したい。"},
        actor=None,
    )

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not MatchScore.objects.filter(need=need, startup=radar).exists():
        time.sleep(0.2)
    match = MatchScore.objects.get(need=need, startup=radar)
    assert match.score > 0
    assert match.model_version
