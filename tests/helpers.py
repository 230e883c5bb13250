"""Small helpers shared by tests."""

from django.core.signals import request_finished
from django.db import close_old_connections


def close_response(response) -> None:
    """Close a (file) response like a WSGI server would, without letting Django's end-of-request hook close
    the database connection that holds the test's transaction (it would on PostgreSQL with persistent
    connections)."""
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)
