"""Writes on needs, questions, proposals, evaluations and consultations. Pages, API, commands and tasks call
these; each state machine has exactly one function that moves it and records the move."""


def enqueue(task_name: str, **kwargs) -> None:
    """Send a needs task to the workers; call it from `transaction.on_commit` so a rollback sends nothing."""
    from needs import tasks

    getattr(tasks, task_name).delay(**kwargs)
