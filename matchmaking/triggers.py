"""What the registry and the needs call when their data changes: re-scoring is enqueued after commit, so a
rolled-back edit enqueues nothing and the worker reads the committed rows.

Scoring is never allowed to break the edit that caused it: the task goes through the outbox (a broker that
is down delays it, accounts/outbox.py), and with eager tasks a scorer failure is logged and the nightly full
recompute catches up.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction

from accounts import outbox

# Inside one_recompute(): the row triggers fired so far, folded into one full recompute at the end.
_held: ContextVar[list | None] = ContextVar("held_row_triggers", default=None)


def _enqueue(task_name: str, **kwargs) -> None:
    outbox.enqueue(f"matchmaking.{task_name}", kwargs, contain_eager_errors=True)


def _held_back(key: tuple) -> bool:
    held = _held.get()
    if held is not None:
        held.append(key)
    return held is not None


def need_changed(need_id: int) -> None:
    if not _held_back(("need", need_id)):
        _enqueue("score_need", need_id=need_id)


def startup_changed(startup_id: int) -> None:
    if not _held_back(("startup", startup_id)):
        _enqueue("score_startup", startup_id=startup_id)


@contextmanager
def one_recompute():
    """Many rows written through the row-by-row services (an import that creates, edits and publishes each
    need): one full recompute after commit instead of a scoring task per row and per step."""
    held: list = []
    token = _held.set(held)
    try:
        yield
    finally:
        _held.reset(token)
    connection = transaction.get_connection()
    if held and not (connection.in_atomic_block and connection.needs_rollback):  # not for a dry run rolled back
        registry_changed()


def registry_changed() -> None:
    """Many rows at once (an import): one full recompute instead of a task per row."""
    _enqueue("recompute_all")
