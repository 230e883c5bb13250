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


def published_need(*, owner_unit, ref: str):
    """A public, published need with the matching journey's texts, open for proposals for 30 days."""
    from datetime import timedelta

    from django.utils import timezone

    from needs.enums import NeedStatus, Pathway, Visibility
    from needs.models import Need
    from tests.browser.test_matching_journey import NEED_TEXT

    return Need.objects.create(
        ref=ref,
        owner_unit=owner_unit,
        pathway=Pathway.EARLY_EQUIPMENT,
        visibility=Visibility.PUBLIC,
        status=NeedStatus.PUBLISHED,
        min_trl=5,
        published_at=timezone.now(),
        proposal_deadline=timezone.now() + timedelta(days=30),
        **NEED_TEXT,
    )
