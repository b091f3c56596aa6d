"""Reads other parts of the site share (the applicant dashboard, payments)."""

from __future__ import annotations

from django.db.models import QuerySet, Sum
from django.utils import timezone

from booking.models import Booking, BookingStatus, Credit


def credits_for(applicant, *, now=None) -> QuerySet[Credit]:
    """The applicant's usable credits, soonest-expiring first, with their service."""
    return (
        Credit.objects.usable(now or timezone.now())
        .filter(applicant=applicant)
        .select_related("service")
        .order_by("expires_at", "id")
    )


def credits_left_by_service(applicant, *, now=None) -> dict[int, int]:
    """{service id: sessions left} over all the applicant's usable credits."""
    rows = (
        credits_for(applicant, now=now)
        .order_by()
        .values("service_id")
        .annotate(left=Sum("remaining"))
    )
    return {row["service_id"]: row["left"] for row in rows}


def upcoming_bookings_for(applicant, *, now=None) -> QuerySet[Booking]:
    """Confirmed sessions that have not ended yet, soonest first (with what `booking_policy`
    reads: service and credit)."""
    return (
        Booking.objects.filter(
            applicant=applicant, status=BookingStatus.CONFIRMED, end__gte=now or timezone.now()
        )
        .select_related("service", "coach", "credit")
        .order_by("start")
    )


def past_bookings_for(applicant, *, now=None) -> QuerySet[Booking]:
    """Finished, missed and cancelled sessions, latest first."""
    now = now or timezone.now()
    return (
        Booking.objects.filter(applicant=applicant)
        .exclude(status__in=[BookingStatus.HELD, BookingStatus.EXPIRED])
        .exclude(status=BookingStatus.CONFIRMED, end__gte=now)
        .select_related("service", "coach")
        .order_by("-start")
    )
