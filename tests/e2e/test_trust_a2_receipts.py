"""Receipts on a phone and on paper, and the staff's refund confirmation (issue 10, slice a2).

The demo applicant has one paid order (payments/demo.py): its success page and order page show
the receipt; staff refund it from the Wagtail admin through the confirmation step.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import log_in, serious_accessibility_violations

pytestmark = pytest.mark.django_db(transaction=True)

APPLICANT = "applicant@example.com"


def demo_order():
    from payments.models import Order

    return Order.objects.get(buyer__email=APPLICANT)


def receipt_pages(order) -> list[str]:
    return [
        order.get_absolute_url(),
        f"/checkout/success/?session_id={order.stripe_checkout_session_id}",
    ]


def elements_wider_than_the_viewport(page) -> list[str]:
    return page.evaluate(
        """() => [...document.querySelectorAll("body *")]
            .filter((element) => {
                const box = element.getBoundingClientRect();
                return box.width > 0 && (box.right > window.innerWidth + 0.5 || box.left < -0.5);
            })
            .map((element) => element.tagName + "." + element.className)"""
    )


def test_receipt_total_is_visible_at_360_px_with_nothing_wider_than_the_screen(phone_page, demo):
    order = demo_order()
    log_in(phone_page, APPLICANT)
    for path in receipt_pages(order):
        phone_page.goto(path)
        total = phone_page.locator("[data-receipt-total]")
        expect(total).to_have_text(order.money(order.total_cents))
        total.scroll_into_view_if_needed()
        expect(total).to_be_in_viewport()
        box = total.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 360, (path, box)
        assert elements_wider_than_the_viewport(phone_page) == [], path
        assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360, path
        assert serious_accessibility_violations(phone_page) == [], path


def test_receipt_page_passes_axe_and_prints_on_one_page_without_the_sites_chrome(page, demo):
    order = demo_order()
    log_in(page, APPLICANT)
    for path in receipt_pages(order):
        page.goto(path)
        receipt = page.locator(".receipt")
        expect(receipt).to_contain_text("GST/HST registration no. 123456789 RT0001")
        expect(receipt).to_contain_text(order.public_id)
        expect(page.get_by_role("button", name="Print receipt")).to_be_visible()
        assert serious_accessibility_violations(page) == [], path

        page.emulate_media(media="print")
        expect(page.locator(".site-header")).to_be_hidden()
        expect(page.locator(".site-footer")).to_be_hidden()
        expect(page.get_by_role("button", name="Print receipt")).to_be_hidden()
        expect(receipt).to_be_visible()
        assert page.evaluate("getComputedStyle(document.body).color") == "rgb(0, 0, 0)"
        pdf = page.pdf(format="A4")
        pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
        assert pages == 1, (path, pages)
        page.emulate_media(media="screen")


def test_staff_confirm_a_full_refund_after_reading_what_it_takes_back(page, demo):
    order = demo_order()
    log_in(page, "staff@example.com")
    page.goto(f"/admin/orders/inspect/{order.pk}/")
    page.get_by_label("Reason").fill("The applicant withdrew their application")
    page.get_by_role("button", name="Review the refund").click()

    amount = order.money(order.total_cents)
    expect(page.get_by_role("heading", name=f"Confirm the refund of {amount}")).to_be_visible()
    expect(page.get_by_text("This is a full refund")).to_be_visible()
    expect(page.get_by_text("Withdraws its unused credits")).to_be_visible()
    expect(page.get_by_text("Ends the membership perks it included")).to_be_visible()
    assert serious_accessibility_violations(page) == []
    order.refresh_from_db()
    assert order.refunded_cents == 0  # nothing until confirmed

    page.get_by_role("button", name=f"Yes, refund {amount} in full").click()
    expect(page.get_by_text(f"Refunded {amount} on order {order.reference}.")).to_be_visible()
    order.refresh_from_db()
    assert (order.status, order.refunded_cents) == ("refunded", order.total_cents)
