"""Writes on needs, questions, proposals, evaluations and consultations. Pages, API, commands and tasks call
these; each state machine has exactly one function that moves it and records the move."""
