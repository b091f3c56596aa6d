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


def _video_attempt():
    from practice.models import PracticeFormat

    practice_set = PracticeSetFactory(format=PracticeFormat.objects.get(current=True), scenarios=1)
    return services.attempt_start(member=MemberFactory(), practice_set=practice_set)


WEBM_HEAD = b"\x1a\x45\xdf\xa3" + b"\x01" * 60


def test_twenty_copies_of_one_part_at_once_store_one(settings):
    from practice.models import RecordingPart

    attempt = _video_attempt()

    def send():
        return services.recording_part_save(
            attempt=attempt, position=1, index=0, take="race-take-1", number=0, data=WEBM_HEAD
        )

    results = run_together(*[send for _ in range(20)])
    assert len({part.pk for part in results}) == 1
    assert RecordingPart.objects.filter(take="race-take-1").count() == 1


def test_thirty_parts_at_once_never_pass_the_size_limit(settings):
    from practice.errors import RecordingRejected
    from practice.models import RecordingPart

    settings.PRACTICE_RECORDING_MAX_BYTES = len(WEBM_HEAD) + 10 * 100
    attempt = _video_attempt()
    services.recording_part_save(
        attempt=attempt, position=1, index=0, take="race-take-2", number=0, data=WEBM_HEAD
    )

    def send(number):
        def run():
            try:
                return services.recording_part_save(
                    attempt=attempt,
                    position=1,
                    index=0,
                    take="race-take-2",
                    number=number,
                    data=b"x" * 100,
                )
            except RecordingRejected as error:
                return error

        return run

    results = run_together(*[send(n) for n in range(1, 31)])
    kept = RecordingPart.objects.filter(take="race-take-2")
    assert sum(part.size for part in kept) <= settings.PRACTICE_RECORDING_MAX_BYTES
    assert kept.count() == 11  # part 0 and the first ten that fit
    assert sum(isinstance(r, RecordingRejected) for r in results) == 20
