"""Journey 2: book a session with a credit in Asia/Kolkata, get the invite, reschedule, cancel.

Plus the slot picker's own promises: a zone the applicant can change, a notice when clocks change
inside the shown week, an empty week that says when the next free time is, and a 360 px phone.
"""

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.e2e.conftest import (
    go_to_first_free_week,
    log_in,
    serious_accessibility_violations,
    wait_for_week,
)

pytestmark = pytest.mark.django_db(transaction=True)

KOLKATA = ZoneInfo("Asia/Kolkata")
APPLICANT = "applicant@example.com"
SERVICE = "mock-interview-mmi"


def credits_left(service_slug: str = SERVICE) -> int:
    from booking.models import Credit

    return sum(
        Credit.objects.filter(applicant__email=APPLICANT, service__slug=service_slug).values_list(
            "remaining", flat=True
        )
    )


def invite_for(message) -> str:
    (ics,) = [a for a in message.attachments if a[2].startswith("text/calendar")]
    return ics[1]


def ics_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def pick_slot(page, index: int = 0) -> str:
    """Click a free time in the picker; return the time it shows (the applicant's)."""
    slot = page.locator(".slot").nth(index)
    expect(slot).to_be_visible()
    slot.click()
    return slot.locator(".slot__time").inner_text()


def test_applicant_books_reschedules_and_cancels_in_their_own_zone(page, demo):
    from booking.models import Booking

    before = credits_left()
    mail.outbox.clear()  # the demo's own booking sent a confirmation already
    log_in(page, APPLICANT)
    page.goto(f"/book/?service={SERVICE}")
    expect(page.get_by_label(re.compile("Mock interview: MMI"))).to_be_checked()
    expect(page.get_by_label("Show times in")).to_have_value("Asia/Kolkata")
    go_to_first_free_week(page)  # demo hours are relative to today; any week may be empty
    assert serious_accessibility_violations(page) == []

    shown = pick_slot(page)
    expect(page.locator("[data-summary]")).to_contain_text(f"{shown}")
    expect(page.locator("[data-summary]")).to_contain_text("Asia/Kolkata")
    page.get_by_role("button", name="Book with 1 credit").click()
    expect(page).to_have_url(re.compile(r"/book/bookings/[\w-]+/$"))

    booking = Booking.objects.get(public_id=page.url.rstrip("/").rsplit("/", 1)[1])
    assert booking.status == "confirmed"
    assert f"{booking.start.astimezone(KOLKATA):%H:%M}" == shown
    expect(page.locator(".booking-facts")).to_contain_text(
        f"{booking.start.astimezone(KOLKATA):%H:%M}"
    )
    assert credits_left() == before - 1

    confirmed = [
        m for m in mail.outbox if m.to == [APPLICANT] and m.subject.startswith("Confirmed")
    ]
    assert len(confirmed) == 1
    invite = invite_for(confirmed[0])
    assert "METHOD:REQUEST" in invite
    assert f"DTSTART:{ics_time(booking.start)}" in invite

    # Reschedule to another free time
    page.get_by_role("link", name="Pick a new time").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Pick a new time")
    go_to_first_free_week(page)
    while page.locator(".slot").count() < 2:
        page.get_by_role("button", name="Next week").click()
        wait_for_week(page)
    new_time = pick_slot(page, 1)
    page.get_by_role("button", name="Move my session").click()
    expect(page).to_have_url(re.compile(f"/book/bookings/{booking.public_id}/$"))
    old_start = booking.start
    booking.refresh_from_db()
    assert booking.start != old_start
    assert f"{booking.start.astimezone(KOLKATA):%H:%M}" == new_time
    moved = [m for m in mail.outbox if m.to == [APPLICANT] and m.subject.startswith("New time")]
    assert len(moved) == 1
    assert f"DTSTART:{ics_time(booking.start)}" in invite_for(moved[0])

    # Cancel in time: the confirmation page says the credit comes back, and it does
    page.get_by_role("link", name="Cancel this session").click()
    expect(page.locator("[data-gives-back]")).to_contain_text("returns your credit")
    page.get_by_role("button", name="Yes, cancel the session").click()
    expect(page.locator(".messages")).to_contain_text("Your session is cancelled")
    booking.refresh_from_db()
    assert booking.status == "cancelled"
    assert credits_left() == before
    cancelled = [
        m for m in mail.outbox if m.to == [APPLICANT] and m.subject.startswith("Cancelled")
    ]
    assert len(cancelled) == 1
    assert "METHOD:CANCEL" in invite_for(cancelled[0])


def test_slot_picker_shows_times_in_a_zone_the_applicant_chooses(page, demo):
    log_in(page, APPLICANT)
    page.goto(f"/book/?service={SERVICE}")
    wait_for_week(page)
    page.get_by_role("button", name="Next week").click()
    wait_for_week(page)
    first = page.locator(".slot").first
    expect(first).to_be_visible()
    kolkata_time = first.locator(".slot__time").inner_text()
    coach_time = first.locator(".slot__meta").nth(1).inner_text()

    page.get_by_label("Show times in").select_option("Asia/Kathmandu")  # UTC+05:45
    expect(page.locator("[data-slots-status]")).to_contain_text("Asia/Kathmandu")
    page.get_by_role("button", name="Next week").click()
    wait_for_week(page)
    same = page.locator(".slot").filter(has_text=coach_time).first
    expect(same.locator(".slot__time")).not_to_have_text(kolkata_time)
    shifted = datetime.strptime(kolkata_time, "%H:%M") + timedelta(minutes=15)
    expect(page.locator(".slot__time", has_text=f"{shifted:%H:%M}").first).to_be_visible()


def test_slot_picker_warns_when_clocks_change_in_the_shown_week(page, demo):
    log_in(page, APPLICANT)
    page.goto(f"/book/?service={SERVICE}")
    notice = page.locator("[data-dst-notice]")
    wait_for_week(page)
    # Walk forward until a week holds a clock change in Toronto or London (within 7 months).
    for _ in range(30):
        if notice.is_visible():
            break
        page.get_by_role("button", name="Next week").click()
        wait_for_week(page)
    expect(notice).to_contain_text(re.compile(r"Clocks change in (America/Toronto|Europe/London)"))


def test_empty_week_names_the_next_free_time(page, demo):
    from booking.models import TimeOff
    from coaching.models import Coach

    now = datetime.now(UTC)
    for coach in Coach.objects.all():  # everyone away for the next ten days
        TimeOff.objects.create(coach=coach, start=now, end=now + timedelta(days=10), reason="Away")
    log_in(page, APPLICANT)
    page.goto(f"/book/?service={SERVICE}")
    empty = page.locator("[data-next-free]")
    expect(empty).to_contain_text("No free times this week")
    expect(empty).to_contain_text(re.compile(r"The next free time is \w+day"))
    page.get_by_role("button", name="Show that week").click()
    expect(page.locator(".slot").first).to_be_visible()


def test_slot_picker_works_on_a_phone(phone_page, demo):
    page = phone_page
    log_in(page, APPLICANT)
    page.goto(f"/book/?service={SERVICE}")
    wait_for_week(page)
    page.get_by_role("button", name="Next week").click()
    wait_for_week(page)
    day = page.locator("details.slot-day[open]").first
    expect(day.locator(".slot").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    day.locator(".slot").first.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Book with 1 credit")).to_be_focused()
    assert serious_accessibility_violations(page) == []
