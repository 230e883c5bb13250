"""What the registry and the needs call when their data changes: re-scoring is enqueued after commit, so a
rolled-back edit enqueues nothing and the worker reads the committed rows.

Scoring is never allowed to break the edit that caused it: if the broker is down (or, with eager tasks, the
scorer fails) the problem is logged and the nightly full recompute catches up.
"""

import logging

from django.db import transaction

logger = logging.getLogger(__name__)


def _enqueue(task_name: str, **kwargs) -> None:
    from matchmaking import tasks

    def send() -> None:
        try:
            getattr(tasks, task_name).delay(**kwargs)
        except Exception:
            logger.exception("Could not enqueue %s(%s); the nightly recompute will catch up", task_name, kwargs)

    transaction.on_commit(send)


def need_changed(need_id: int) -> None:
    _enqueue("score_need", need_id=need_id)


def startup_changed(startup_id: int) -> None:
    _enqueue("score_startup", startup_id=startup_id)


def registry_changed() -> None:
    """Many rows at once (an import): one full recompute instead of a task per row."""
    _enqueue("recompute_all")
