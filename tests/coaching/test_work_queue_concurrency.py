"""Races on PostgreSQL with real threads: one coach's claims in both apps at once never take
them past their one limit of open items (`coaching.work_queue.claim_guard` locks their row)."""

import pytest
from django.db import connection

from coaching.work_queue import QueueFull, open_total_for
from practice import services as practice_services
from practice.models import Attempt
from reviews import services as review_services
from reviews.models import Review
from tests.coaching.factories import CoachFactory, ServiceFactory
from tests.payments.test_concurrency import run_together
from tests.practice.factories import PracticeSetFactory, submitted
from tests.reviews.factories import ReviewFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency tests need PostgreSQL (SQLite serialises every writer)")


@pytest.fixture
def world():
    review_service = ServiceFactory(review=True)
    practice_set = PracticeSetFactory()
    coach = CoachFactory(services=[review_service, practice_set.service])
    return coach, review_service, practice_set


def _outcome(claim):
    def run():
        try:
            return claim()
        except QueueFull as error:
            return error

    return run


def _claim_review(review, coach):
    return _outcome(lambda: review_services.review_claim(review=review, coach=coach))


def _claim_attempt(attempt, coach):
    return _outcome(lambda: practice_services.attempt_claim(attempt=attempt, coach=coach))


def test_at_one_below_the_limit_a_review_and_an_attempt_claimed_at_once_give_one(world):
    coach, review_service, practice_set = world
    coach.max_open_items = 2
    coach.save()
    ReviewFactory(service=review_service, reviewer=coach, assigned=True)
    review = ReviewFactory(service=review_service)
    attempt = submitted(practice_set=practice_set)

    results = run_together(_claim_review(review, coach), _claim_attempt(attempt, coach))

    assert sum(isinstance(r, (Review, Attempt)) for r in results) == 1
    assert sum(isinstance(r, QueueFull) for r in results) == 1
    assert open_total_for(coach) == 2


def test_twenty_claims_at_once_across_both_apps_never_exceed_the_limit(world):
    coach, review_service, practice_set = world
    coach.max_open_items = 5
    coach.save()
    reviews = [ReviewFactory(service=review_service) for _ in range(10)]
    attempts = [submitted(practice_set=practice_set) for _ in range(10)]

    results = run_together(
        *[_claim_review(review, coach) for review in reviews],
        *[_claim_attempt(attempt, coach) for attempt in attempts],
    )

    assert sum(isinstance(r, (Review, Attempt)) for r in results) == 5
    assert sum(isinstance(r, QueueFull) for r in results) == 15
    assert open_total_for(coach) == 5
