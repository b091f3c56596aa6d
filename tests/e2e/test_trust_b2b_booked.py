"""After booking: "You're booked" with both zones and add-to-calendar; cancelling asks first and
says what comes back. Booked through the API with a demo credit, looked at on a laptop and on a
360 px phone, with an accessibility scan of both pages."""

import re
from datetime import UTC, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from core.timezones import format_when
from tests.e2e.conftest import log_in, serious_accessibility_violations

pytestmark = pytest.mark.django_db(transaction=True)

APPLICANT = "applicant@example.com"
SERVICE = "mock-interview-mmi"
KOLKATA = ZoneInfo("Asia/Kolkata")
TORONTO = ZoneInfo("America/Toronto")


def book_with_credit_through_the_api(page) -> str:
    """The first free time with Priya (Toronto) a few days ahead; returns the booking's id."""
    from booking.slots import find_slots
    from coaching.models import Coach, Service

    coach = Coach.objects.select_related("schedule").get(slug="priya-raman")
    now = timezone.now()
    slot = find_slots(
        service=Service.objects.get(slug=SERVICE),
        coaches=[coach],
        start=now + timedelta(days=3),
        end=now + timedelta(days=14),
    )[0]
    csrf = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    response = page.request.post(
        "/api/v1/bookings",
        data={"service": SERVICE, "coach": coach.slug, "start": slot.start.isoformat()},
        headers={"X-CSRFToken": csrf, "Referer": page.url},
    )
    assert response.status == 201, response.text()
    return response.json()["id"]


def credits_left() -> int:
    from booking.models import Credit

    return sum(
        Credit.objects.filter(applicant__email=APPLICANT, service__slug=SERVICE).values_list(
            "remaining", flat=True
        )
    )


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_booked_page_shows_both_zones_and_add_to_calendar_and_cancel_asks_first(page, demo):
    from booking.models import Booking

    log_in(page, APPLICANT)
    before = credits_left()
    public_id = book_with_credit_through_the_api(page)
    booking = Booking.objects.get(public_id=public_id)
    assert credits_left() == before - 1

    page.goto(f"/book/bookings/{public_id}/?booked=1")
    expect(page.get_by_role("heading", level=1)).to_have_text("You're booked")
    facts = page.locator(".booking-facts")
    # Both times in the one format every page uses (`core.timezones.format_when`).
    expect(facts).to_contain_text(format_when(booking.start, zone=KOLKATA))
    expect(facts).to_contain_text("India (Kolkata)")
    expect(facts).to_contain_text(format_when(booking.start, zone=TORONTO))
    expect(facts).to_contain_text("(Toronto)")
    expect(facts).to_contain_text("Free to change until")
    expect(page.locator("[data-meeting-link]")).to_have_attribute(
        "href", re.compile(r"^https://video\.medpath\.test/medpath-[a-z0-9]{20}$")
    )
    start = booking.start.astimezone(UTC)
    end = booking.end.astimezone(UTC)
    expect(page.locator('[data-calendar="google"]')).to_have_attribute(
        "href", re.compile(re.escape(f"dates={start:%Y%m%dT%H%M%SZ}%2F{end:%Y%m%dT%H%M%SZ}"))
    )
    expect(page.locator('[data-calendar="outlook"]')).to_have_attribute(
        "href", re.compile(re.escape(f"startdt={start:%Y-%m-%dT%H%%3A%M%%3A%SZ}"))
    )
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("Download \\(.ics\\)")).click()
    ics = Path(download_info.value.path()).read_text()
    assert f"DTSTART:{start:%Y%m%dT%H%M%SZ}" in ics
    assert f"UID:{booking.uid}" in ics
    assert serious_accessibility_violations(page) == []
    page.set_viewport_size({"width": 360, "height": 740})
    assert fits_the_screen(page)
    assert page.evaluate(
        "[...document.querySelectorAll('.add-to-calendar a')]"
        ".every(a => a.getBoundingClientRect().right <= window.innerWidth)"
    )
    page.set_viewport_size({"width": 1280, "height": 900})

    # Cancel: a confirmation page first, which says the credit comes back; nothing changes yet.
    page.get_by_role("link", name="Cancel this session").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cancel this session?")
    expect(page.locator("[data-gives-back]")).to_contain_text("Cancelling now returns your credit.")
    booking.refresh_from_db()
    assert booking.status == "confirmed" and credits_left() == before - 1
    assert serious_accessibility_violations(page) == []
    page.set_viewport_size({"width": 360, "height": 740})
    assert fits_the_screen(page)
    expect(page.get_by_role("button", name="Yes, cancel the session")).to_be_visible()

    page.get_by_label("Reason (optional)").fill("My exam date moved.")
    page.get_by_role("button", name="Yes, cancel the session").click()
    expect(page).to_have_url(re.compile(f"/book/bookings/{public_id}/$"))
    expect(page.locator(".messages")).to_contain_text("Your session is cancelled")
    booking.refresh_from_db()
    assert booking.status == "cancelled" and credits_left() == before


def test_dashboard_cancel_leads_to_the_confirmation_and_keep_changes_nothing(page, demo):
    from booking.models import Booking

    log_in(page, APPLICANT)
    public_id = book_with_credit_through_the_api(page)
    page.goto("/dashboard/")
    page.locator(f"#session-{public_id}").get_by_role("link", name=re.compile("^Cancel")).click()
    expect(page).to_have_url(re.compile(f"/book/bookings/{public_id}/cancel/$"))
    page.get_by_role("link", name="Keep my session").click()
    expect(page).to_have_url(re.compile(f"/book/bookings/{public_id}/$"))
    assert Booking.objects.get(public_id=public_id).status == "confirmed"
