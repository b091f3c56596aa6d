import pytest

from tests.accounts.factories import UserFactory
from tests.booking.factories import EVERY_DAY_9_TO_5, utc
from tests.coaching.factories import CoachFactory, ServiceFactory

# A Monday in 2027, well before Toronto's DST change (14 March) and London's (28 March).
NOW = utc(2027, 3, 1, 12, 0)


@pytest.fixture
def now(time_machine):
    time_machine.move_to(NOW, tick=False)
    return NOW


@pytest.fixture
def service(db):
    return ServiceFactory(slug="strategy", name="Strategy session", duration_minutes=60)


@pytest.fixture
def coach(db, service):
    # Every day 09:00–17:00 Toronto, default rules (step 30, buffers 0/15, notice 24 h, 60 days).
    return CoachFactory(slug="priya", services=[service], hours=EVERY_DAY_9_TO_5)


@pytest.fixture
def applicant(db):
    return UserFactory(email="amal@example.com", display_name="Amal", time_zone="Asia/Kolkata")


@pytest.fixture
def mails(mailoutbox, django_capture_on_commit_callbacks):
    """Run on-commit callbacks (emails are queued after commit) and return the outbox."""
    return mailoutbox
