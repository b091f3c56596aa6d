"""Coaches claim attempts for the services they deliver, score 1–4 with comments, return them
(the applicant is emailed); the queue selectors the shared /coach/reviews/ page will use."""

import pytest

from coaching.work_queue import ClaimRefused
from practice import selectors, services
from practice.errors import ClaimError
from practice.models import AttemptStatus
from tests.coaching.factories import CoachFactory
from tests.practice.factories import (
    PracticeSetFactory,
    claimed,
    scoring_coach,
    start,
    submitted,
)

pytestmark = pytest.mark.django_db


def test_the_queue_lists_submitted_attempts_for_the_coachs_services_only():
    attempt = submitted()
    coach = scoring_coach(attempt.practice_set)
    unrelated = CoachFactory()
    start()  # in progress: not in anyone's queue yet
    assert list(selectors.to_claim_for(coach)) == [attempt]
    assert list(selectors.to_claim_for(unrelated)) == []
    assert list(selectors.to_claim_for(scoring_coach(attempt.practice_set, active=False))) == []


def test_claiming_moves_an_attempt_from_the_queue_to_the_coachs_open_items():
    attempt = submitted()
    coach = scoring_coach(attempt.practice_set)
    assert selectors.open_count_for(coach) == 0
    services.attempt_claim(attempt=attempt, coach=coach)
    assert list(selectors.to_claim_for(coach)) == []
    assert list(selectors.open_for(coach)) == [attempt]
    assert selectors.open_count_for(coach) == 1


def test_a_second_coach_cannot_claim_a_claimed_attempt_and_a_double_click_is_fine():
    attempt, coach = claimed()
    assert services.attempt_claim(attempt=attempt, coach=coach).claimed_by == coach
    with pytest.raises(ClaimError) as refused:
        services.attempt_claim(attempt=attempt, coach=scoring_coach(attempt.practice_set))
    assert refused.value.code == "taken"


def test_a_coach_who_does_not_deliver_the_service_cannot_claim():
    attempt = submitted()
    with pytest.raises(ClaimRefused):
        services.attempt_claim(attempt=attempt, coach=CoachFactory())
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.SUBMITTED


def test_an_attempt_in_progress_cannot_be_claimed():
    attempt = start()
    with pytest.raises(ClaimError):
        services.attempt_claim(attempt=attempt, coach=scoring_coach(attempt.practice_set))


def test_scoring_and_returning_emails_the_applicant(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    attempt, coach = claimed(practice_set=PracticeSetFactory(scenarios=2))
    client.force_login(coach.user)
    url = attempt.get_coach_url()
    page = client.get(url)
    assert page.status_code == 200 and "An answer." in page.content.decode()
    draft = client.post(url, {"score-1": "3", "comment-1": "Clear.", "action": "save"})
    assert draft.status_code == 302
    refused = client.post(url, {"score-1": "3", "comment-1": "Clear.", "action": "return"})
    assert refused.status_code == 400 and "Rate every scenario" in refused.content.decode()
    assert not mailoutbox
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            url,
            {
                "score-1": "3",
                "comment-1": "Clear.",
                "score-2": "4",
                "comment-2": "",
                "action": "return",
            },
        )
    assert done.status_code == 302
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.SCORED
    assert [r.score for r in attempt.scenarios.order_by("position")] == [3, 4]
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [attempt.member.email]
    assert attempt.public_id in mailoutbox[0].body and "3 out of 4" in mailoutbox[0].body


@pytest.mark.parametrize("bad", ["0", "5", "x", "3\x00", "9999"])
def test_scores_outside_1_to_4_are_a_form_error(client, bad):
    attempt, coach = claimed(practice_set=PracticeSetFactory(scenarios=1))
    client.force_login(coach.user)
    response = client.post(attempt.get_coach_url(), {"score-1": bad, "action": "return"})
    assert response.status_code == 400
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.CLAIMED


def test_the_service_refuses_a_score_outside_the_scale():
    attempt, coach = claimed(practice_set=PracticeSetFactory(scenarios=1))
    with pytest.raises(services.PracticeError):
        services.attempt_score(attempt=attempt, coach=coach, scores={1: (5, "")})
    with pytest.raises(services.PracticeError):
        services.attempt_score(attempt=attempt, coach=coach, scores={7: (3, "")})


def test_releasing_asks_to_confirm_and_refuses_without_the_tick(client):
    attempt, coach = claimed()
    client.force_login(coach.user)
    page = client.get(f"/practice/coach/attempts/{attempt.public_id}/").content.decode()
    assert 'name="confirm" value="yes" id="give-back-confirm" required' in page
    for data in ({}, {"confirm": "on"}):
        response = client.post(f"/practice/coach/attempts/{attempt.public_id}/release/", data)
        assert response["Location"] == f"/practice/coach/attempts/{attempt.public_id}/#give-back"
        attempt.refresh_from_db()
        assert attempt.status == AttemptStatus.CLAIMED and attempt.claimed_by == coach
    page = client.get(response["Location"]).content.decode()
    assert "Nothing changed: tick" in page


def test_releasing_puts_it_back_in_the_queue(client):
    attempt, coach = claimed()
    client.force_login(coach.user)
    client.post(f"/practice/coach/attempts/{attempt.public_id}/release/", {"confirm": "yes"})
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.SUBMITTED and attempt.claimed_by is None
    assert list(selectors.to_claim_for(coach)) == [attempt]


def test_the_shared_queue_lists_attempts_and_claims_them(client):
    attempt = submitted()
    coach = scoring_coach(attempt.practice_set)
    client.force_login(coach.user)
    assert client.get("/practice/coach/")["Location"] == "/coach/reviews/"
    page = client.get("/coach/reviews/").content.decode()
    assert attempt.practice_set.title in page and "Practice attempt to score" in page
    response = client.post(f"/coach/reviews/practice/{attempt.public_id}/claim/")
    assert response.status_code == 302 and response["Location"] == attempt.get_coach_url()
    mine = client.get("/coach/reviews/").context["mine"]
    assert [item.kind for item in mine] == ["practice"]


def test_a_claimed_attempt_counts_against_the_coachs_limit(client):
    first, second = submitted(), submitted()
    coach = scoring_coach(first.practice_set)
    coach.services.add(second.practice_set.service)
    coach.max_open_items = 1
    coach.save()
    client.force_login(coach.user)
    client.post(f"/coach/reviews/practice/{first.public_id}/claim/")
    response = client.post(f"/coach/reviews/practice/{second.public_id}/claim/", follow=True)
    assert "your limit" in response.content.decode()
    second.refresh_from_db()
    assert second.claimed_by is None
    assert client.get("/coach/reviews/").context["at_limit"]


def test_a_coach_cannot_claim_their_own_attempt(client):
    attempt = submitted()
    coach = CoachFactory(user=attempt.member, services=[attempt.practice_set.service])
    assert list(selectors.to_claim_for(coach)) == []
    client.force_login(coach.user)
    response = client.post(f"/coach/reviews/practice/{attempt.public_id}/claim/", follow=True)
    assert "This is your own work" in response.content.decode()
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.SUBMITTED and attempt.claimed_by is None
