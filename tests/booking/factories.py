"""Factories for scheduling tests: people, a live service, coaches with hours, credits, bookings."""

from datetime import UTC, datetime, time, timedelta

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from booking.models import (
    Booking,
    BookingStatus,
    CoachSchedule,
    Credit,
    DateOverride,
    TimeOff,
    WeeklyHours,
)
from coaching.models import Coach, Service, ServiceKind


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    display_name = factory.Sequence(lambda n: f"Person {n}")
    time_zone = "Asia/Kolkata"
    password = factory.django.Password("pw-for-tests-1")

    class Params:
        staff = factory.Trait(is_staff=True)


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Strategy session {n}")
    slug = factory.Sequence(lambda n: f"strategy-{n}")
    kind = ServiceKind.LIVE
    duration_minutes = 60
    short_description = "A coaching session."
    cancellation_notice_hours = 24
    single_price_cents = 15500

    class Params:
        review = factory.Trait(
            kind=ServiceKind.REVIEW,
            duration_minutes=None,
            turnaround_days=5,
            single_price_cents=None,
        )


class CoachFactory(factory.django.DjangoModelFactory):
    """A coach with default rules; pass `hours=[(weekday, "09:00", "17:00"), ...]` for hours."""

    class Meta:
        model = Coach
        django_get_or_create = ("slug",)
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory, time_zone="America/Toronto")
    display_name = factory.Sequence(lambda n: f"Dr. Coach {n}")
    slug = factory.Sequence(lambda n: f"coach-{n}")
    time_zone = "America/Toronto"
    meeting_url = factory.LazyAttribute(lambda o: f"https://meet.example/{o.slug}")

    @factory.post_generation
    def services(self, create, extracted, **kwargs):
        if create and extracted:
            self.services.add(*extracted)
            self.save()  # ParentalManyToManyField writes its relations on save

    @factory.post_generation
    def hours(self, create, extracted, **kwargs):
        if create and extracted:
            for weekday, start, end in extracted:
                WeeklyHours.objects.create(
                    coach=self,
                    weekday=weekday,
                    start_time=time.fromisoformat(start),
                    end_time=time.fromisoformat(end),
                )

    @factory.post_generation
    def rules(self, create, extracted, **kwargs):
        if create:
            CoachSchedule.objects.update_or_create(coach=self, defaults=extracted or {})


WEEKDAYS_9_TO_5 = [(day, "09:00", "17:00") for day in range(5)]
EVERY_DAY_9_TO_5 = [(day, "09:00", "17:00") for day in range(7)]


def add_override(coach, day, start=None, end=None):
    return DateOverride.objects.create(
        coach=coach,
        date=day,
        start_time=time.fromisoformat(start) if start else None,
        end_time=time.fromisoformat(end) if end else None,
    )


def add_time_off(coach, start, end, reason="Conference"):
    return TimeOff.objects.create(coach=coach, start=start, end=end, reason=reason)


class CreditFactory(factory.django.DjangoModelFactory):
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
        used_up = factory.Trait(remaining=0)


class BookingFactory(factory.django.DjangoModelFactory):
    """A booking written directly (no slot checks): for arranging state in tests."""

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

    class Params:
        held = factory.Trait(
            status=BookingStatus.HELD,
            hold_expires_at=factory.LazyFunction(lambda: timezone.now() + timedelta(minutes=30)),
        )
        confirmed = factory.Trait(status=BookingStatus.CONFIRMED)
        cancelled = factory.Trait(status=BookingStatus.CANCELLED)
        completed = factory.Trait(status=BookingStatus.COMPLETED)


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)
