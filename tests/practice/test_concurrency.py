"""Racing requests on PostgreSQL with real threads: two coaches claim one attempt, two tabs
save one answer, two clicks start one set."""

import pytest
from django.db import connection
from django.test import Client

from practice import services
from practice.errors import ClaimError, StaleAnswer
from practice.models import Answer, Attempt, AttemptScenario
from tests.payments.test_concurrency import run_together
from tests.practice.factories import (
    MemberFactory,
    PracticeSetFactory,
    scoring_coach,
    start,
    submitted,
)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency tests need PostgreSQL (SQLite serialises every writer)")


def _outcome(call):
    def run():
        try:
            return call()
        except (ClaimError, StaleAnswer) as error:
            return error

    return run


def test_of_two_coaches_claiming_at_once_exactly_one_wins():
    attempt = submitted()
    coaches = [scoring_coach(attempt.practice_set) for _ in range(2)]
    results = run_together(
        *[_outcome(lambda c=c: services.attempt_claim(attempt=attempt, coach=c)) for c in coaches]
    )
    winners = [r for r in results if isinstance(r, Attempt)]
    assert len(winners) == 1
    assert sum(isinstance(r, ClaimError) for r in results) == 1
    attempt.refresh_from_db()
    assert attempt.claimed_by_id == winners[0].claimed_by_id


def test_two_tabs_saving_one_answer_lose_nothing_and_open_no_second_deadline():
    attempt = start(practice_set=PracticeSetFactory(scenarios=2))
    row = attempt.scenarios.get(position=1)
    deadline = row.deadline

    def tab(text):
        client = Client()
        client.force_login(attempt.member)
        client.get(attempt.get_absolute_url())  # each tab loads the page (no restart)
        return client.post(
            f"/practice/attempts/{attempt.public_id}/save/",
            data={"position": 1, "index": 0, "text": text, "version": 0},
            content_type="application/json",
        )

    responses = run_together(lambda: tab("From tab A"), lambda: tab("From tab B"))
    codes = sorted(r.status_code for r in responses)
    assert codes == [200, 409]
    saved = next(r for r in responses if r.status_code == 200)
    answer = Answer.objects.get(attempt_scenario=row, index=0)
    # The stored text is exactly the one the winner was told was saved; the loser was told.
    assert answer.version == 1 == saved.json()["version"]
    assert answer.text in {"From tab A", "From tab B"}
    assert AttemptScenario.objects.get(pk=row.pk).deadline == deadline
    assert AttemptScenario.objects.get(attempt=attempt, position=2).opened_at is None


def test_two_clicks_on_start_make_one_attempt():
    member = MemberFactory()
    practice_set = PracticeSetFactory()
    results = run_together(
        *[lambda: services.attempt_start(member=member, practice_set=practice_set)] * 3
    )
    assert len({a.pk for a in results}) == 1
    assert Attempt.objects.filter(member=member).count() == 1
    assert (
        AttemptScenario.objects.filter(attempt__member=member, opened_at__isnull=False).count() == 1
    )
