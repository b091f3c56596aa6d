from datetime import timedelta

import pytest

from booking import selectors
from tests.booking.factories import BookingFactory, CreditFactory, utc
from tests.coaching.factories import ServiceFactory

pytestmark = pytest.mark.django_db


def test_credits_left_sum_usable_credits_per_service(applicant, service, now):
    other = ServiceFactory()
    CreditFactory(applicant=applicant, service=service, quantity=2)
    CreditFactory(applicant=applicant, service=service, quantity=3, remaining=1)
    CreditFactory(applicant=applicant, service=other, expired=True)
    assert selectors.credits_left_by_service(applicant) == {service.pk: 3}


def test_upcoming_and_past_bookings_split_at_now(applicant, coach, service, now):
    soon = BookingFactory(
        applicant=applicant, coach=coach, service=service, start=utc(2027, 3, 3, 15)
    )
    done = BookingFactory(
        applicant=applicant,
        coach=coach,
        service=service,
        start=now - timedelta(days=2),
        completed=True,
    )
    BookingFactory(
        applicant=applicant, coach=coach, service=service, start=utc(2027, 3, 4, 15), held=True
    )
    assert list(selectors.upcoming_bookings_for(applicant)) == [soon]
    assert list(selectors.past_bookings_for(applicant)) == [done]
