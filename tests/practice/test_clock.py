"""The server is the clock: deadlines stored at opening, late saves refused, reload resumes,
expiry moves on without the browser (the next request or the django-q2 job)."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import override_settings

from practice import services, tasks
from practice.errors import StaleAnswer, TooLate
from practice.models import AttemptStatus, CloseReason
from tests.practice.factories import MemberFactory, PracticeSetFactory, start

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 3, 10, 14, 0, tzinfo=UTC)
GRACE = 5


@pytest.fixture(autouse=True)
def _grace(settings):
    settings.PRACTICE_GRACE_SECONDS = GRACE


def _row(attempt, position):
    return attempt.scenarios.get(position=position)


def _save(attempt, text, *, position=1, index=0, version=None, now):
    if version is None:
        version = _row(attempt, position).answers.get(index=index).version
    return services.answer_save(
        attempt=attempt, position=position, index=index, text=text, version=version, now=now
    )


def test_opening_stores_the_deadline_once():
    attempt = start(practice_set=PracticeSetFactory(scenarios=2), now=T0)
    row = _row(attempt, 1)
    assert row.opened_at == T0
    assert row.deadline == T0 + timedelta(minutes=5)
    assert _row(attempt, 2).opened_at is None


def test_an_answer_saved_before_the_deadline_stands_and_a_late_one_is_refused():
    attempt = start(now=T0)
    _save(attempt, "In time.", now=T0 + timedelta(minutes=4, seconds=59))
    with pytest.raises(TooLate):
        _save(attempt, "Too late.", now=T0 + timedelta(minutes=5, seconds=GRACE + 1))
    assert _row(attempt, 1).answers.get(index=0).text == "In time."


def test_a_save_within_the_grace_after_the_deadline_still_counts():
    attempt = start(now=T0)
    answer = _save(attempt, "Last words.", now=T0 + timedelta(minutes=5, seconds=GRACE - 1))
    assert answer.text == "Last words."
    row = _row(attempt, 1)
    assert row.close_reason == CloseReason.EXPIRED and row.closed_at == row.deadline


def test_reload_resumes_with_the_true_remaining_time(client):
    attempt = start(now=T0)
    client.force_login(attempt.member)
    with time_machine.travel(T0 + timedelta(minutes=3, seconds=20), tick=False):
        response = client.get(attempt.get_absolute_url())
    assert response.status_code == 200
    assert response.context["seconds_left"] == 100
    assert 'data-seconds-left="100"' in response.content.decode()
    assert "1:40" in response.content.decode()


def test_expiry_moves_on_at_the_next_request_even_if_the_browser_never_called_back(client):
    attempt = start(practice_set=PracticeSetFactory(scenarios=2), now=T0)
    client.force_login(attempt.member)
    with time_machine.travel(T0 + timedelta(minutes=6), tick=False):
        response = client.get(attempt.get_absolute_url())
    assert response.context["row"].position == 2
    first, second = _row(attempt, 1), _row(attempt, 2)
    assert first.close_reason == CloseReason.EXPIRED
    # The next scenario opened when the first one's time ran out, not when the page was asked.
    assert second.opened_at == first.deadline
    assert response.context["seconds_left"] == 4 * 60


def test_the_job_closes_overdue_scenarios_and_submits_abandoned_attempts():
    attempt = start(practice_set=PracticeSetFactory(scenarios=2), now=T0)
    assert services.attempts_close_overdue(now=T0 + timedelta(minutes=4)) == 0
    with time_machine.travel(T0 + timedelta(minutes=11), tick=False):
        assert tasks.close_overdue() == 1
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.SUBMITTED
    assert attempt.submitted_at == T0 + timedelta(minutes=10)
    assert services.attempts_close_overdue(now=T0 + timedelta(minutes=12)) == 0  # twice: no-op


def test_a_second_tab_cannot_restart_a_scenario(client):
    attempt = start(now=T0)
    client.force_login(attempt.member)
    for minute in (1, 2, 3):
        with time_machine.travel(T0 + timedelta(minutes=minute), tick=False):
            client.get(attempt.get_absolute_url())
    # Starting the set again (a second tab's Start button) resumes the same attempt.
    with time_machine.travel(T0 + timedelta(minutes=3), tick=False):
        again = services.attempt_start(member=attempt.member, practice_set=attempt.practice_set)
    assert again.pk == attempt.pk
    assert _row(attempt, 1).deadline == T0 + timedelta(minutes=5)


def test_submitting_early_opens_the_next_scenario_now_and_refuses_later_saves():
    attempt = start(practice_set=PracticeSetFactory(scenarios=2), now=T0)
    services.scenario_submit(attempt=attempt, position=1, now=T0 + timedelta(minutes=1))
    assert _row(attempt, 2).opened_at == T0 + timedelta(minutes=1)
    with pytest.raises(TooLate):
        _save(attempt, "Changed my mind.", now=T0 + timedelta(minutes=1, seconds=GRACE + 1))
    # A late click on "submit" for scenario 1 never closes scenario 2.
    services.scenario_submit(attempt=attempt, position=1, now=T0 + timedelta(minutes=2))
    assert _row(attempt, 2).closed_at is None


def test_a_break_waits_for_the_applicant_or_ends_by_itself():
    practice_set = PracticeSetFactory(scenarios=3, break_after=1, break_seconds=120)
    attempt = start(practice_set=practice_set, now=T0)
    services.scenario_submit(attempt=attempt, position=1, now=T0 + timedelta(minutes=1))
    assert _row(attempt, 2).opened_at is None
    attempt = services.attempt_advance(attempt=attempt, now=T0 + timedelta(minutes=2))
    assert attempt.break_until == T0 + timedelta(minutes=3)
    # Nobody came back: the next scenario opened when the break ended.
    services.attempt_advance(attempt=attempt, now=T0 + timedelta(minutes=4))
    assert _row(attempt, 2).opened_at == T0 + timedelta(minutes=3)


def test_continuing_early_opens_the_next_scenario_at_once():
    practice_set = PracticeSetFactory(scenarios=2, break_after=1, break_seconds=300)
    attempt = start(practice_set=practice_set, now=T0)
    services.scenario_submit(attempt=attempt, position=1, now=T0 + timedelta(minutes=1))
    services.attempt_continue(attempt=attempt, now=T0 + timedelta(minutes=2))
    assert _row(attempt, 2).opened_at == T0 + timedelta(minutes=2)


def test_reading_time_comes_before_the_answer_time():
    practice_set = PracticeSetFactory(scenarios=1, scenarios__seconds=300, scenarios__reading=60)
    attempt = start(practice_set=practice_set, now=T0)
    row = _row(attempt, 1)
    assert row.reading_ends_at == T0 + timedelta(minutes=1)
    assert row.deadline == T0 + timedelta(minutes=6)
    with pytest.raises(services.PracticeError) as refused:
        _save(attempt, "Too soon.", now=T0 + timedelta(seconds=30))
    assert refused.value.code == "reading"


def test_a_stale_tab_is_refused_and_the_newer_text_stays():
    attempt = start(now=T0)
    _save(attempt, "Tab A, first.", version=0, now=T0 + timedelta(seconds=10))
    _save(attempt, "Tab A, newer.", version=1, now=T0 + timedelta(seconds=20))
    with pytest.raises(StaleAnswer) as refused:
        _save(attempt, "Tab B, old view.", version=1, now=T0 + timedelta(seconds=30))
    assert refused.value.current_version == 2
    assert _row(attempt, 1).answers.get(index=0).text == "Tab A, newer."


def test_the_same_text_from_an_older_tab_is_no_conflict():
    attempt = start(now=T0)
    _save(attempt, "Same.", version=0, now=T0 + timedelta(seconds=10))
    assert _save(attempt, "Same.", version=0, now=T0 + timedelta(seconds=20)).version == 1


@override_settings(PRACTICE_GRACE_SECONDS=0)
def test_no_grace_means_the_deadline_is_the_last_moment():
    attempt = start(member=MemberFactory(), now=T0)
    with pytest.raises(TooLate):
        _save(attempt, "Late.", now=T0 + timedelta(minutes=5, seconds=1))
