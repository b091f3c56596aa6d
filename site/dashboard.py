"""The applicant dashboard: one view, one place that builds everything it shows.

Each section is a template include under `templates/dashboard/` fed by one key of the context
built in `dashboard_context`. A section whose list is empty renders its empty state with the
next step to take. The data comes from the owning apps' selectors (booking: credits and
sessions; payments: orders), in a fixed number of queries however much there is.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from booking import selectors as booking_selectors
from booking.models import Booking
from booking.policy import BookingPolicy, booking_policy
from coaching.models import Coach, Service
from medpath.membership import membership_rows
from payments import selectors as payments_selectors
from webinars.selectors import member_upcoming_webinars

PAST_SESSIONS_SHOWN = 10
ORDERS_SHOWN = 10


def greeting_for(hour: int) -> str:
    """A greeting for the hour in the person's zone; in the small hours a plain hello."""
    if hour < 5:
        return "Hello"
    if hour < 12:
        return "Good morning"
    if hour < 18:
        return "Good afternoon"
    return "Good evening"


@dataclass
class ServiceCredits:
    """What the applicant can still book of one service, over all their usable credits."""

    service: Service
    remaining: int = 0
    next_expiry: datetime | None = None
    sources: list[str] = field(default_factory=list)

    @property
    def expires_soon(self) -> bool:
        return self.next_expiry is not None and self.next_expiry - timezone.now() < timedelta(
            days=30
        )


@dataclass
class UpcomingSession:
    """A confirmed session with what the applicant may still do about it (booking's policy)."""

    booking: Booking
    policy: BookingPolicy


def credits_by_service(credits) -> list[ServiceCredits]:
    """Usable credits folded into one row per service, soonest-expiring service first."""
    rows: dict[int, ServiceCredits] = {}
    for credit in credits:
        row = rows.setdefault(credit.service_id, ServiceCredits(service=credit.service))
        row.remaining += credit.remaining
        if row.next_expiry is None or credit.expires_at < row.next_expiry:
            row.next_expiry = credit.expires_at
        if credit.source_label and credit.source_label not in row.sources:
            row.sources.append(credit.source_label)
    return list(rows.values())


def upcoming_sessions(bookings, *, now: datetime) -> list[UpcomingSession]:
    return [
        UpcomingSession(booking=booking, policy=booking_policy(booking, now=now))
        for booking in bookings
    ]


def dashboard_context(*, user) -> dict:
    """Everything `/dashboard/` shows for `user`, in the user's active time zone."""
    now = timezone.now()
    local_now = timezone.localtime(now)  # the middleware has activated the user's zone
    credits = credits_by_service(booking_selectors.credits_for(user, now=now))
    upcoming = upcoming_sessions(booking_selectors.upcoming_bookings_for(user, now=now), now=now)
    past = list(booking_selectors.past_bookings_for(user, now=now)[:PAST_SESSIONS_SHOWN])
    orders = list(payments_selectors.orders_for(user, include_expired=False)[:ORDERS_SHOWN])
    return {
        "greeting": greeting_for(local_now.hour),
        "display_name": user.get_short_name(),
        "time_zone": user.time_zone,
        "now": local_now,
        "credits": credits,
        "upcoming_sessions": upcoming,
        "past_sessions": past,
        "orders": orders,
        "membership": membership_rows(user),
        "webinars": member_upcoming_webinars(user, now=now),
        "is_coach": Coach.objects.filter(user=user).exists(),
        # A buyer with credits and nothing booked yet: the one thing to do next.
        "next_step": None
        if upcoming
        else next((row for row in credits if row.service.is_bookable), None),
    }


@login_required
def dashboard(request):
    return render(request, "dashboard/index.html", dashboard_context(user=request.user))
