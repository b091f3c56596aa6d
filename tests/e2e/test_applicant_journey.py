"""Journeys 1 and 2: from a guidance page to a paid package, then booking with the credits."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.e2e.conftest import serious_accessibility_violations

pytestmark = pytest.mark.django_db(transaction=True)

GUIDANCE_PAGE = "/ontario-img/carms-entry-level-residency/"
NEW_APPLICANT = "ananya.rao@example.org"
PASSWORD = "Residency-2027-match"


def confirmation_link() -> str:
    """The email confirmation link from the last message sent."""
    body = mail.outbox[-1].body
    match = re.search(r"https?://\S+/accounts/confirm-email/\S+/", body)
    assert match, body
    return match.group(0)


def sign_up(page, *, email: str, name: str, zone: str) -> None:
    """On the sign-up form: fill it in, then confirm the address from the email."""
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Your name").fill(name)
    page.get_by_label("Time zone").select_option(zone)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Check your email")
    assert mail.outbox[-1].to == [email]

    page.goto(confirmation_link())
    page.get_by_role("button", name="Confirm my email address").click()


def test_visitor_reads_guidance_signs_up_buys_a_package_and_lands_on_the_dashboard(page, demo):
    from booking.models import Credit
    from payments.models import Order

    page.goto(GUIDANCE_PAGE)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert serious_accessibility_violations(page) == []

    block = page.locator(".package-block")
    block.get_by_role("link", name="Interview Ready", exact=True).click()
    expect(page).to_have_url(re.compile("/packages/interview-ready/$"))
    assert serious_accessibility_violations(page) == []

    # Buying needs an account: Buy is a link to log in (or create one), and comes back here after.
    page.get_by_role("link", name=re.compile("Buy now")).click()
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/packages/interview-ready/"))
    page.get_by_role("link", name="Create a free account").click()
    sign_up(page, email=NEW_APPLICANT, name="Ananya Rao", zone="Asia/Kolkata")
    expect(page).to_have_url(re.compile("/packages/interview-ready/$"))

    page.get_by_role("button", name=re.compile("Buy now")).click()
    expect(page).to_have_url(re.compile("/checkout/offline/"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Pay CA$")
    assert serious_accessibility_violations(page) == []
    page.get_by_role("button", name=re.compile(r"Pay .* \(test\)")).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you, your order is confirmed")
    order = Order.objects.get(buyer__email=NEW_APPLICANT)
    assert order.status == "paid"
    assert any(m.to == [NEW_APPLICANT] for m in mail.outbox if "confirm-email" not in m.body)

    page.get_by_role("link", name="Go to your dashboard and book").click()
    expect(page).to_have_url(re.compile("/dashboard/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ananya")
    expect(page.locator(".next-step")).to_contain_text("Next step: book your")
    credits = Credit.objects.filter(applicant__email=NEW_APPLICANT)
    assert credits.exists()
    section = page.locator("section", has=page.get_by_role("heading", name="Session credits"))
    for credit in credits.select_related("service"):
        expect(section).to_contain_text(credit.service.name)
    expect(
        page.locator("section", has=page.get_by_role("heading", name="Orders and receipts"))
    ).to_contain_text("Interview Ready")
    assert serious_accessibility_violations(page) == []

    # The first Book button opens the slot picker on that session
    section.get_by_role("link", name=re.compile("^Book")).first.click()
    expect(page).to_have_url(re.compile(r"/book/\?service=[\w-]+$"))
    expect(page.locator("input[name=service]:checked")).to_have_count(1)


def test_home_and_package_list_pass_the_accessibility_scan(page, demo):
    for path in ("/", "/packages/"):
        page.goto(path)
        assert serious_accessibility_violations(page) == [], path
