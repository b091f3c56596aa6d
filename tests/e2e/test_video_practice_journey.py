"""Journey: today's format in Chromium with a fake camera and microphone. Two video questions
record and advance by themselves (each answer sent in parts while it records), then a typed
scenario; the coach watches the answers (seekable after the background remux) and scores; the
applicant sees the scores. Timers are seconds long by configuration; axe-core scans the
question, results and scoring pages."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, log_in, serious_accessibility_violations

pytestmark = pytest.mark.django_db(transaction=True)

QUESTION_SECONDS = 6


@pytest.fixture(scope="module")
def camera_browser(browser):
    """Chromium whose camera and microphone are its built-in test pattern and tone, allowed
    without a prompt (launched by the session's Playwright: one runs per thread)."""
    args = [*CHROMIUM_ARGS, "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"]
    camera = browser.browser_type.launch(executable_path=CHROMIUM, args=args)
    yield camera
    camera.close()


@pytest.fixture
def video_set(demo):
    from coaching.models import Service
    from practice.models import FormatSection, PracticeFormat, PracticeSet, ResponseKind, Scenario

    quick = PracticeFormat.objects.create(name="Quick check", cycle="2026–2027", current=True)
    FormatSection.objects.create(
        format=quick,
        sort_order=0,
        title="Video responses",
        response=ResponseKind.VIDEO,
        scenario_count=1,
        one_at_a_time=True,
        seconds=QUESTION_SECONDS,
    )
    FormatSection.objects.create(
        format=quick, sort_order=1, title="Typed responses", scenario_count=1, seconds=90
    )
    practice_set = PracticeSet.objects.create(
        title="Quick camera check",
        slug="quick-camera-check",
        service=Service.objects.get(slug="casper-preparation"),
        format=quick,
        sort_order=0,
    )
    for n in (1, 2):
        Scenario.objects.create(
            practice_set=practice_set,
            sort_order=n,
            title=f"Camera scenario {n}",
            prompt=f"A short situation number {n}.",
            question_1="What would you do?",
            question_2="Why?",
        )
    return practice_set


def test_video_answers_recorded_advanced_remuxed_and_scored(camera_browser, live_server, video_set):
    from practice.models import Recording

    context = camera_browser.new_context(base_url=live_server.url)
    page = context.new_page()
    log_in(page, "applicant@example.com")
    page.goto("/practice/")
    page.get_by_role("link", name="Start Quick camera check").click()
    page.get_by_role("button", name="Begin the test").click()  # the check: test_system_check
    expect(page.get_by_role("heading", name="Question 1 of 2")).to_be_visible()
    expect(page.locator("[data-record-status]")).to_contain_text("Recording", timeout=5_000)
    assert not serious_accessibility_violations(page)
    # Nobody clicks: the minute (here seconds) ends, the answer is saved, the next one opens.
    expect(page.get_by_role("heading", name="Question 2 of 2")).to_be_visible(
        timeout=(QUESTION_SECONDS + 15) * 1000
    )
    expect(page.get_by_role("heading", name="Camera scenario 2")).to_be_visible(
        timeout=(QUESTION_SECONDS + 15) * 1000
    )
    page.get_by_label("1. What would you do?").fill("I would ask what happened first.")
    page.get_by_label("2. Why?").fill("Because the facts matter.")
    page.get_by_role("button", name="Submit and finish").click()
    expect(page.get_by_text("Submitted. A coach will score")).to_be_visible()

    takes = Recording.objects.filter(attempt_scenario__attempt__practice_set=video_set)
    assert sorted(takes.values_list("index", flat=True)) == [0, 1]
    assert all(take.seekable and take.duration_seconds > 2 for take in takes)
    assert {take.content_type for take in takes} <= {"video/webm", "video/mp4"}
    expect(page.locator("video.practice-answer-video")).to_have_count(2)
    assert not serious_accessibility_violations(page)
    results_url = page.url

    coach_context = camera_browser.new_context(base_url=live_server.url)
    coach = coach_context.new_page()
    log_in(coach, "coach.london@example.com")
    coach.goto("/coach/reviews/")
    expect(coach.get_by_text(re.compile(r"recorded answer")).first).to_be_visible()
    coach.get_by_role("button", name=re.compile("Claim Quick camera check")).click()
    video = coach.locator("video.practice-answer-video").first
    video.scroll_into_view_if_needed()
    seeked = video.evaluate(
        """async (element) => {
            if (element.readyState < 1) {
                await new Promise((done) => element.addEventListener("loadedmetadata", done, { once: true }));
            }
            element.currentTime = 1.5;
            await new Promise((done) => element.addEventListener("seeked", done, { once: true }));
            return { duration: element.duration, at: element.currentTime };
        }"""
    )
    assert seeked["duration"] > 2 and seeked["duration"] != float("inf")
    assert abs(seeked["at"] - 1.5) < 0.5
    coach.get_by_role("button", name="1.5×").first.click()
    assert video.evaluate("(element) => element.playbackRate") == 1.5
    assert not serious_accessibility_violations(coach)
    for n, label in ((1, "3: Competent"), (2, "4: Strong")):
        coach.get_by_role("group", name=re.compile(f"Score for {n}\\.")).get_by_label(label).check()
    coach.get_by_role("button", name="Return to the applicant").click()
    expect(coach.get_by_text("Returned: the applicant has been emailed.")).to_be_visible()
    coach_context.close()

    page.goto(results_url)
    expect(page.get_by_text("Score: 4 out of 4")).to_be_visible()
    context.close()


def test_a_connection_cut_while_recording_loses_nothing(camera_browser, live_server, video_set):
    """The line drops for a few seconds mid-answer: the parts recorded meanwhile wait in the
    browser and are sent when it comes back, and the answer is kept whole."""
    from practice.models import Recording, RecordingPart

    context = camera_browser.new_context(base_url=live_server.url)
    page = context.new_page()
    log_in(page, "applicant@example.com")
    page.goto("/practice/sets/quick-camera-check/check/")
    page.get_by_role("button", name="Begin the test").click()
    expect(page.locator("[data-record-status]")).to_contain_text("Recording", timeout=5_000)
    page.wait_for_timeout(1_000)
    context.set_offline(True)
    page.wait_for_timeout(3_000)
    context.set_offline(False)
    expect(page.get_by_role("heading", name="Question 2 of 2")).to_be_visible(
        timeout=(QUESTION_SECONDS + 20) * 1000
    )
    mine = {"attempt_scenario__attempt__practice_set": video_set, "attempt_scenario__position": 1}
    first = Recording.objects.get(index=0, **mine)
    assert first.seekable and first.duration_seconds > QUESTION_SECONDS - 2
    assert not RecordingPart.objects.filter(index=0, **mine).exists()
    context.close()
