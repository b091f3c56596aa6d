"""What a receipt says, built once for every place that shows one: the success page, the order
page (`templates/payments/includes/receipt.html`) and the receipt and refund emails
(`templates/emails/includes/receipt.*`).

Amounts and times are written out here, in the buyer's currency and time zone, so a page and an
email about the same order read the same whoever renders them and in whatever zone.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from core.business import Business
from core.timezones import format_on_record
from payments.models import Order, RefundStatus, TaxMode
from payments.tax import tax_label


@dataclass(frozen=True)
class ReceiptLine:
    name: str
    includes: str  # what a package line contains: "2 × Mock interview, 1 × CASPer preparation"
    quantity: int
    unit_price: str
    amount: str


@dataclass(frozen=True)
class ReceiptRefund:
    date: str
    amount: str
    status: str
    reason: str


@dataclass(frozen=True)
class Receipt:
    """An order as its receipt shows it: seller, buyer, lines, totals, payment and refunds."""

    business: Business
    order_id: str  # the full public id (the order page's URL)
    reference: str
    is_paid: bool
    status: str
    buyer_name: str
    buyer_email: str
    paid_on: str  # in the buyer's zone, with the year and the zone's name; "" until paid
    lines: list[ReceiptLine]
    subtotal: str
    discount: str  # "" without a discount
    promotion_code: str
    tax_label: str
    tax: str
    total: str
    currency: str
    refunds: list[ReceiptRefund]
    refunded: str  # "" when nothing was refunded
    net_paid: str  # what the buyer paid after refunds ("" when nothing was refunded)


def business() -> Business:
    """The seller printed on receipts (`BUSINESS_*` settings, `core/business.py`)."""
    return settings.BUSINESS


def _includes(line) -> str:
    return ", ".join(f"{item['quantity']} × {item['service_name']}" for item in line.entitlements)


def _tax_label(order: Order) -> str:
    if order.tax_mode == TaxMode.AUTOMATIC and not order.is_paid:
        return f"{tax_label(order.tax_mode)} (calculated at checkout)"
    return tax_label(order.tax_mode)


def receipt_for(order: Order) -> Receipt:
    """The receipt of `order` (lines and refunds read once each; prefetched ones are reused)."""
    zone = order.buyer.time_zone
    money = order.money
    refunds = [
        ReceiptRefund(
            date=format_on_record(refund.created_at, zone, time=False),
            amount=money(refund.amount_cents),
            status="" if refund.status == RefundStatus.SUCCEEDED else refund.get_status_display(),
            reason=refund.reason,
        )
        for refund in order.refunds.all()
    ]
    return Receipt(
        business=business(),
        order_id=order.public_id,
        reference=order.reference,
        is_paid=order.is_paid,
        status=order.get_status_display(),
        buyer_name=str(order.buyer),
        buyer_email=order.buyer.email,
        paid_on=format_on_record(order.paid_at, zone) if order.paid_at else "",
        lines=[
            ReceiptLine(
                name=line.name,
                includes=_includes(line),
                quantity=line.quantity,
                unit_price=money(line.unit_price_cents),
                amount=money(line.total_cents),
            )
            for line in order.lines.all()
        ],
        subtotal=money(order.subtotal_cents),
        discount=money(order.discount_cents) if order.discount_cents else "",
        promotion_code=order.promotion_code,
        tax_label=_tax_label(order),
        tax=money(order.tax_cents),
        total=money(order.total_cents),
        currency=order.currency,
        refunds=refunds,
        refunded=money(order.refunded_cents) if order.refunded_cents else "",
        net_paid=money(order.total_cents - order.refunded_cents) if order.refunded_cents else "",
    )
