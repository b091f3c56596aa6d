"""The offline checkout a buyer can trust: a promotion code applied before paying shows the
discount and the new total on Pay, the tax line names Ontario HST, and the pages pass axe."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import log_in, serious_accessibility_violations

pytestmark = pytest.mark.django_db(transaction=True)

PACKAGE = "/packages/casper-ready/"  # CA$345.00 + HST


@pytest.fixture
def hst(settings):
    """The demo's configuration (bin/dev): Ontario HST at a fixed 13%."""
    settings.STRIPE_TAX_MODE = "rate"
    settings.STRIPE_TAX_RATE_ID = ""
    settings.STRIPE_TAX_RATE_PERCENT = "13"


def open_checkout(page) -> None:
    log_in(page, "applicant@example.com", next_path=PACKAGE)
    page.goto(PACKAGE)
    page.get_by_role("button", name=re.compile("Buy now")).first.click()
    expect(page).to_have_url(re.compile("/checkout/offline/"))


def total_row(page, label: str):
    return page.locator("tfoot tr", has=page.get_by_role("rowheader", name=label))


def test_a_promotion_code_is_applied_before_paying_and_the_total_shown_is_charged(page, demo, hst):
    from payments.models import Order

    open_checkout(page)
    pay = page.get_by_role("button", name=re.compile(r"^Pay .* \(test\)$"))
    expect(pay).to_have_text("Pay CA$389.85 (test)")
    expect(page.locator("[data-discount]")).to_have_count(0)

    page.get_by_label("Promotion code").fill("SPRING2026")
    page.get_by_role("button", name="Apply").click()
    expect(page.get_by_role("alert")).to_contain_text("The code SPRING2026 expired on 1 June 2026.")
    expect(pay).to_have_text("Pay CA$389.85 (test)")

    page.get_by_label("Promotion code").fill("welcome10")
    page.get_by_role("button", name="Apply").click()
    expect(total_row(page, "Discount (WELCOME10, 10% off)")).to_contain_text("-CA$34.50")
    expect(total_row(page, "HST (13%)")).to_contain_text("CA$40.37")
    expect(total_row(page, "Total due")).to_contain_text("CA$350.87")
    expect(pay).to_have_text("Pay CA$350.87 (test)")
    expect(page.get_by_role("heading", level=1)).to_have_text("Pay CA$350.87")
    assert serious_accessibility_violations(page) == []

    pay.click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you, your order is confirmed")
    order = Order.objects.filter(buyer__email="applicant@example.com").order_by("-id").first()
    assert (order.status, order.total_cents, order.discount_cents) == ("paid", 35087, 3450)


def test_the_offline_checkout_shows_the_hst_line_and_passes_axe_on_a_phone(
    page, phone_page, demo, hst
):
    open_checkout(page)
    expect(total_row(page, "HST (13%)")).to_contain_text("CA$44.85")
    expect(page.get_by_text("none configured")).to_have_count(0)
    expect(page.get_by_role("link", name="Refund policy").first).to_have_attribute(
        "href", "/refunds/"
    )
    assert serious_accessibility_violations(page) == []

    # The same page on a phone: the total and Pay are reachable, nothing sticks out sideways.
    phone_page.context.add_cookies(page.context.cookies())
    phone_page.goto(page.url)
    expect(phone_page.get_by_role("button", name="Pay CA$389.85 (test)")).to_be_visible()
    wider = phone_page.evaluate("document.documentElement.scrollWidth")
    assert wider <= 360
    assert serious_accessibility_violations(phone_page) == []


def test_the_policy_pages_pass_axe_and_are_linked_from_the_footer(page, demo):
    page.goto("/")
    footer = page.locator("footer")
    footer.get_by_role("link", name="Refund policy").click()
    expect(page).to_have_url(re.compile("/refunds/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Refund policy")
    expect(page.get_by_text(re.compile("^Last updated"))).to_be_visible()
    assert serious_accessibility_violations(page) == []
    for path in ("/terms/", "/privacy/"):
        page.goto(path)
        assert serious_accessibility_violations(page) == [], path
