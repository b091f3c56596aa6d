"""Receipts: the success page, the order page and the receipt email (HTML and text) carry the
seller, the lines, the discount, the tax, the total, the payment time in the buyer's zone and
the order's id, all from one builder; refunds show once made."""

import re
from datetime import UTC, datetime

import pytest
import time_machine
from django.template.loader import render_to_string

from core.business import Business
from payments import services
from payments.receipts import receipt_for
from tests.payments.conftest import pay_package
from tests.payments.factories import OrderFactory

SELLER = Business(
    name="Maple Admissions Coaching Ltd.",
    address_lines=("1 Bay Street, Floor 12", "Toronto, ON  M5J 2T3"),
    tax_number="876543216 RT0001",
    email="accounts@maple.example",
    is_demo=False,
)
# 10:00 UTC is 15:30 in Kolkata, the buyer's zone.
PAID_AT = datetime(2027, 1, 15, 10, 0, tzinfo=UTC)

EXPECTED = [
    "Maple Admissions Coaching Ltd.",
    "1 Bay Street, Floor 12",
    "Toronto, ON  M5J 2T3",
    "GST/HST registration no. 876543216 RT0001",
    "accounts@maple.example",
    "Interview ready",  # the line
    "Quantity 1 × CA$345.00",  # quantity and unit price
    "code SPRING",  # the discount's promotion code
    "CA$45.00",  # the discount
    "HST (13%)",  # the tax's label (STRIPE_TAX_RATE_NAME), as on the checkout
    "CA$39.00",  # the tax: 13% of 300.00
    "CA$339.00",  # the total
    "Fri 15 Jan 2027, 15:30 (India)",  # paid, in the buyer's zone
]


@pytest.fixture
def paid(
    client, fake_stripe, buyer, package, settings, mailoutbox, django_capture_on_commit_callbacks
):
    """A paid order with a promotion code and HST, paid at PAID_AT; its receipt email sent."""
    settings.STRIPE_TAX_MODE = "rate"
    settings.BUSINESS = SELLER
    with time_machine.travel(PAID_AT, tick=False), django_capture_on_commit_callbacks(execute=True):
        order = pay_package(
            client, fake_stripe, buyer, package, discount=4500, promotion_code="SPRING"
        )
    return order


def text_of(html: str) -> str:
    """What a reader sees: tags dropped, runs of spaces as one."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def success_page(client, order):
    client.force_login(order.buyer)
    page = client.get(f"/checkout/success/?session_id={order.stripe_checkout_session_id}")
    assert page.status_code == 200
    return page.content.decode()


def order_page(client, order):
    client.force_login(order.buyer)
    page = client.get(order.get_absolute_url())
    assert page.status_code == 200
    return page.content.decode()


def email_html(mailoutbox):
    (receipt,) = [mail for mail in mailoutbox if "receipt" in mail.subject]
    return receipt.alternatives[0][0]


def email_text(mailoutbox):
    (receipt,) = [mail for mail in mailoutbox if "receipt" in mail.subject]
    return receipt.body


PLACES = {
    "success page": lambda client, order, mailoutbox: success_page(client, order),
    "order page": lambda client, order, mailoutbox: order_page(client, order),
    "email html": lambda client, order, mailoutbox: email_html(mailoutbox),
    "email text": lambda client, order, mailoutbox: email_text(mailoutbox),
}


@pytest.mark.django_db
@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("expected", EXPECTED)
def test_receipt_carries_each_field(client, paid, mailoutbox, place, expected):
    assert text_of(expected) in text_of(PLACES[place](client, paid, mailoutbox))


@pytest.mark.django_db
@pytest.mark.parametrize("place", PLACES)
def test_receipt_carries_the_orders_public_id_and_says_it_is_a_receipt(
    client, paid, mailoutbox, place
):
    text = PLACES[place](client, paid, mailoutbox)
    assert paid.public_id in text
    assert "Receipt" in text or "RECEIPT" in text
    assert "Total paid (CAD)" in text
    assert "Sample business details" not in text  # real details configured


@pytest.mark.django_db
def test_pages_and_email_read_the_same_receipt(client, paid, mailoutbox):
    receipt = receipt_for(paid)
    for text in (success_page(client, paid), order_page(client, paid), email_html(mailoutbox)):
        assert receipt.total in text and receipt.paid_on in text and receipt.discount in text


@pytest.mark.django_db
def test_payment_time_follows_the_buyers_zone(client, paid):
    paid.buyer.time_zone = "America/Vancouver"
    paid.buyer.save()
    assert "Fri 15 Jan 2027, 02:00 (Vancouver)" in order_page(client, paid)


@pytest.mark.django_db
def test_refunds_show_on_the_receipt_pages_and_in_the_refund_email(
    client, paid, mailoutbox, django_capture_on_commit_callbacks
):
    staff = paid.buyer.__class__.objects.create_user(
        email="staff@example.com", password="x", is_staff=True
    )
    with (
        time_machine.travel(datetime(2027, 1, 20, 12, 0, tzinfo=UTC), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.order_refund(
            order=paid,
            amount_cents=10000,
            reason="The second session was not needed",
            actor=staff,
            idempotency_token="receipt-test",
        )
    refund_mail = next(mail for mail in mailoutbox if mail.subject.startswith("Refund"))
    for text in (
        order_page(client, paid),
        refund_mail.body,
        refund_mail.alternatives[0][0],
    ):
        assert "20 Jan 2027: CA$100.00" in text
        assert "The second session was not needed" in text
        assert "Paid after refunds" in text and "CA$239.00" in text


@pytest.mark.django_db
def test_demo_business_details_are_marked_as_a_sample(client, settings):
    from django.conf import settings as django_settings

    assert django_settings.BUSINESS.is_demo  # the test run has no BUSINESS_* set
    order = OrderFactory(paid=True)
    html = order_page(client, order)
    assert "123456789 RT0001" in html
    assert "Sample business details: this is a demo site and sells nothing real." in html


@pytest.mark.django_db
def test_an_unpaid_order_shows_a_summary_not_a_receipt(client, settings):
    settings.BUSINESS = SELLER
    order = OrderFactory()
    html = order_page(client, order)
    assert "Order summary" in html
    assert "Total paid" not in html and ">Receipt<" not in html
    assert "Awaiting payment" in html


@pytest.mark.django_db
def test_every_amount_on_a_receipt_is_in_the_orders_currency():
    order = OrderFactory(
        paid=True,
        currency="USD",
        subtotal_cents=30000,
        tax_cents=3900,
        total_cents=33900,
        refunded_cents=1000,
        line__unit_price_cents=15000,
        line__quantity=2,
        line__name="Interview Ready",
    )
    text = render_to_string("emails/includes/receipt.txt", {"receipt": receipt_for(order)})
    assert "Interview Ready: US$300.00" in text
    assert "Quantity 2 × US$150.00" in text
    assert "Subtotal: US$300.00" in text
    assert "Tax: US$39.00" in text
    assert "Total paid (USD): US$339.00" in text
    assert "Refunded: -US$10.00" in text
    assert "CA$" not in text
