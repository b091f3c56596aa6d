"""Factories for scheduling: coaches' schedules (rules, weekly hours, overrides, time off),
credits and bookings, with a trait per status.

The catalogue's and people's factories live in tests/coaching and tests/accounts; the names
this module used to define are re-exported below so older imports keep working.
"""

from datetime import UTC, datetime, time, timedelta

import factory
from django.utils import timezone

from booking.meetings import new_room_name
from booking.models import (
    Booking,
    BookingStatus,
    CoachSchedule,
    Credit,
    DateOverride,
    TimeOff,
    WeeklyHours,
)
from tests.accounts.factories import UserFactory
from tests.coaching.factories import CoachFactory, ServiceFactory

__all__ = [
    "EVERY_DAY_9_TO_5",
    "WEEKDAYS_9_TO_5",
    "BookingFactory",
    "CoachFactory",  # re-export: tests.coaching.factories
    "CoachScheduleFactory",
    "CreditFactory",
    "DateOverrideFactory",
    "ServiceFactory",  # re-export: tests.coaching.factories
    "TimeOffFactory",
    "UserFactory",  # re-export: tests.accounts.factories
    "WeeklyHoursFactory",
    "add_override",
    "add_time_off",
    "utc",
]

WEEKDAYS_9_TO_5 = [(day, "09:00", "17:00") for day in range(5)]
EVERY_DAY_9_TO_5 = [(day, "09:00", "17:00") for day in range(7)]


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


class CoachScheduleFactory(factory.django.DjangoModelFactory):
    """A coach's rules, the model's defaults unless given (`CoachFactory` makes one already)."""

    class Meta:
        model = CoachSchedule

    coach = factory.SubFactory(CoachFactory, rules=False)


class WeeklyHoursFactory(factory.django.DjangoModelFactory):
    """Mondays 09:00–17:00 in the coach's zone."""

    class Meta:
        model = WeeklyHours

    coach = factory.SubFactory(CoachFactory)
    weekday = 0
    start_time = time(9)
    end_time = time(17)


class DateOverrideFactory(factory.django.DjangoModelFactory):
    """Other hours on one date; a day off unless `start_time` and `end_time` are given."""

    class Meta:
        model = DateOverride

    coach = factory.SubFactory(CoachFactory)
    date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=7))
    start_time = None
    end_time = None


class TimeOffFactory(factory.django.DjangoModelFactory):
    """A day away starting a week from now (UTC interval)."""

    class Meta:
        model = TimeOff

    coach = factory.SubFactory(CoachFactory)
    start = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    end = factory.LazyAttribute(lambda o: o.start + timedelta(days=1))
    reason = "Conference"


def add_override(coach, day, start=None, end=None):
    """Hours from `start` to `end` ("HH:MM") on `day`, or the day off without them."""
    return DateOverrideFactory(
        coach=coach,
        date=day,
        start_time=time.fromisoformat(start) if start else None,
        end_time=time.fromisoformat(end) if end else None,
    )


def add_time_off(coach, start, end, reason="Conference"):
    return TimeOffFactory(coach=coach, start=start, end=end, reason=reason)


class CreditFactory(factory.django.DjangoModelFactory):
    """Two sessions of a new service for a new applicant, valid a year.

    Traits: `expired`, `frozen` (a refund is pending), `revoked`, `used_up`.
    """

    class Meta:
        model = Credit

    applicant = factory.SubFactory(UserFactory)
    service = factory.SubFactory(ServiceFactory)
    quantity = 2
    remaining = factory.LazyAttribute(lambda o: o.quantity)
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=365))
    source = factory.Sequence(lambda n: f"test:{n}")

    class Params:
        expired = factory.Trait(
            expires_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
        )
        frozen = factory.Trait(frozen_at=factory.LazyFunction(timezone.now))
        revoked = factory.Trait(
            revoked_at=factory.LazyFunction(timezone.now), revoked_reason="Order refunded"
        )
        used_up = factory.Trait(remaining=0)


class BookingFactory(factory.django.DjangoModelFactory):
    """A confirmed booking three days ahead, written directly (no slot checks): for arranging
    state in tests. One trait per status: `held`, `confirmed`, `completed`, `no_show`,
    `cancelled`, `expired`."""

    class Meta:
        model = Booking

    applicant = factory.SubFactory(UserFactory)
    service = factory.SubFactory(ServiceFactory)
    coach = factory.SubFactory(CoachFactory)
    start = factory.LazyFunction(
        lambda: (timezone.now() + timedelta(days=3)).replace(minute=0, second=0, microsecond=0)
    )
    end = factory.LazyAttribute(lambda o: o.start + timedelta(minutes=o.service.duration_minutes))
    blocked_start = factory.LazyAttribute(lambda o: o.start)
    blocked_end = factory.LazyAttribute(lambda o: o.end + timedelta(minutes=15))
    status = BookingStatus.CONFIRMED
    # Confirmed sessions have their own room (as booking services give them); holds have none.
    meeting_room = factory.LazyAttribute(
        lambda o: "" if o.status in (BookingStatus.HELD, BookingStatus.EXPIRED) else new_room_name()
    )

    class Params:
        held = factory.Trait(
            status=BookingStatus.HELD,
            hold_expires_at=factory.LazyFunction(lambda: timezone.now() + timedelta(minutes=30)),
        )
        confirmed = factory.Trait(status=BookingStatus.CONFIRMED)
        completed = factory.Trait(status=BookingStatus.COMPLETED)
        no_show = factory.Trait(status=BookingStatus.NO_SHOW)
        cancelled = factory.Trait(status=BookingStatus.CANCELLED)
        expired = factory.Trait(
            status=BookingStatus.EXPIRED,
            hold_expires_at=factory.LazyFunction(lambda: timezone.now() - timedelta(minutes=1)),
        )
