"""The slot picker as issue 10 asked: "Any coach" shows one button per time and names the coach
at the confirm step; a visitor without an account picks a time, logs in and comes back to the
confirm step with that time; on a phone the times come first; axe finds nothing serious.
"""

import re
from datetime import datetime
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import (
    DEMO_PASSWORD,
    go_to_first_free_week,
    log_in,
    serious_accessibility_violations,
)

pytestmark = pytest.mark.django_db(transaction=True)

KOLKATA = ZoneInfo("Asia/Kolkata")
APPLICANT = "applicant@example.com"
SERVICE = "mock-interview-mmi"
PICKER = f"/book/?service={SERVICE}"


def shown_starts(page) -> list[str]:
    return page.locator(".slot").evaluate_all("buttons => buttons.map(b => b.dataset.start)")


def test_any_coach_shows_one_button_per_time_and_names_the_coach_it_books(page, demo):
    from booking.models import Booking

    log_in(page, APPLICANT)
    page.goto(PICKER)
    go_to_first_free_week(page)
    starts = shown_starts(page)
    assert len(starts) == len(set(starts)), "a time is shown more than once"
    # Two demo coaches deliver the service: somewhere in the next weeks both are free at once.
    for _ in range(6):
        if page.locator(".slot", has_text="2 coaches free").count():
            break
        page.get_by_role("button", name="Next week").click()
        expect(page.locator("[data-slots-status]")).to_contain_text("this week")
    both = page.locator(".slot", has_text="2 coaches free").first
    both.click()
    summary = page.locator("[data-summary]")
    expect(summary).to_contain_text(re.compile(r"with Dr\. (Priya Raman|Tom Whitfield)"))
    named = re.search(r"with (Dr\. [\w ]+?):", summary.inner_text()).group(1)
    expect(page.locator("[data-coach-note]")).to_contain_text("fewest sessions that day")
    assert serious_accessibility_violations(page) == []

    page.get_by_role("button", name="Book with 1 credit").click()
    expect(page).to_have_url(re.compile(r"/book/bookings/[\w-]+/\?booked=1$"))
    booking = Booking.objects.get(public_id=urlsplit(page.url).path.rstrip("/").rsplit("/")[-1])
    assert booking.coach.display_name == named

    # Choosing one coach shows that coach's times, with their own clock beside each.
    page.goto(PICKER)
    page.locator("summary", has_text="Coach:").click()
    page.get_by_label("Coach", exact=True).select_option(label="Dr. Priya Raman (America/Toronto)")
    go_to_first_free_week(page)
    expect(page.locator(".slot").first).to_contain_text(re.compile(r"\w{3} \d\d:\d\d their time"))


def test_a_visitor_picks_a_time_logs_in_and_is_back_at_confirm_with_it(page, demo):
    page.goto(PICKER)
    expect(page.get_by_role("heading", name="Choose a time")).to_be_visible()
    go_to_first_free_week(page)
    assert serious_accessibility_violations(page) == []
    slot = page.locator(".slot").nth(1)
    chosen = datetime.fromisoformat(slot.get_attribute("data-start"))
    slot.click()
    expect(page.get_by_role("button", name="Book with 1 credit")).to_have_count(0)
    page.get_by_role("button", name="Log in or sign up to book").click()

    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    query = parse_qs(urlsplit(page.url).query)
    assert query["reason"] == ["book"]
    assert query["next"] == [f"{PICKER}&resume=1"]
    page.get_by_label("Email address").fill(APPLICANT)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()

    expect(page).to_have_url(re.compile(rf"/book/\?service={SERVICE}$"))  # offered once
    expect(page.locator("[data-pending-notice]")).to_contain_text("is still free")
    pressed = page.locator(".slot[aria-pressed=true]")
    expect(pressed).to_have_count(1)
    # The same instant, now shown in the profile's zone (the browser's was used before).
    assert datetime.fromisoformat(pressed.get_attribute("data-start")) == chosen
    expect(pressed.locator(".slot__time")).to_have_text(f"{chosen.astimezone(KOLKATA):%H:%M}")
    expect(page.get_by_role("button", name="Book with 1 credit")).to_be_focused()
    assert serious_accessibility_violations(page) == []


@pytest.fixture
def kolkata_phone(browser, live_server):
    """A 360 px phone set to the applicant's own zone (a device in another zone would first
    show the zone notice, which rightly comes before the times)."""
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 360, "height": 740}, timezone_id="Asia/Kolkata"
    )
    yield context.new_page()
    context.close()


def test_on_a_phone_the_times_come_first_when_the_session_is_chosen(kolkata_phone, demo):
    page = kolkata_phone
    log_in(page, APPLICANT)
    page.goto(PICKER)
    go_to_first_free_week(page)
    first = page.locator(".slot").first
    expect(first).to_be_in_viewport()
    box = first.bounding_box()
    assert box["y"] + box["height"] <= 740, f"the first time is below the fold at {box['y']}px"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    # Days without times are no folds to open: each run of them is one line.
    folds = page.locator("details.slot-day").evaluate_all(
        "ds => ds.map(d => d.querySelectorAll('.slot').length)"
    )
    assert folds and min(folds) > 0
    runs = page.locator(".slot-day--empty").evaluate_all(
        "ps => ps.map(p => p.nextElementSibling?.className)"
    )
    assert all(after != "slot-day slot-day--empty" for after in runs)
    # The session is one folded line that opens to change it.
    page.locator("summary", has_text="Session:").click()
    expect(page.get_by_label(re.compile("Mock interview: MMI"))).to_be_checked()
    assert serious_accessibility_violations(page) == []
