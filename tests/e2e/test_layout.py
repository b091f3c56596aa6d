"""The header at desktop and phone widths: one tidy row, or a menu behind a toggle."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def box(locator) -> dict:
    return locator.bounding_box()


@pytest.mark.parametrize("width", [1024, 1280])
def test_desktop_header_is_one_row(page, demo, width):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto("/")
    header = page.locator(".site-header__inner")
    brand = box(page.locator(".brand"))
    first_link = box(page.locator(".nav--primary a").first)
    sign_up = box(page.get_by_role("link", name="Sign up"))
    assert box(header)["height"] < 80
    for other in (first_link, sign_up):
        assert abs(other["y"] + other["height"] / 2 - (brand["y"] + brand["height"] / 2)) < 8
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()


def test_phone_menu_opens_and_closes_by_keyboard(phone_page, demo):
    page = phone_page
    page.goto("/")
    toggle = page.get_by_role("button", name="Menu")
    nav = page.get_by_role("navigation", name="Main")
    expect(nav).to_be_hidden()
    toggle.focus()
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(nav.get_by_role("link", name="Packages")).to_be_visible()
    expect(nav.get_by_role("link", name="Sign up")).to_be_visible()
    page.keyboard.press("Escape")
    expect(nav).to_be_hidden()
    expect(toggle).to_be_focused()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
