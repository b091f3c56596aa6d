"""Races on PostgreSQL with real threads: two submissions for the last credit give one review;
two coaches claiming one review give one winner, and the other is told."""

import threading

import pytest
from django.db import connection

from booking.errors import CreditUnavailable
from booking.models import Credit
from reviews import services
from reviews.errors import ClaimLost
from reviews.models import Review, ReviewQuerySet, ReviewStatus
from tests.coaching.factories import CoachFactory
from tests.history import entries
from tests.payments.test_concurrency import run_together
from tests.reviews.factories import ReviewFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency tests need PostgreSQL (SQLite serialises every writer)")


def _attempt(action):
    def run():
        try:
            return action()
        except (CreditUnavailable, ClaimLost) as error:
            return error

    return run


def test_two_submissions_racing_for_the_last_credit_give_one_review(
    applicant, credit, review_service
):
    def submit():
        return services.review_submit(
            applicant=applicant, service=review_service, brief="", text="My ABS", files=[]
        )

    results = run_together(_attempt(submit), _attempt(submit), _attempt(submit))

    assert sum(isinstance(r, Review) for r in results) == 1
    assert sum(isinstance(r, CreditUnavailable) for r in results) == 2
    assert Review.objects.count() == 1
    assert Credit.objects.get().remaining == 0


def test_two_coaches_claiming_one_review_give_exactly_one_winner(review_service, monkeypatch):
    review = ReviewFactory(service=review_service)
    coaches = [CoachFactory(services=[review_service]) for _ in range(2)]
    # Both claims read the review as unassigned before either writes: the worst interleaving.
    both_read = threading.Barrier(2, timeout=10)
    open_for = ReviewQuerySet.open_for

    def open_for_after_both_read(self, coach):
        both_read.wait()
        return open_for(self, coach)

    monkeypatch.setattr(ReviewQuerySet, "open_for", open_for_after_both_read)

    results = run_together(
        *[
            _attempt(lambda coach=coach: services.review_claim(review=review, coach=coach))
            for coach in coaches
        ]
    )

    winners = [r for r in results if isinstance(r, Review)]
    assert len(winners) == 1
    assert sum(isinstance(r, ClaimLost) for r in results) == 1
    review.refresh_from_db()
    assert review.status == ReviewStatus.ASSIGNED and review.reviewer == winners[0].reviewer
    assert entries(review).filter(action="review.assigned").count() == 1


def test_one_coach_claiming_two_reviews_at_once_stays_within_the_limit(review_service):
    coach = CoachFactory(services=[review_service], max_open_items=1)
    reviews = [ReviewFactory(service=review_service) for _ in range(2)]

    def claim(review):
        def run():
            try:
                return services.review_claim(review=review, coach=coach)
            except Exception as error:  # QueueFull
                return error

        return run

    run_together(*[claim(review) for review in reviews])

    assert Review.objects.filter(reviewer=coach).count() == 1
