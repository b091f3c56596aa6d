"""People and roles, in Chromium: a coach lands in their area with a Coach item in the header,
adds rows to their availability without saving first, and every coach page fits a phone and
passes axe; coach portraits and testimonials show on the public pages."""

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from playwright.sync_api import expect

from booking.models import WeeklyHours
from coaching.models import Coach
from tests.e2e.conftest import log_in, serious_accessibility_violations

pytestmark = pytest.mark.django_db(transaction=True)

PRIYA = "coach.toronto@example.com"

# Elements whose right edge passes the viewport's (ignoring what is hidden or clipped on purpose).
WIDER_THAN_VIEWPORT = """() => {
  const width = document.documentElement.clientWidth;
  return [...document.querySelectorAll("body *")]
    .filter((el) => el.getClientRects().length && !el.closest(".visually-hidden, template"))
    .filter((el) => el.getBoundingClientRect().right > width + 1)
    .map((el) => el.tagName.toLowerCase() + (el.className ? "." + el.className : ""));
}"""


def header_coach_item(page):
    return page.get_by_role("navigation", name="Main").get_by_role("link", name="Coach", exact=True)


def test_a_coach_logs_in_and_lands_on_the_coach_area_with_a_coach_header_item(page, demo):
    log_in(page, PRIYA)

    expect(page).to_have_url("/coach/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your sessions")
    expect(header_coach_item(page)).to_have_attribute("aria-current", "page")

    page.goto("/packages/")
    expect(header_coach_item(page)).to_be_visible()
    header_coach_item(page).click()
    expect(page).to_have_url("/coach/")


def test_an_applicant_has_no_coach_header_item(page, demo):
    log_in(page, "applicant@example.com")

    expect(page).to_have_url("/dashboard/")
    expect(header_coach_item(page)).to_have_count(0)


def test_add_row_gives_a_new_weekly_range_that_saves_in_24_hour_time(page, demo):
    coach = Coach.objects.get(user__email=PRIYA)
    before = WeeklyHours.objects.filter(coach=coach).count()
    log_in(page, PRIYA, next_path="/coach/availability/")
    weekly = page.locator("[data-formset='weekly']")
    rows = weekly.locator("tbody tr")
    shown = rows.count()
    expect(page.get_by_text("Need more rows? Save")).to_be_hidden()  # the button replaces it

    weekly.get_by_role("button", name="Add a range").click()

    expect(rows).to_have_count(shown + 1)
    new_row = rows.last
    expect(new_row.locator("select")).to_be_focused()
    expect(new_row.get_by_label(f"Start, row {shown + 1}", exact=True)).to_have_attribute(
        "placeholder", "HH:MM"
    )
    new_row.locator("select").select_option(label="Sunday")
    new_row.get_by_label(f"Start, row {shown + 1}", exact=True).fill("18:30")
    new_row.get_by_label(f"End, row {shown + 1}", exact=True).fill("20:00")
    page.get_by_role("button", name="Save availability").click()

    expect(page.locator(".messages")).to_contain_text("Your availability is saved")
    hours = WeeklyHours.objects.filter(coach=coach)
    assert hours.count() == before + 1
    assert hours.filter(weekday=6, start_time="18:30", end_time="20:00").exists()
    expect(page.locator("[data-formset='weekly'] input[value='18:30']")).to_have_count(1)


def test_add_row_stops_at_the_most_rows_a_list_takes(page, demo):
    log_in(page, PRIYA, next_path="/coach/availability/")
    time_off = page.locator("[data-formset='timeoff']")
    most = int(page.locator("input[name='timeoff-MAX_NUM_FORMS']").input_value())
    button = time_off.get_by_role("button", name="Add time off")

    while button.is_enabled():
        button.click()

    expect(time_off.locator("tbody tr")).to_have_count(most)
    expect(time_off.get_by_role("status")).to_contain_text(f"({most})")
    assert page.locator("input[name='timeoff-TOTAL_FORMS']").input_value() == str(most)


def test_availability_fits_a_phone_and_its_rows_are_cards(browser, live_server, demo):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 360, "height": 740})
    page = context.new_page()
    log_in(page, PRIYA, next_path="/coach/availability/")
    page.locator("[data-formset='weekly']").get_by_role("button", name="Add a range").click()

    assert page.evaluate(WIDER_THAN_VIEWPORT) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    first_row = page.locator("[data-formset='weekly'] tbody tr").first
    assert first_row.evaluate("row => getComputedStyle(row).display") == "grid"
    expect(page.locator("[data-formset='weekly'] thead")).to_be_hidden()
    assert serious_accessibility_violations(page) == []
    context.close()


def test_availability_is_a_table_at_desktop_width_and_nothing_overflows(page, demo):
    log_in(page, PRIYA, next_path="/coach/availability/")

    assert page.evaluate(WIDER_THAN_VIEWPORT) == []
    expect(page.locator("[data-formset='weekly'] thead")).to_be_visible()
    for prefix in ("weekly", "overrides", "timeoff"):
        formset = page.locator(f"[data-formset='{prefix}']")
        table = formset.locator("table").bounding_box()
        outer = formset.bounding_box()
        assert table["x"] + table["width"] <= outer["x"] + outer["width"] + 1, prefix
    assert serious_accessibility_violations(page) == []


@pytest.mark.parametrize("width", [1280, 360])
def test_coach_pages_show_portraits_credentials_and_languages_and_pass_axe(
    browser, live_server, demo, width
):
    context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": 800})
    page = context.new_page()
    for path in ("/coaches/", "/coaches/priya-raman/", "/packages/residency-application-imgs/"):
        page.goto(path)
        portraits = page.locator("img.avatar")
        expect(portraits.first).to_be_visible()
        # Never a broken image: each portrait is a rendition stored like any upload (the test
        # server does not serve media; the web server or the bucket does).
        for src in portraits.evaluate_all("imgs => imgs.map(img => img.getAttribute('src'))"):
            assert src.startswith(settings.MEDIA_URL), src
            assert default_storage.exists(src.removeprefix(settings.MEDIA_URL)), src
        expect(page.locator(".coach-credentials").first).to_be_visible()
        expect(page.locator(".coach-languages").first).to_contain_text("Sessions in English")
        assert page.evaluate(WIDER_THAN_VIEWPORT) == [], path
        assert serious_accessibility_violations(page) == [], path
    context.close()


def test_coach_area_passes_axe(page, demo):
    log_in(page, PRIYA)

    assert serious_accessibility_violations(page) == []


def test_home_and_package_pages_carry_testimonials_with_invented_names(page, demo):
    page.goto("/")
    home = page.get_by_role("region", name="What applicants say")
    expect(home.locator("figure")).to_have_count(3)
    expect(home).to_contain_text("invented name")
    assert serious_accessibility_violations(page) == []

    page.goto("/packages/residency-application-imgs/")
    quotes = page.get_by_role("region", name="What applicants say").locator("figure")
    expect(quotes.first).to_contain_text("IMG applicant, 2025 CaRMS")
