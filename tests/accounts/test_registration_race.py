"""The same registration sent twice at once (a double click, a retry on a slow line) answers twice as a
registration does, never with a 500. On PostgreSQL, whose unique indexes make the second insert wait for the
first and then fail; SQLite serialises the two writers before they ever meet."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from accounts.models import Organisation, User
from tests.accounts.test_registration import registration


@pytest.fixture
def postgresql(transactional_db):
    if connection.vendor != "postgresql":
        reason = "the registration race needs PostgreSQL (set DATABASE_URL): SQLite runs one writer at a time"
        print(reason)
        pytest.skip(reason)


def test_the_same_registration_twice_at_once_gets_the_registration_s_answer_twice(postgresql, monkeypatch):
    both_checked = threading.Barrier(2, timeout=20)
    create = Organisation.objects.create

    def create_once_both_have_checked(**fields):
        both_checked.wait()  # neither has written yet: both found the address and the company free
        return create(**fields)

    monkeypatch.setattr(Organisation.objects, "create", create_once_both_have_checked)
    answers = []

    def register() -> None:
        try:
            answers.append(Client(raise_request_exception=False).post(reverse("accounts:register"), registration()))
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=register) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert [answer.status_code for answer in answers] == [200, 200]
    for answer in answers:
        assert "accounts/register_done.html" in [template.name for template in answer.templates]
    assert User.objects.count() == Organisation.objects.count() == 1
