"""Journey 4: a coach changes their hours and time off, sees it as applicants will, records a session."""

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)

TORONTO = ZoneInfo("America/Toronto")
KOLKATA = ZoneInfo("Asia/Kolkata")


@pytest.fixture
def past_session(demo):
    """A confirmed session with Priya that ended yesterday: she has to record how it went."""
    from booking.models import Booking, BookingStatus
    from coaching.models import Coach, Service
    from medpath.accounts.models import User

    start = (timezone.now() - timedelta(days=1)).replace(minute=0, second=0, microsecond=0)
    return Booking.objects.create(
        applicant=User.objects.get(email="applicant@example.com"),
        coach=Coach.objects.get(slug="priya-raman"),
        service=Service.objects.get(slug="abs-strategy"),
        start=start - timedelta(hours=2),
        end=start - timedelta(hours=1),
        blocked_start=start - timedelta(hours=2),
        blocked_end=start - timedelta(minutes=45),
        status=BookingStatus.CONFIRMED,
    )


def preview_day(page, day: date):
    label = f"{day:%a} {day.day} {day:%b}"
    return page.locator(".preview-days li").filter(has_text=label)


def applicant_slot_at(page, coach_time: str):
    """The slot button whose label gives Priya's local time as `coach_time`."""
    return page.locator(".slot").filter(
        has=page.locator(".slot__meta", has_text=f"{coach_time} their time")
    )


def open_applicant_picker(browser, base_url: str):
    context = browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 900})
    applicant = context.new_page()
    log_in(applicant, "applicant@example.com")
    applicant.goto("/book/")
    applicant.get_by_label(re.compile("ABS strategy session")).check()
    applicant.get_by_label("Coach", exact=True).select_option(
        label="Dr. Priya Raman (America/Toronto)"
    )
    return context, applicant


def test_coach_changes_hours_and_time_off_and_records_a_past_session(
    page, browser, live_server, past_session
):
    # A day three days ahead, at an hour Priya does not usually work: 05:00 in Toronto.
    day = datetime.now(TORONTO).date() + timedelta(days=3)
    in_kolkata = datetime.combine(day, time(5, 0), tzinfo=TORONTO).astimezone(KOLKATA)

    log_in(page, "coach.toronto@example.com", next_path="/coach/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your sessions")
    page.get_by_role("link", name="Edit availability").click()
    expect(preview_day(page, day)).not_to_contain_text("05:00")

    # Weekly hours: a new early range on that weekday
    weekly_rows = page.locator(".formset-table").first.locator("tbody tr")
    first_empty = weekly_rows.evaluate_all(
        "rows => rows.findIndex(row => row.querySelector('select').value === '')"
    )
    empty_row = weekly_rows.nth(first_empty)
    empty_row.locator("select").select_option(label=f"{day:%A}")
    empty_row.locator("input[name$='-start']").fill("05:00")
    empty_row.locator("input[name$='-end']").fill("08:00")
    page.get_by_role("button", name="Save availability").click()
    expect(page.locator(".messages")).to_contain_text("Your availability is saved")
    expect(preview_day(page, day)).to_contain_text("05:00")

    # The applicant sees the new time in their own zone, with Priya's beside it
    context, applicant = open_applicant_picker(browser, live_server.url)
    slot = applicant_slot_at(applicant, "05:00")
    expect(slot).to_have_count(1)
    expect(slot.locator(".slot__time")).to_have_text(f"{in_kolkata:%H:%M}")

    # Time off for the whole of that day: gone from the preview and from the applicant's picker
    time_off = page.locator(".formset-table").nth(2).locator("tbody tr").last
    time_off.locator("input[name$='-start_date']").fill(day.isoformat())
    time_off.locator("input[name$='-start_time']").fill("00:00")
    time_off.locator("input[name$='-end_date']").fill((day + timedelta(days=1)).isoformat())
    time_off.locator("input[name$='-end_time']").fill("00:00")
    time_off.locator("input[name$='-reason']").fill("Family wedding")
    page.get_by_role("button", name="Save availability").click()
    expect(page.locator(".messages")).to_contain_text("Your availability is saved")
    expect(preview_day(page, day)).to_contain_text("no times")
    applicant.reload()
    applicant.get_by_label(re.compile("ABS strategy session")).check()
    applicant.get_by_label("Coach", exact=True).select_option(
        label="Dr. Priya Raman (America/Toronto)"
    )
    expect(applicant.locator("[data-slots-status]")).to_contain_text("this week")
    expect(applicant_slot_at(applicant, "05:00")).to_have_count(0)
    context.close()

    # Yesterday's session is waiting for its outcome
    page.goto("/coach/")
    to_record = page.locator("section", has=page.get_by_role("heading", name="To record"))
    to_record.get_by_role("button", name="Completed").click()
    expect(page.locator(".messages")).to_contain_text("Saved")
    past_session.refresh_from_db()
    assert past_session.status == "completed"
