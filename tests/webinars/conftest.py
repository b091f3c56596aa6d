"""Fixtures for the webinar tests: a Toronto host, a webinar on 17 March 2027 at 19:00 Toronto
(between the North American and European clock changes), members with and without the perk."""

from datetime import UTC, datetime, timedelta

import pytest

from tests.accounts.factories import BuyerFactory, UserFactory
from tests.coaching.factories import CoachFactory
from tests.members.factories import EntitlementFactory
from tests.payments.conftest import (  # noqa: F401  (a refund through the offline checkout)
    _fake_stripe_server,
    fake_stripe,
    offline,
)
from tests.webinars.factories import WebinarFactory

# Wednesday 17 March 2027, 19:00 in Toronto (EDT since 14 March) = 23:00 UTC; London, Sydney
# and the rest of Europe change their clocks later (28 March, 4 April).
START = datetime(2027, 3, 17, 23, 0, tzinfo=UTC)
NOW = START - timedelta(days=3)


@pytest.fixture
def now(time_machine):
    time_machine.move_to(NOW, tick=False)
    return NOW


@pytest.fixture
def host(db):
    return CoachFactory(slug="priya", display_name="Dr. Priya Raman", time_zone="America/Toronto")


@pytest.fixture
def webinar(host, now):
    return WebinarFactory(
        host=host, title="Your CaRMS interview season", start=START, end=START + timedelta(hours=1)
    )


def perk_member(**kwargs):
    """A verified member holding the webinars perk (from an order line)."""
    member = BuyerFactory(**kwargs)
    EntitlementFactory(member=member)
    return member


@pytest.fixture
def member(db, now):
    return perk_member(email="mina@example.com", display_name="Mina", time_zone="Asia/Kolkata")


@pytest.fixture
def stranger(db):
    """Verified, no perks."""
    return BuyerFactory(email="sam@example.com", display_name="Sam")


@pytest.fixture
def unverified(db):
    return UserFactory(email="una@example.com")


@pytest.fixture
def staff(db):
    return BuyerFactory(email="boss@example.com", is_staff=True, is_superuser=True)


def queries_stay_constant(client, path: str, *, grow, times: int) -> str:
    """Warm `path`, count its queries after one `grow()`, grow `times` more and count again:
    the two counts must match. Returns the last page's HTML."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    grow()
    client.get(path)  # warm the session, menu and footer caches
    with CaptureQueriesContext(connection) as one:
        assert client.get(path).status_code == 200
    for _ in range(times):
        grow()
    with CaptureQueriesContext(connection) as more:
        html = client.get(path).content.decode()
    assert len(more) == len(one)
    return html
