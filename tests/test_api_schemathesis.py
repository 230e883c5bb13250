"""Property-based API test: schemathesis generates requests for every operation of /api/schema/ (fixed seed,
few examples each) and sends them to the WSGI app with a curator's and a startup member's token. No answer may
be a server error, and every documented answer must match its schema."""

import itertools

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from accounts.enums import RoleCode
from config.wsgi import application
from tests.factories import StartupFactory

CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]
MAX_EXAMPLES = 5


@pytest.fixture
def api_tokens(db, user_with_role) -> dict:
    curator = user_with_role(RoleCode.CURATOR)
    member = user_with_role(RoleCode.STARTUP_MEMBER)
    StartupFactory(organisation=member.organisation, tech_fields=[])
    StartupFactory()
    return {
        "turns": [Token.objects.create(user=curator).key, Token.objects.create(user=member).key],
        "turn": itertools.count(),
    }


@pytest.fixture
def api_schema(api_tokens):
    # Like Django's test client: the end-of-request hook must not close the connection holding the test's
    # transaction (it would on PostgreSQL, where the transaction turns autocommit off).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi("/api/schema/", application)
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,  # a fixed seed: the same requests on every run, so a failure is reproducible
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_no_server_error_and_answers_match_the_schema(case, api_tokens):
    # The two callers take turns, example by example: both roles meet every operation at half the cost.
    token = api_tokens["turns"][next(api_tokens["turn"]) % 2]
    case.call_and_validate(headers={"Authorization": f"Token {token}"}, checks=CHECKS)
