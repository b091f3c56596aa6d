"""Scenario guidance (what strong answers do): copied onto the attempt when it starts, like the
prompt, and shown to the applicant only once the attempt is submitted (and to the coach)."""

import pytest

from practice import casper_demo, demo
from practice.models import PracticeFormat
from tests.accounts.factories import BuyerFactory
from tests.practice.factories import PracticeSetFactory, claimed, start, submitted

pytestmark = pytest.mark.django_db

GUIDANCE = "Strong answers name who is affected before deciding."


def _guided_set(**kwargs):
    return PracticeSetFactory(scenarios=2, scenarios__guidance=GUIDANCE, **kwargs)


def test_guidance_is_copied_at_start_and_later_edits_do_not_rewrite_it():
    practice_set = _guided_set()
    attempt = start(practice_set=practice_set)
    practice_set.scenarios.update(guidance="Edited afterwards.")
    assert [row.guidance for row in attempt.scenarios.order_by("position")] == [GUIDANCE] * 2


def test_a_set_in_a_format_copies_guidance_too():
    current = PracticeFormat.objects.get(current=True)
    attempt = start(practice_set=_guided_set(format=current))
    assert {row.guidance for row in attempt.scenarios.all()} == {GUIDANCE}


def test_guidance_is_hidden_while_the_attempt_is_in_progress(client):
    attempt = start(practice_set=_guided_set())
    client.force_login(attempt.member)
    page = client.get(attempt.get_absolute_url())
    assert page.status_code == 200 and "row" in page.context
    assert GUIDANCE not in page.content.decode()
    assert "What strong answers do" not in page.content.decode()


def test_guidance_is_shown_once_the_attempt_is_submitted(client):
    attempt = submitted(practice_set=_guided_set())
    client.force_login(attempt.member)
    page = client.get(attempt.get_absolute_url()).content.decode()
    assert "What strong answers do" in page and page.count(GUIDANCE) == 2


def test_the_scoring_coach_sees_the_guidance(client):
    attempt, coach = claimed(practice_set=_guided_set())
    client.force_login(coach.user)
    page = client.get(attempt.get_coach_url()).content.decode()
    assert page.count(GUIDANCE) == 2


def test_a_scenario_without_guidance_shows_no_empty_heading(client):
    attempt = submitted(practice_set=PracticeSetFactory(scenarios=1))
    client.force_login(attempt.member)
    assert "What strong answers do" not in client.get(attempt.get_absolute_url()).content.decode()


def test_editors_write_guidance_in_the_scenario_inline(client):
    practice_set = _guided_set()
    client.force_login(BuyerFactory(is_staff=True, is_superuser=True))
    add = client.get("/admin/snippets/practice/practiceset/add/").content.decode()
    assert "scenarios-__prefix__-guidance" in add
    edit = client.get(f"/admin/snippets/practice/practiceset/edit/{practice_set.pk}/")
    assert GUIDANCE in edit.content.decode()


def test_every_demo_scenario_has_guidance_of_its_own():
    titles = [row[0] for row in demo.SCENARIOS]
    titles += [row[0] for row in casper_demo.VIDEO_SCENARIOS + casper_demo.TYPED_SCENARIOS]
    guidance = {**demo.GUIDANCE, **casper_demo.GUIDANCE}
    assert sorted(guidance) == sorted(titles)
    assert all(len(text) > 100 for text in guidance.values())
    assert len(set(guidance.values())) == len(titles)
