"""Reads of orders that pages share: the buyer's order list (orders page and dashboard), and
the credits and bookings an order paid for (order page, staff's order page, full refunds)."""

from __future__ import annotations

from django.db.models import QuerySet

from booking.models import Booking, Credit
from payments.models import Order, OrderStatus


def orders_for(buyer, *, include_expired: bool = True) -> QuerySet[Order]:
    """The buyer's orders, newest first, with what a list row shows (lines, refunds) prefetched,
    so a list costs the same few queries however long it is. Failed checkouts never show;
    expired ones (a checkout left unpaid) only where `include_expired`."""
    hidden = [OrderStatus.FAILED] if include_expired else [OrderStatus.FAILED, OrderStatus.EXPIRED]
    return (
        Order.objects.for_buyer(buyer)
        .exclude(status__in=hidden)
        .prefetch_related("lines", "refunds")
    )


def _credit_sources(order: Order) -> list[str]:
    return [source for line in order.lines.all() for source in line.credit_sources()]


def order_credits(order: Order) -> list[Credit]:
    """The credits the order's package lines granted (used, unused or revoked)."""
    return list(Credit.objects.filter(source__in=_credit_sources(order)).select_related("service"))


def order_bookings(order: Order) -> list[Booking]:
    """Sessions the order paid for: booked with its credits, or held/booked by its session lines."""
    bookings = Booking.objects.filter(
        credit__source__in=_credit_sources(order)
    ) | Booking.objects.filter(order_lines__order=order)
    return list(bookings.distinct().select_related("service", "coach").order_by("start"))
