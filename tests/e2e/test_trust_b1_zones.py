"""Time zones in the browser: sign-up preselects the device's zone; the dashboard and /book/
say when the device's zone differs from the profile's and switch it in one click.

Chromium runs with Playwright's `timezone_id`, the zone the page's `Intl` reports.
"""

import pytest
from playwright.sync_api import expect

from medpath.accounts.models import User
from tests.accounts.factories import UserFactory
from tests.e2e.conftest import log_in, serious_accessibility_violations

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def device_in(browser, live_server):
    """A page factory: a browser whose device zone (and window width) is the one asked for."""
    contexts = []

    def open_page(zone: str, width: int = 1280):
        context = browser.new_context(
            base_url=live_server.url,
            timezone_id=zone,
            viewport={"width": width, "height": 900 if width > 600 else 740},
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize(
    ("device_zone", "label"),
    [
        # Chromium reports Kolkata by its old name, Asia/Calcutta: the list has the current one.
        ("Asia/Kolkata", "India (Kolkata) · GMT+5:30"),
        ("Asia/Kathmandu", "Nepal (Kathmandu) · GMT+5:45"),
    ],
)
def test_signup_preselects_the_zone_the_device_reports(
    device_in, transactional_db, device_zone, label
):
    page = device_in(device_zone)
    page.goto("/accounts/signup/")

    select = page.get_by_label("Time zone")
    expect(select).to_have_value(device_zone)
    expect(page.locator(".tz-suggest")).to_contain_text(f"{label} is your device’s time zone.")
    assert serious_accessibility_violations(page) == []

    page.get_by_label("Email address").fill("new.applicant@example.com")
    page.get_by_label("Password", exact=True).fill("a-long-Unusual-passphrase-7")
    page.get_by_label("Password (again)").fill("a-long-Unusual-passphrase-7")
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url("**/accounts/confirm-email/")
    assert User.objects.get(email="new.applicant@example.com").time_zone == device_zone


def test_signup_fits_a_phone(device_in, transactional_db):
    page = device_in("Asia/Kolkata", width=360)
    page.goto("/accounts/signup/")
    expect(page.get_by_label("Time zone")).to_have_value("Asia/Kolkata")
    assert no_sideways_scroll(page)


def open_with_notice(page, user, path: str, device_label: str):
    """Log in, open `path` and return the zone notice, seen naming the device's zone."""
    log_in(page, user.email, next_path=path)
    notice = page.locator("[data-zone-mismatch]")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text(f"Your device is set to {device_label}")
    return notice


def test_dashboard_says_the_device_zone_differs_and_switches_in_one_click(
    device_in, transactional_db
):
    user = UserFactory(time_zone="America/Toronto", verified=True)
    page = device_in("Asia/Kolkata")
    notice = open_with_notice(page, user, "/dashboard/", "India (Kolkata) · GMT+5:30")
    expect(notice).to_contain_text("Canada (Toronto)")
    assert serious_accessibility_violations(page) == []

    notice.get_by_role("button", name="Use India (Kolkata)").click()

    page.wait_for_url("**/dashboard/")
    expect(page.locator(".messages")).to_contain_text("Times are now shown in India (Kolkata)")
    expect(page.locator("[data-zone-mismatch]")).to_be_hidden()
    expect(page.locator(".dashboard-header")).to_contain_text("India (Kolkata) · GMT+5:30")
    user.refresh_from_db()
    assert user.time_zone == "Asia/Kolkata"


def test_book_page_carries_the_same_notice(device_in, transactional_db):
    user = UserFactory(time_zone="Europe/London", verified=True)
    page = device_in("Asia/Kathmandu")
    notice = open_with_notice(page, user, "/book/", "Nepal (Kathmandu) · GMT+5:45")

    notice.get_by_role("button", name="Use Nepal (Kathmandu)").click()

    page.wait_for_url("**/book/")
    user.refresh_from_db()
    assert user.time_zone == "Asia/Kathmandu"


def test_no_notice_when_device_and_profile_show_the_same_times(device_in, transactional_db):
    user = UserFactory(time_zone="Asia/Kolkata", verified=True)
    page = device_in("Asia/Kolkata")
    log_in(page, user.email, next_path="/dashboard/")
    page.wait_for_load_state("networkidle")

    expect(page.locator("[data-zone-mismatch]")).to_be_hidden()


def test_keeping_the_profile_zone_hides_the_notice_for_good(device_in, transactional_db):
    user = UserFactory(time_zone="America/Toronto", verified=True)
    page = device_in("Asia/Kolkata", width=360)
    notice = open_with_notice(page, user, "/dashboard/", "India (Kolkata) · GMT+5:30")
    assert no_sideways_scroll(page)

    notice.get_by_role("button", name="Keep Canada (Toronto)").click()
    expect(notice).to_be_hidden()
    page.reload()
    page.wait_for_load_state("networkidle")

    expect(page.locator("[data-zone-mismatch]")).to_be_hidden()
    user.refresh_from_db()
    assert user.time_zone == "America/Toronto"
