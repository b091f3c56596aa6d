import pytest

from tests.e2e.conftest import serious_accessibility_violations

pytestmark = pytest.mark.django_db(transaction=True)


def test_unknown_address_shows_the_site_404_page(page):
    response = page.goto("/no-such-page/")
    assert response.status == 404
    assert "We couldn’t find that page" in page.content()
    assert serious_accessibility_violations(page) == []


def test_login_page_works_by_keyboard_and_passes_the_accessibility_scan(page):
    page.goto("/accounts/login/")
    assert page.locator("h1").first.is_visible()
    page.keyboard.press("Tab")  # the skip link comes first
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to content"
    assert serious_accessibility_violations(page) == []
