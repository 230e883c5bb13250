"""Fixtures of the programme tests: a fixed Japanese date, a claimed startup with its member, and a funnel
built through the real proposal pipeline records."""

import datetime

import pytest

from accounts.enums import OrganisationKind, RoleCode
from programs import clock
from tests.factories import OrganisationFactory, StartupFactory, UserFactory
from tests.programs.builders import FunnelBuilder

TODAY = datetime.date(2024, 10, 1)  # the seed document's month: Deep-Tech calls about four times a year


@pytest.fixture
def today(monkeypatch):
    """Japan's date for the catalogue's "open now" and deadlines (the clock is the one thing tests set)."""
    monkeypatch.setattr(clock, "today", lambda: TODAY)
    return TODAY


@pytest.fixture
def member_and_startup(db):
    """A startup member and the company their organisation claimed: seed stage, SME, VC investment unknown."""
    organisation = OrganisationFactory(kind=OrganisationKind.STARTUP)
    startup = StartupFactory(organisation=organisation, stage="seed", trl=4, founded_year=2021, is_sme=True)
    member = UserFactory(organisation=organisation, roles=[RoleCode.STARTUP_MEMBER])
    return member, startup


@pytest.fixture
def funnel_builder(db):
    return FunnelBuilder()
