"""The applicant rates each scenario 1–4 themselves once the attempt is submitted (awaiting a
coach, being scored or scored), never while it runs or after it was withdrawn; only the owner;
a refused rating changes nothing. The results page shows it beside the coach's score."""

import pytest

from practice import services
from practice.errors import AttemptStateError, PracticeError
from practice.models import Attempt, AttemptStatus
from tests.practice.factories import (
    MemberFactory,
    PracticeSetFactory,
    claimed,
    scored,
    start,
    submitted,
)

pytestmark = pytest.mark.django_db


def _two():
    return PracticeSetFactory(scenarios=2)


def _ratings(attempt):
    return [row.self_rating for row in attempt.scenarios.order_by("position")]


def _url(attempt):
    return f"/practice/attempts/{attempt.public_id}/self-rating/"


def _withdrawn():
    attempt = submitted(practice_set=_two())
    Attempt.objects.filter(pk=attempt.pk).update(status=AttemptStatus.WITHDRAWN)
    attempt.refresh_from_db()
    return attempt


@pytest.mark.parametrize(
    "make",
    [
        lambda: submitted(practice_set=_two()),
        lambda: claimed(practice_set=_two())[0],
        lambda: scored(practice_set=_two())[0],
    ],
    ids=["submitted", "claimed", "scored"],
)
def test_the_owner_rates_a_submitted_claimed_or_scored_attempt(make):
    attempt = make()
    services.attempt_self_rate(attempt=attempt, member=attempt.member, ratings={1: 2, 2: 4})
    assert _ratings(attempt) == [2, 4]


@pytest.mark.parametrize(
    "make",
    [lambda: start(practice_set=_two()), _withdrawn],
    ids=["in_progress", "withdrawn"],
)
def test_an_attempt_in_progress_or_withdrawn_cannot_be_rated(make):
    attempt = make()
    with pytest.raises(AttemptStateError) as refused:
        services.attempt_self_rate(attempt=attempt, member=attempt.member, ratings={1: 3})
    assert refused.value.code == "not_ratable"
    assert _ratings(attempt) == [None, None]


def test_only_the_owner_may_rate():
    attempt = submitted(practice_set=_two())
    with pytest.raises(PracticeError) as refused:
        services.attempt_self_rate(attempt=attempt, member=MemberFactory(), ratings={1: 3})
    assert refused.value.code == "not_owner"
    assert _ratings(attempt) == [None, None]


@pytest.mark.parametrize(
    ("ratings", "code"),
    [
        ({1: 3, 2: 0}, "bad_rating"),
        ({1: 3, 2: 5}, "bad_rating"),
        ({1: 3, 2: "4"}, "bad_rating"),
        ({1: 3, 2: True}, "bad_rating"),
        ({1: 3, 2: 2.0}, "bad_rating"),
        ({1: 3, 3: 2}, "no_scenario"),
    ],
)
def test_a_value_outside_1_to_4_refuses_every_rating_of_the_request(ratings, code):
    attempt = submitted(practice_set=_two())
    with pytest.raises(PracticeError) as refused:
        services.attempt_self_rate(attempt=attempt, member=attempt.member, ratings=ratings)
    assert refused.value.code == code
    assert _ratings(attempt) == [None, None]  # the valid first rating was not saved either


def test_positions_left_out_keep_their_rating_and_none_clears_one():
    attempt = submitted(practice_set=_two())
    services.attempt_self_rate(attempt=attempt, member=attempt.member, ratings={1: 1, 2: 2})
    services.attempt_self_rate(attempt=attempt, member=attempt.member, ratings={2: 3})
    assert _ratings(attempt) == [1, 3]
    services.attempt_self_rate(attempt=attempt, member=attempt.member, ratings={1: None})
    assert _ratings(attempt) == [None, 3]


def test_the_results_page_form_saves_ratings(client):
    attempt = submitted(practice_set=_two())
    client.force_login(attempt.member)
    page = client.get(attempt.get_absolute_url()).content.decode()
    assert "Rate your own answers" in page and 'name="self-1"' in page and 'name="self-2"' in page
    response = client.post(_url(attempt), {"self-1": "4", "self-2": ""})
    assert response.status_code == 302
    assert response["Location"] == attempt.get_absolute_url() + "#self-rating"
    assert _ratings(attempt) == [4, None]
    page = client.get(response["Location"]).content.decode()
    assert "Your own ratings are saved." in page and "Your own rating: 4 out of 4" in page
    assert '<option value="4" selected>' in page


@pytest.mark.parametrize("bad", ["0", "5", "x", "3.0", "-1", "99999"])
def test_a_bad_value_from_the_form_is_a_clear_400_and_changes_nothing(client, bad):
    attempt = submitted(practice_set=_two())
    client.force_login(attempt.member)
    response = client.post(_url(attempt), {"self-1": "2", "self-2": bad})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert _ratings(attempt) == [None, None]


def test_posting_for_a_withdrawn_attempt_says_why_and_changes_nothing(client):
    attempt = _withdrawn()
    client.force_login(attempt.member)
    assert "Rate your own answers" not in client.get(attempt.get_absolute_url()).content.decode()
    response = client.post(_url(attempt), {"self-1": "3"})
    assert response.status_code == 409
    assert "withdrawn; it can no longer be rated. Nothing was changed." in response.content.decode()
    assert _ratings(attempt) == [None, None]


def test_posting_while_in_progress_goes_back_to_the_test_and_changes_nothing(client):
    attempt = start(practice_set=_two())
    client.force_login(attempt.member)
    response = client.post(_url(attempt), {"self-1": "3"}, follow=True)
    assert "once the attempt is submitted" in response.content.decode()
    assert response.context["row"].position == 1  # still taking the test
    assert _ratings(attempt) == [None, None]


def test_another_member_or_the_coach_gets_404_and_anonymous_visitors_log_in(client):
    attempt, coach = claimed(practice_set=_two())
    for user in (MemberFactory(), coach.user):
        client.force_login(user)
        assert client.post(_url(attempt), {"self-1": "3"}).status_code == 404
    client.logout()
    assert client.post(_url(attempt), {"self-1": "3"}).status_code == 302
    assert client.post("/practice/attempts/nope/self-rating/", {}).status_code == 302
    assert _ratings(attempt) == [None, None]


def test_the_self_rating_sits_beside_the_coachs_score_on_the_results_page(client):
    attempt, coach = scored(practice_set=_two(), scores=[2, 3])
    services.attempt_self_rate(attempt=attempt, member=attempt.member, ratings={1: 4})
    client.force_login(attempt.member)
    page = client.get(attempt.get_absolute_url()).content.decode()
    assert (
        'Score: 2 out of 4</strong> <span class="practice-self-rating">· your own rating: 4 out of 4'
        in page
    )
    client.force_login(coach.user)
    assert "your own rating" not in client.get(attempt.get_coach_url()).content.decode()
