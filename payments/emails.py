"""Payments' emails (receipt, refund notice, lost-slot refund), sent through the project's one
email module. Each is rendered now and delivered after the surrounding transaction commits."""

from __future__ import annotations

from core.emails import send_to_person
from payments.receipts import receipt_for


def _context(order, **extra):
    return {
        "order": order,
        "receipt": receipt_for(order),
        "lines": list(order.lines.all()),
        "recipient": order.buyer,
        "order_url": order.get_absolute_url(),
        **extra,
    }


def _to_buyer(order, *, subject: str, template: str, **extra) -> None:
    send_to_person(
        order.buyer, subject=subject, template=template, context=_context(order, **extra)
    )


def queue_receipt(order) -> None:
    _to_buyer(
        order, subject=f"Your MedPath receipt ({order.reference})", template="payments/receipt"
    )


def queue_refund_notice(order) -> None:
    subject = f"Refund on your MedPath order {order.reference}"
    _to_buyer(order, subject=subject, template="payments/refund")


def queue_slot_lost(order, refund) -> None:
    subject = f"Your session time was taken: full refund ({order.reference})"
    _to_buyer(order, subject=subject, template="payments/slot_lost", refund=refund)
