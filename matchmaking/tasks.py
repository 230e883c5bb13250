"""Thin Celery entry points for scoring. Idempotent: scores are keyed by (need, startup)."""

from celery import shared_task
from django.db import OperationalError

from matchmaking import services
from matchmaking.models import MatchRun

_RETRY = {"autoretry_for": (OperationalError, ConnectionError), "retry_backoff": True, "max_retries": 5}


@shared_task(name="matchmaking.score_need", **_RETRY)
def score_need(*, need_id: int) -> int:
    return services.matches_score_needs(need_ids=[need_id])


@shared_task(name="matchmaking.score_startup", **_RETRY)
def score_startup(*, startup_id: int) -> int:
    return services.matches_score_startup(startup_id=startup_id)


@shared_task(name="matchmaking.recompute_all", **_RETRY)
def recompute_all() -> int:
    return services.matches_recompute_start().pk


@shared_task(name="matchmaking.score_chunk", **_RETRY)
def score_chunk(*, run_id: int, need_ids: list[int] = (), startup_ids: list[int] = ()) -> None:
    run = MatchRun.objects.filter(pk=run_id, status=MatchRun.Status.RUNNING).first()
    if run is not None:
        services.matches_recompute_chunk(run=run, need_ids=need_ids, startup_ids=startup_ids)
