"""Reads that pages share: the applicant's reviews, one review page, the reviewer queue, the
staff turnaround report. Each loads what its page shows in a fixed number of queries."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Prefetch, QuerySet

from booking.selectors import credits_for
from coaching.models import Coach, ServiceKind
from core import workdays
from reviews.models import (
    Review,
    ReviewFile,
    ReviewRound,
    ReviewStatus,
)


def unclaimed_for_credit_sources(sources) -> QuerySet[Review]:
    """Reviews paid with credits from these sources that no reviewer has claimed yet: what a
    full refund withdraws (payments states it before staff confirm, then withdraws them)."""
    return Review.objects.filter(credit__source__in=list(sources), status=ReviewStatus.SUBMITTED)


def reviews_for_applicant(applicant) -> QuerySet[Review]:
    """Every review the applicant sent, newest first, with service and reviewer in the same
    query."""
    return (
        Review.objects.filter(applicant=applicant)
        .select_related("service", "reviewer")
        .order_by("-submitted_at", "-id")
    )


def review_credits_for(applicant, *, now=None) -> dict[int, int]:
    """{review service id: reviews left to send} over the applicant's usable credits."""
    left: dict[int, int] = {}
    for credit in credits_for(applicant, now=now).filter(service__kind=ServiceKind.REVIEW):
        left[credit.service_id] = left.get(credit.service_id, 0) + credit.remaining
    return left


def review_page(public_id: str) -> Review | None:
    """A review with everything its page shows: rounds with their files (the timeline is
    `core.history.timeline`)."""
    files = ReviewFile.objects.select_related("uploaded_by").order_by("created_at", "id")
    rounds = ReviewRound.objects.select_related("returned_by").prefetch_related(
        Prefetch("files", queryset=files)
    )
    return (
        Review.objects.select_related("service", "applicant", "reviewer__user", "credit")
        .prefetch_related(Prefetch("rounds", queryset=rounds))
        .filter(public_id=public_id)
        .first()
    )


# --- the reviewer queue -------------------------------------------------------------------


def to_claim_for(coach: Coach) -> QuerySet[Review]:
    """Reviews the coach may claim, soonest due first: nobody has claimed them, the coach reviews
    their service and did not send them in; none while the coach is inactive. The claim itself
    is checked again under a lock (`coaching.work_queue.claim_guard`)."""
    if not coach.active:
        return Review.objects.none()
    return (
        Review.objects.filter(status=ReviewStatus.SUBMITTED, service__coaches=coach)
        .exclude(applicant_id=coach.user_id)
        .select_related("service", "applicant")
        .order_by("due_at", "id")
    )


def open_for(coach: Coach) -> QuerySet[Review]:
    """The coach's own reviews that owe work (`OPEN_FOR_REVIEWER`), soonest due first."""
    return (
        Review.objects.open_for(coach)
        .select_related("service", "applicant")
        .order_by("due_at", "id")
    )


def open_count_for(coach: Coach) -> int:
    """How many reviews count against the coach's limit of open items: `open_for(coach)`'s."""
    return open_for(coach).count()


# --- staff report -------------------------------------------------------------------------


@dataclass(frozen=True)
class CoachTurnaround:
    coach: Coach
    returned: int
    on_time: int
    median_working_days: float | None

    @property
    def on_time_percent(self) -> int | None:
        return round(100 * self.on_time / self.returned) if self.returned else None


def turnaround_report(*, since: datetime | None = None, until: datetime | None = None):
    """Per coach: rounds returned (in the period), how many by their due time, and the median
    number of working days they took (`core.workdays.working_days_taken`)."""
    rounds = ReviewRound.objects.filter(returned_at__isnull=False, returned_by__isnull=False)
    if since is not None:
        rounds = rounds.filter(returned_at__gte=since)
    if until is not None:
        rounds = rounds.filter(returned_at__lt=until)
    by_coach: dict[int, list[tuple[bool, int]]] = {}
    for coach_id, created, due, returned in rounds.values_list(
        "returned_by_id", "created_at", "due_at", "returned_at"
    ):
        by_coach.setdefault(coach_id, []).append(
            (returned <= due, workdays.working_days_taken(created, returned))
        )
    coaches = Coach.objects.filter(pk__in=by_coach).order_by("display_name")
    return [
        CoachTurnaround(
            coach=coach,
            returned=len(by_coach[coach.pk]),
            on_time=sum(1 for on_time, _ in by_coach[coach.pk] if on_time),
            median_working_days=statistics.median(days for _, days in by_coach[coach.pk]),
        )
        for coach in coaches
    ]
