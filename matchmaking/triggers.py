"""What the registry and the needs call when their data changes: re-scoring is enqueued after commit, so a
rolled-back edit enqueues nothing and the worker reads the committed rows.

Scoring is never allowed to break the edit that caused it: the task goes through the outbox (a broker that
is down delays it, accounts/outbox.py), and with eager tasks a scorer failure is logged and the nightly full
recompute catches up.
"""

from accounts import outbox


def _enqueue(task_name: str, **kwargs) -> None:
    outbox.enqueue(f"matchmaking.{task_name}", kwargs, contain_eager_errors=True)


def need_changed(need_id: int) -> None:
    _enqueue("score_need", need_id=need_id)


def startup_changed(startup_id: int) -> None:
    _enqueue("score_startup", startup_id=startup_id)


def registry_changed() -> None:
    """Many rows at once (an import): one full recompute instead of a task per row."""
    _enqueue("recompute_all")
