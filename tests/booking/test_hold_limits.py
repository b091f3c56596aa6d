"""One person may hold only a few unpaid times: in all, with one coach, on one day."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.db import connection

from booking import services
from booking.errors import HoldLimitReached
from booking.models import Booking, BookingStatus
from tests.booking.factories import EVERY_DAY_9_TO_5, utc
from tests.coaching.factories import CoachFactory

# 15:00 UTC is 10:00 in Toronto (the coaches' zone) and 20:30 in Kolkata (the applicant's).
DAY_ONE, DAY_TWO, DAY_THREE = utc(2027, 3, 3, 15), utc(2027, 3, 4, 15), utc(2027, 3, 5, 15)


def hold(applicant, coach, service, start, now):
    return services.booking_hold(
        applicant=applicant,
        coach=coach,
        service=service,
        start=start,
        hold_until=now + timedelta(minutes=30),
    )


@pytest.fixture
def coaches(db, service):
    return [
        CoachFactory(slug=f"coach-{n}", services=[service], hours=EVERY_DAY_9_TO_5)
        for n in range(3)
    ]


@pytest.mark.django_db
def test_two_holds_with_one_coach_at_most(applicant, service, coaches, now):
    first = coaches[0]
    hold(applicant, first, service, DAY_ONE, now)
    hold(applicant, first, service, DAY_TWO, now)
    with pytest.raises(HoldLimitReached, match="with this coach"):
        hold(applicant, first, service, DAY_THREE, now)
    hold(applicant, coaches[1], service, DAY_THREE, now)


@pytest.mark.django_db
def test_two_holds_on_one_day_at_most(applicant, service, coaches, now):
    hold(applicant, coaches[0], service, DAY_ONE, now)
    hold(applicant, coaches[1], service, DAY_ONE + timedelta(hours=1), now)
    with pytest.raises(HoldLimitReached, match="on that day"):  # still 3 March in Kolkata
        hold(applicant, coaches[2], service, DAY_ONE + timedelta(hours=2), now)


@pytest.mark.django_db
def test_three_holds_in_all_and_a_lapsed_one_does_not_count(
    applicant, service, coaches, now, time_machine
):
    for coach, start in zip(coaches, (DAY_ONE, DAY_TWO, DAY_THREE), strict=True):
        hold(applicant, coach, service, start, now)
    with pytest.raises(HoldLimitReached, match="3 sessions"):
        hold(applicant, coaches[0], service, DAY_THREE + timedelta(days=1), now)

    time_machine.move_to(now + timedelta(minutes=31), tick=False)
    later = now + timedelta(minutes=31)
    hold(applicant, coaches[0], service, DAY_THREE + timedelta(days=1), later)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_thirty_concurrent_holds_from_one_account_stop_at_the_limits(
    applicant, service, coaches, now
):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (real row locks)")
    attempts = 30
    barrier = threading.Barrier(attempts)
    # Thirty different free times: three coaches, ten days, each an hour apart per day.
    starts = [
        (coaches[n % 3], DAY_ONE + timedelta(days=n // 3, hours=n % 3)) for n in range(attempts)
    ]

    def attempt(index):
        coach, start = starts[index]
        try:
            barrier.wait(timeout=10)
            hold(applicant, coach, service, start, now)
            return "held"
        except HoldLimitReached:
            return "refused"
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=attempts) as pool:
        results = list(pool.map(attempt, range(attempts)))

    held = Booking.objects.filter(applicant=applicant, status=BookingStatus.HELD)
    assert results.count("held") == held.count() <= services.MAX_HOLDS
    assert held.count() >= 1
    by_coach = {}
    for booking in held:
        by_coach[booking.coach_id] = by_coach.get(booking.coach_id, 0) + 1
    assert max(by_coach.values()) <= services.MAX_HOLDS_WITH_ONE_COACH
