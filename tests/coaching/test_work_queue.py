"""The one claim rule of the coach's work queue (`coaching.work_queue.claim_guard`): an active
coach, their service, not their own work, one limit of open items counted across every kind
the apps registered; and both claim services (reviews, practice) keep to it."""

from dataclasses import dataclass
from datetime import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured

from coaching import work_queue
from coaching.work_queue import ClaimRefused, QueueFull, claim_guard, open_total_for
from medpath.coach_queue import KINDS
from practice import selectors as practice_selectors
from practice import services as practice_services
from reviews import selectors as review_selectors
from reviews import services as review_services
from reviews.models import ReviewStatus
from tests.coaching.factories import CoachFactory, ServiceFactory
from tests.practice.factories import PracticeSetFactory, submitted
from tests.reviews.factories import ReviewFactory

pytestmark = pytest.mark.django_db


@dataclass
class Item:
    """A `WorkItem` of the test kind "fake"."""

    work_service_id: int
    work_owner_id: int
    claimed_by_id: int | None = None
    work_kind: str = "fake"
    public_id: str = "F" * 22
    work_owner: object = "Someone"
    work_title: str = "Fake work"
    work_due_at: datetime | None = None
    refreshed: int = 0

    def is_claimed_by(self, coach) -> bool:
        return self.claimed_by_id == coach.pk

    def refresh_from_db(self) -> None:
        self.refreshed += 1

    def get_status_display(self) -> str:
        return "Waiting"

    def get_work_url(self) -> str:
        return "/fake/"


@pytest.fixture
def open_counts(monkeypatch):
    """Only the test kinds are registered; set their open counts per kind."""
    counts = {"fake": 0, "other": 0}
    monkeypatch.setattr(
        work_queue,
        "_open_counters",
        {kind: (lambda coach, kind=kind: counts[kind]) for kind in counts},
    )
    return counts


@pytest.fixture
def service(db):
    return ServiceFactory(review=True)


def item_for(coach, service, **kwargs) -> Item:
    return Item(work_service_id=service.pk, work_owner_id=coach.user_id + 1000, **kwargs)


def test_the_apps_register_every_kind_the_queue_shows():
    assert work_queue.registered_kinds() == {"review", "practice"} == set(KINDS)


def test_a_coach_with_room_gets_their_row_back_locked_after_the_item_is_refreshed(
    open_counts, service
):
    coach = CoachFactory(services=[service], max_open_items=2)
    open_counts["fake"] = 1
    item = item_for(coach, service)
    assert claim_guard(coach=coach, item=item) == coach
    assert item.refreshed == 1


def test_the_limit_counts_every_kind_and_says_so_once(open_counts, service):
    coach = CoachFactory(services=[service], max_open_items=3)
    open_counts.update(fake=2, other=1)
    assert open_total_for(coach) == 3
    with pytest.raises(QueueFull) as full:
        claim_guard(coach=coach, item=item_for(coach, service))
    assert full.value.message == (
        "You have 3 open items, your limit. Return one before claiming another."
    )
    assert full.value.status == 409


@pytest.mark.parametrize("code", ["coach_inactive", "own_item", "not_your_service"])
def test_who_may_not_claim_is_refused_with_a_reason(open_counts, service, code):
    coach = CoachFactory(
        services=[] if code == "not_your_service" else [service], active=code != "coach_inactive"
    )
    item = item_for(coach, service)
    if code == "own_item":
        item.work_owner_id = coach.user_id
    with pytest.raises(ClaimRefused) as refused:
        claim_guard(coach=coach, item=item)
    assert refused.value.code == code and refused.value.status == 403
    assert refused.value.message


def test_an_item_the_coach_already_holds_passes_even_at_the_limit(open_counts, service):
    coach = CoachFactory(services=[service], max_open_items=1)
    open_counts["fake"] = 1
    assert claim_guard(coach=coach, item=item_for(coach, service, claimed_by_id=coach.pk))


def test_a_kind_no_app_registered_is_a_programming_error(open_counts, service):
    coach = CoachFactory(services=[service])
    with pytest.raises(ImproperlyConfigured):
        claim_guard(coach=coach, item=item_for(coach, service, work_kind="unknown"))


# --- both claim services keep to the rule ---------------------------------------------------


def test_open_reviews_and_attempts_share_one_limit():
    attempt = submitted()
    review_service = ServiceFactory(review=True)
    coach = CoachFactory(services=[attempt.practice_set.service, review_service], max_open_items=2)
    ReviewFactory(service=review_service, reviewer=coach, assigned=True)
    practice_services.attempt_claim(attempt=attempt, coach=coach)
    assert open_total_for(coach) == 2
    with pytest.raises(QueueFull):
        review_services.review_claim(review=ReviewFactory(service=review_service), coach=coach)
    with pytest.raises(QueueFull):
        practice_services.attempt_claim(
            attempt=submitted(practice_set=attempt.practice_set), coach=coach
        )


def test_no_coach_claims_work_they_sent_in_themselves():
    review_service = ServiceFactory(review=True)
    attempt = submitted()
    coach = CoachFactory(
        user=attempt.member, services=[review_service, attempt.practice_set.service]
    )
    review = ReviewFactory(service=review_service, applicant=coach.user)
    with pytest.raises(ClaimRefused, match="your own work"):
        review_services.review_claim(review=review, coach=coach)
    with pytest.raises(ClaimRefused, match="your own work"):
        practice_services.attempt_claim(attempt=attempt, coach=coach)
    review.refresh_from_db()
    assert review.status == ReviewStatus.SUBMITTED


def test_an_inactive_coach_claims_nothing_and_is_offered_nothing():
    review_service = ServiceFactory(review=True)
    practice_set = PracticeSetFactory()
    coach = CoachFactory(services=[review_service, practice_set.service], active=False)
    review, attempt = ReviewFactory(service=review_service), submitted(practice_set=practice_set)
    assert list(review_selectors.to_claim_for(coach)) == []
    assert list(practice_selectors.to_claim_for(coach)) == []
    with pytest.raises(ClaimRefused, match="inactive"):
        review_services.review_claim(review=review, coach=coach)
    with pytest.raises(ClaimRefused, match="inactive"):
        practice_services.attempt_claim(attempt=attempt, coach=coach)
