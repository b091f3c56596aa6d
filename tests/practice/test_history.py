"""An attempt's history (core.history): started, submitted, taken, given back, returned or
withdrawn, shown to the applicant and the coach with public names only."""

import pytest

from members.services import entitlements_end_for_sources
from practice import services
from tests.history import actions, entries, last
from tests.practice.factories import (
    MemberFactory,
    PracticeSetFactory,
    claimed,
    grant_practice,
    scoring_coach,
    submitted,
)

pytestmark = pytest.mark.django_db


def test_an_attempt_records_each_step_with_who_took_it(client):
    attempt, coach = claimed(practice_set=PracticeSetFactory(scenarios=1))
    services.attempt_release(attempt=attempt, coach=coach)
    other = scoring_coach(attempt.practice_set, display_name="Dr. Lena Ortiz")
    services.attempt_claim(attempt=attempt, coach=other)
    services.attempt_score(attempt=attempt, coach=other, scores={1: (3, "Clear.")})
    services.attempt_return(attempt=attempt, coach=other)
    assert actions(attempt) == [
        "started",
        "submitted",
        "claimed",
        "released",
        "claimed",
        "returned",
    ]
    users = [entry.user for entry in entries(attempt)]
    assert users == [attempt.member, None, coach.user, coach.user, other.user, other.user]
    assert last(attempt).data == {"coach": other.pk}

    client.force_login(attempt.member)
    mine = client.get(attempt.get_absolute_url()).content.decode()
    assert "<strong>Started</strong> by you" in mine
    assert "<strong>Scores returned</strong> by Dr. Lena Ortiz" in mine
    assert other.user.email not in mine


def test_the_coach_sees_the_applicant_as_the_applicant(client):
    attempt, coach = claimed(practice_set=PracticeSetFactory(scenarios=1))
    client.force_login(coach.user)
    page = client.get(attempt.get_coach_url()).content.decode()
    assert "<strong>Started</strong> by the applicant" in page
    assert "<strong>Taken for scoring</strong> by you" in page


def test_a_withdrawal_after_a_refund_keeps_the_reason():
    member = MemberFactory(practice=False)
    entitlement = grant_practice(member)
    waiting = submitted(member, PracticeSetFactory(scenarios=1))
    ended = entitlements_end_for_sources(sources=[entitlement.source], reason="Refund")
    services.attempts_withdraw_for_ended_entitlements(entitlements=ended, reason="Order refunded")
    assert actions(waiting)[-1] == "withdrawn"
    assert last(waiting).data == {"reason": "Order refunded"} and last(waiting).user is None
