import pytest

from tests.accounts.factories import BuyerFactory
from tests.booking.factories import CreditFactory
from tests.coaching.factories import CoachFactory, ServiceFactory

# The fake Stripe server and the offline checkout, for the tests of buying and refunding reviews.
from tests.payments.conftest import _fake_stripe_server, fake_stripe, offline  # noqa: F401


@pytest.fixture
def review_service(db):
    return ServiceFactory(
        review=True, slug="letter-review", name="Personal letter review", turnaround_days=5
    )


@pytest.fixture
def applicant(db):
    return BuyerFactory(email="amal@example.com", display_name="Amal", time_zone="Asia/Kolkata")


@pytest.fixture
def credit(applicant, review_service):
    return CreditFactory(applicant=applicant, service=review_service, quantity=1)


@pytest.fixture
def reviewer(review_service):
    return CoachFactory(slug="priya", display_name="Dr. Priya Raman", services=[review_service])


@pytest.fixture
def mails(mailoutbox, django_capture_on_commit_callbacks):
    return mailoutbox
