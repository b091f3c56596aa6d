"""Invariant 1: a coach never has two overlapping active bookings, even under concurrency.

These run against PostgreSQL (real threads, real connections); SQLite serialises every write
transaction (IMMEDIATE), so there the guarantee is the check inside that transaction.
"""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction

from booking import services
from booking.errors import SlotUnavailable
from booking.models import Booking, BookingStatus, Credit
from tests.accounts.factories import UserFactory
from tests.booking.factories import BookingFactory, CreditFactory, utc

ATTEMPTS = 20
TEN = utc(2027, 3, 3, 15, 0)  # 10:00 Toronto
TEN_THIRTY = TEN + timedelta(minutes=30)  # overlaps 10:00–11:00 (+15 min buffer)

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL (real row locks and constraints)"
)


@postgres_only
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_attempts_yield_exactly_one_booking(coach, service, now):
    applicants = [UserFactory() for _ in range(ATTEMPTS)]
    for person in applicants:
        CreditFactory(applicant=person, service=service, quantity=1)
    barrier = threading.Barrier(ATTEMPTS)

    def attempt(index):
        person = applicants[index]
        try:
            barrier.wait(timeout=10)
            if index % 3 == 2:  # some pay for a single session: a hold
                services.booking_hold(
                    applicant=person,
                    coach=coach,
                    service=service,
                    start=TEN_THIRTY if index % 2 else TEN,
                    hold_until=now + timedelta(minutes=30),
                )
            else:
                services.booking_book_with_credit(
                    applicant=person,
                    service=service,
                    coach=coach,
                    start=TEN_THIRTY if index % 2 else TEN,
                )
            return "booked"
        except SlotUnavailable as error:
            return error.code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=ATTEMPTS) as pool:
        results = list(pool.map(attempt, range(ATTEMPTS)))

    assert results.count("booked") == 1, results
    assert results.count("slot_taken") == ATTEMPTS - 1, results
    assert Booking.objects.active().count() == 1
    # Only the winner spent a credit (if they used one).
    spent = ATTEMPTS - sum(Credit.objects.values_list("remaining", flat=True))
    winner = Booking.objects.get()
    assert spent == (1 if winner.credit_id else 0)


@postgres_only
@pytest.mark.postgres
@pytest.mark.django_db
def test_the_database_itself_refuses_overlapping_active_bookings(coach, service, now):
    BookingFactory(coach=coach, service=service, start=TEN)
    with pytest.raises(IntegrityError, match="booking_no_overlap"), transaction.atomic():
        BookingFactory(coach=coach, service=service, start=TEN_THIRTY)
    # Cancelled and expired rows do not count, and other coaches are independent.
    BookingFactory(coach=coach, service=service, start=TEN_THIRTY, status=BookingStatus.CANCELLED)
    BookingFactory(service=service, start=TEN)


@postgres_only
@pytest.mark.postgres
@pytest.mark.django_db
def test_when_the_python_check_is_bypassed_the_constraint_still_says_slot_taken(
    coach, service, now, monkeypatch, applicant
):
    BookingFactory(coach=coach, service=service, start=TEN)
    CreditFactory(applicant=applicant, service=service)
    monkeypatch.setattr(services, "is_free_slot", lambda **kwargs: True)
    with pytest.raises(SlotUnavailable):
        services.booking_book_with_credit(
            applicant=applicant, service=service, coach=coach, start=TEN_THIRTY
        )
    assert Credit.objects.get(applicant=applicant).remaining == 2  # rolled back


@pytest.mark.django_db
def test_overlap_check_runs_inside_the_write_transaction(coach, service, now, applicant):
    """On every database: a second booking over the first (buffers included) is refused."""
    CreditFactory(applicant=applicant, service=service, quantity=3)
    services.booking_book_with_credit(applicant=applicant, service=service, coach=coach, start=TEN)
    with pytest.raises(SlotUnavailable):
        services.booking_book_with_credit(
            applicant=applicant, service=service, coach=coach, start=TEN_THIRTY
        )
    # 11:00 is blocked by the 15-minute buffer after; 11:30 is free.
    with pytest.raises(SlotUnavailable):
        services.booking_book_with_credit(
            applicant=applicant, service=service, coach=coach, start=TEN + timedelta(hours=1)
        )
    services.booking_book_with_credit(
        applicant=applicant, service=service, coach=coach, start=TEN + timedelta(minutes=90)
    )
