"""Reads that pages share: the applicant dashboard, the coach area and feed, payments."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import QuerySet, Sum
from django.utils import timezone

from booking.models import Booking, BookingStatus, CoachSchedule, Credit
from coaching.models import Coach, Service

# Feed tokens are `core.ids.new_secret_token()`: URL-safe base64 (no NUL, no slash).
FEED_TOKEN = re.compile(r"[A-Za-z0-9_-]{20,64}")


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


# --- coaches ------------------------------------------------------------------------------


def service_with_coaches(
    slug: str, *, coach_slug: str | None = None
) -> tuple[Service, list[Coach]] | None:
    """An active service and its active coaches (only the one with `coach_slug` when given),
    each with their schedule, in one query over the table that links coaches to services.
    None when there is no such link: no such active service, or no such active coach of it.
    The coaches in `Coach.Meta.ordering`'s order, ties by slug."""
    links = Coach.services.through.objects.filter(
        service__slug=slug, service__active=True, coach__active=True
    )
    if coach_slug is not None:
        links = links.filter(coach__slug=coach_slug)
    links = list(links.select_related("service", "coach__schedule"))
    if not links:
        return None
    coaches = [link.coach for link in links]
    coaches.sort(key=lambda coach: (coach.sort_order, coach.display_name, coach.slug))
    return links[0].service, coaches


COACH_PAST_SHOWN = 30
FEED_DAYS_BACK = 90


@dataclass(frozen=True)
class CoachSessions:
    """A coach's sessions as the coach dashboard lists them."""

    upcoming: QuerySet[Booking]  # confirmed or held, not started yet, soonest first
    to_record: QuerySet[Booking]  # started but not yet marked completed or no-show
    past: QuerySet[Booking]  # completed, no-show and cancelled, latest first


def coach_sessions(coach, *, now=None) -> CoachSessions:
    """The coach's sessions in three lists for their home page: upcoming (confirmed or held, soonest
    first), started but not yet marked (newest first), and the last COACH_PAST_SHOWN ended ones;
    each row with its applicant and service."""
    now = now or timezone.now()
    base = Booking.objects.filter(coach=coach).select_related("applicant", "service")
    return CoachSessions(
        upcoming=base.filter(
            status__in=[BookingStatus.CONFIRMED, BookingStatus.HELD], start__gt=now
        ).order_by("start"),
        to_record=base.filter(status=BookingStatus.CONFIRMED, start__lte=now).order_by("-start"),
        past=base.filter(
            status__in=[BookingStatus.COMPLETED, BookingStatus.NO_SHOW, BookingStatus.CANCELLED]
        ).order_by("-start")[:COACH_PAST_SHOWN],
    )


def coach_feed_bookings(coach, *, now=None) -> QuerySet[Booking]:
    """What the coach's calendar feed carries: confirmed and completed sessions from 90 days
    back."""
    return (
        Booking.objects.filter(
            coach=coach,
            status__in=[BookingStatus.CONFIRMED, BookingStatus.COMPLETED],
            start__gte=(now or timezone.now()) - timedelta(days=FEED_DAYS_BACK),
        )
        .select_related("service", "applicant", "coach__user")
        .order_by("start")
    )


def coach_for_feed_token(token: str) -> Coach | None:
    """The coach whose calendar feed this secret opens (None for an unknown or malformed one)."""
    if not FEED_TOKEN.fullmatch(token or ""):
        return None
    schedule = (
        CoachSchedule.objects.select_related("coach__user").filter(calendar_token=token).first()
    )
    return schedule.coach if schedule else None
