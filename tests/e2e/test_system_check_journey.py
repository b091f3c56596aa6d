"""Journey: the system check before a test with video answers, in Chromium with a fake camera
and microphone. The preview shows, a 5-second test recording plays back from a blob: URL, the
upload speed is measured, and only "Begin the test" starts the clock."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import log_in, serious_accessibility_violations
from tests.e2e.test_video_practice_journey import camera_browser, video_set  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_check_previews_records_plays_back_measures_and_then_begins(
    camera_browser,  # noqa: F811
    live_server,
    video_set,  # noqa: F811
):
    from practice.models import Attempt

    context = camera_browser.new_context(base_url=live_server.url)
    page = context.new_page()
    log_in(page, "applicant@example.com")
    page.goto("/practice/")
    page.get_by_role("link", name="Start Quick camera check").click()
    expect(page.get_by_role("heading", name="Check your camera, microphone and connection"))
    expect(page.locator("[data-check-camera-status]")).to_contain_text("camera and microphone work")
    page.wait_for_function("document.querySelector('[data-check-preview]').videoWidth > 0")

    page.get_by_role("button", name="Record 5 seconds").click()
    expect(page.locator("[data-check-record-status]")).to_contain_text(
        "Play it back", timeout=9_000
    )
    playback = page.get_by_label("Your test recording")
    expect(playback).to_have_attribute("src", re.compile(r"^blob:"))
    page.wait_for_function("document.querySelector('[data-check-playback]').readyState >= 2")

    page.get_by_role("button", name="Test my upload speed").click()
    expect(page.locator("[data-check-speed-status]")).to_contain_text(
        re.compile(r"Upload speed: about [\d.]+ Mb/s")
    )
    assert not serious_accessibility_violations(page)
    attempts = Attempt.objects.filter(practice_set=video_set)
    assert not attempts.exists()  # the clock has not started

    page.get_by_role("button", name="Begin the test").click()
    expect(page.get_by_role("heading", name="Question 1 of 2")).to_be_visible()
    assert attempts.get().scenarios.get(position=1).opened_at is not None
    context.close()
