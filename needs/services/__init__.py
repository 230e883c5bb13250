"""Writes on needs, questions, proposals, evaluations and consultations. Pages, API, commands and tasks call
these; each state machine has exactly one function that moves it and records the move."""


def enqueue(task_name: str, **kwargs) -> None:
    """Send a needs task to the workers after commit, through the outbox (a rollback sends nothing, a broker
    that is down loses nothing): call it inside the transaction that makes the change."""
    from accounts import outbox

    outbox.enqueue(f"needs.{task_name}", kwargs)
