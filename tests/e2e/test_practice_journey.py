"""Journey: a two-scenario typed practice test with short timers. The applicant types (autosave),
reloads mid-scenario (the clock resumes, the text is there), is moved on when the time runs
out, submits; a coach claims and scores it; the applicant sees the scores and the chart.
axe-core scans the test page and the results page."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import log_in, serious_accessibility_violations

pytestmark = pytest.mark.django_db(transaction=True)

FIRST_SECONDS = 20


@pytest.fixture
def short_set(demo):
    from coaching.models import Service
    from practice.models import PracticeSet, Scenario

    practice_set = PracticeSet.objects.create(
        title="Quick CASPer check",
        slug="quick-casper-check",
        service=Service.objects.get(slug="casper-preparation"),
        sort_order=0,
    )
    for n, seconds in ((1, FIRST_SECONDS), (2, 60)):
        Scenario.objects.create(
            practice_set=practice_set,
            sort_order=n,
            title=f"Short scenario {n}",
            prompt=f"A short situation number {n}.",
            question_1="What would you do?",
            question_2="Why?",
            question_3="What else would you consider?",
            time_limit_seconds=seconds,
        )
    return practice_set


def seconds_on_clock(page) -> int:
    minutes, seconds = page.locator("[data-timer-clock]").inner_text().split(":")
    return int(minutes) * 60 + int(seconds)


def test_typed_practice_test_scored_by_a_coach(page, browser, live_server, short_set):
    log_in(page, "applicant@example.com")
    page.goto("/practice/")
    expect(page.get_by_text("up to 8 attempts a calendar month")).to_be_visible()
    page.get_by_role("button", name="Start Quick CASPer check").click()
    expect(page.get_by_role("heading", name="Short scenario 1")).to_be_visible()
    page.wait_for_load_state("load")  # the autosave module has run

    first = page.get_by_label("1. What would you do?")
    first.fill("I would listen first and ask what happened.")
    first.press("Tab")  # leaving the box saves it
    # Saved well inside the 20 s scenario, even on a busy machine.
    expect(page.locator("[data-status-for='0']")).to_have_text("Saved", timeout=12_000)
    expect(page.locator("[data-words-for='0']")).to_have_text("8 words")
    assert not serious_accessibility_violations(page)

    before = seconds_on_clock(page)
    page.reload()
    expect(page.get_by_label("1. What would you do?")).to_have_value(
        "I would listen first and ask what happened."
    )
    assert seconds_on_clock(page) <= before  # resumed, not restarted

    # Typed but never blurred: the timer's last save takes it before moving on.
    page.get_by_label("2. Why?").fill("Because the facts matter.")
    expect(page.get_by_role("heading", name="Short scenario 2")).to_be_visible(
        timeout=(FIRST_SECONDS + 10) * 1000
    )
    page.get_by_label("1. What would you do?").fill("Ask for help.")
    page.get_by_role("button", name="Submit and finish").click()
    expect(page.get_by_text("Submitted. A coach will score")).to_be_visible()
    expect(page.get_by_text("Because the facts matter.")).to_be_visible()
    assert not serious_accessibility_violations(page)
    results_url = page.url

    coach_context = browser.new_context(base_url=live_server.url)
    coach = coach_context.new_page()
    log_in(coach, "coach.london@example.com")
    coach.goto("/coach/reviews/")
    coach.get_by_role("button", name=re.compile("Claim Quick CASPer check")).click()
    for n, label in ((1, "3: Competent"), (2, "4: Strong")):
        coach.get_by_role("group", name=re.compile(f"Score for {n}\\.")).get_by_label(label).check()
        coach.get_by_label(re.compile(f"Comment on {n}\\.")).fill(f"Comment on scenario {n}.")
    coach.get_by_role("button", name="Return to the applicant").click()
    expect(coach.get_by_text("Returned: the applicant has been emailed.")).to_be_visible()
    coach_context.close()

    page.goto(results_url)
    expect(page.get_by_text("Score: 3 out of 4")).to_be_visible()
    expect(page.get_by_text("Comment on scenario 2.")).to_be_visible()
    assert not serious_accessibility_violations(page)
    page.goto("/practice/")
    chart = page.get_by_role("img", name="Average score per scored attempt, oldest first")
    expect(chart).to_be_visible()
    expect(chart.locator("circle")).to_have_count(3)  # the demo's two scored attempts and this one
    expect(page.locator("#chart-desc")).to_contain_text("3.5 out of 4")
    assert not serious_accessibility_violations(page)
