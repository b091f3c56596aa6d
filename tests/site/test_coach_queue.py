"""The one claim view of the reviewer queue (site/coach_queue.py): every kind of work at
/coach/reviews/<kind>/<public id>/claim/, every refusal a message or a 4xx, never a 500."""

import pytest

from practice.models import AttemptStatus
from reviews.models import ReviewStatus
from tests.coaching.factories import CoachFactory, ServiceFactory
from tests.practice.factories import submitted
from tests.reviews.factories import ReviewFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def work(client):
    attempt = submitted()
    review = ReviewFactory(service=ServiceFactory(review=True))
    coach = CoachFactory(services=[review.service, attempt.practice_set.service])
    client.force_login(coach.user)
    return coach, review, attempt


def test_one_view_claims_each_kind_and_sends_the_coach_to_the_work(client, work):
    coach, review, attempt = work
    waiting = client.get("/coach/reviews/").context["waiting"]
    assert {item.claim_url for item in waiting} == {
        f"/coach/reviews/review/{review.public_id}/claim/",
        f"/coach/reviews/practice/{attempt.public_id}/claim/",
    }
    response = client.post(f"/coach/reviews/review/{review.public_id}/claim/")
    assert response["Location"] == review.get_absolute_url()
    response = client.post(f"/coach/reviews/practice/{attempt.public_id}/claim/")
    assert response["Location"] == attempt.get_coach_url()
    review.refresh_from_db()
    attempt.refresh_from_db()
    assert review.status == ReviewStatus.ASSIGNED and review.reviewer == coach
    assert attempt.status == AttemptStatus.CLAIMED and attempt.claimed_by == coach
    mine = client.get("/coach/reviews/").context["mine"]
    assert {item.kind for item in mine} == {"review", "practice"}


def test_an_unknown_kind_or_an_id_of_another_kind_is_404_and_get_is_405(client, work):
    _, review, attempt = work
    assert client.post(f"/coach/reviews/webinar/{review.public_id}/claim/").status_code == 404
    assert client.post(f"/coach/reviews/practice/{review.public_id}/claim/").status_code == 404
    assert client.post(f"/coach/reviews/review/{attempt.public_id}/claim/").status_code == 404
    assert client.get(f"/coach/reviews/review/{review.public_id}/claim/").status_code == 405


def test_at_the_limit_either_kind_is_refused_with_the_one_message(client, work):
    coach, review, attempt = work
    coach.max_open_items = 1
    coach.save()
    client.post(f"/coach/reviews/review/{review.public_id}/claim/")
    response = client.post(f"/coach/reviews/practice/{attempt.public_id}/claim/", follow=True)
    assert response.status_code == 200
    assert "You have 1 open item, your limit." in response.content.decode()
    attempt.refresh_from_db()
    assert attempt.claimed_by is None
