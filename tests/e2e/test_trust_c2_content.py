"""Log-in from Buy says why, search across the catalogue, the glossary: in Chromium, with axe."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import serious_accessibility_violations

pytestmark = pytest.mark.django_db(transaction=True)

PACKAGE = "/packages/casper-ready/"


def test_a_visitor_who_presses_buy_is_told_why_and_offered_sign_up_first(page, demo):
    page.goto(PACKAGE)
    # A link to the log-in page for visitors (a form for buyers who are logged in).
    page.locator(".buy-form a:visible, .buy-form button:visible").first.click()

    expect(page).to_have_url(re.compile(r"/accounts/login/\?.*reason=buy"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Create a free account or log in to buy this package"
    )
    expect(page.get_by_text("Welcome back")).to_have_count(0)
    sign_up = page.get_by_role("link", name="Create a free account")
    password = page.get_by_label("Password")
    assert sign_up.bounding_box()["y"] < password.bounding_box()["y"]
    assert serious_accessibility_violations(page) == []

    sign_up.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Create a free account to buy this package"
    )
    assert "next=%2Fpackages%2Fcasper-ready%2F" in page.url and "reason=buy" in page.url
    page.get_by_role("link", name="Log in", exact=True).last.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Create a free account or log in to buy this package"
    )


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        (
            "/accounts/login/?next=/book/&reason=book",
            "Create a free account or log in to book this time",
        ),
        ("/accounts/signup/?next=/book/&reason=book", "Create a free account to book this time"),
        ("/search/?q=interview", "Search MedPath"),
        ("/glossary/", "Glossary"),
    ],
)
def test_login_search_and_glossary_pages_pass_axe_and_fit_a_phone(
    page, phone_page, demo, path, heading
):
    for browser_page in (page, phone_page):
        browser_page.goto(path)
        expect(browser_page.get_by_role("heading", level=1)).to_have_text(heading)
        assert browser_page.evaluate(
            "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
        )
    assert serious_accessibility_violations(page) == []
    assert serious_accessibility_violations(phone_page) == []


def test_search_lists_packages_sessions_coaches_and_guidance_by_kind(page, demo):
    page.goto("/search/?q=interview")

    for kind in ["Packages", "Sessions and reviews", "Coaches", "Guidance"]:
        heading = page.locator("main").get_by_role("heading", level=2, name=re.compile(f"^{kind}"))
        expect(heading).to_be_visible()
    page.get_by_role("link", name="Interview Ready").first.click()
    expect(page).to_have_url(re.compile("/packages/interview-ready/$"))


def test_the_glossary_explains_each_term_and_pages_explain_them_where_first_used(page, demo):
    page.goto("/glossary/#section-mmi")
    expect(page.locator("#section-mmi")).to_be_in_viewport()
    expect(page.get_by_text("Multiple mini interview.")).to_be_visible()

    page.goto("/packages/")
    # Explained in the cards' own text where first used (a term in a card's heading is not).
    expect(page.locator(".package-card__summary .term-note").first).to_be_visible()
    expect(page.locator(".package-card__name .term-note")).to_have_count(0)
    expect(page.locator(".term-note", has_text="ABS: autobiographical sketch")).to_have_count(1)
