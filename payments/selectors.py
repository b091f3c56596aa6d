"""Reads of orders that pages share: the buyer's order list (orders page and dashboard), the
credits and bookings an order paid for (order page, staff's order page, full refunds), and
what a full refund would take back (the staff's refund confirmation)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone

from booking.models import Booking, BookingStatus, Credit
from coaching.models import PerkKind
from members.models import Entitlement
from payments.models import Order, OrderStatus
from reviews.selectors import unclaimed_for_credit_sources


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


def order_entitlements(order: Order) -> list[Entitlement]:
    """The membership perks the order's package lines granted (on, lapsed or ended early)."""
    sources = [source for line in order.lines.all() for source in line.entitlement_sources()]
    return list(Entitlement.objects.filter(source__in=sources).order_by("perk", "pk"))


def order_bookings(order: Order) -> list[Booking]:
    """Sessions the order paid for: booked with its credits, or held/booked by its session lines."""
    bookings = Booking.objects.filter(
        credit__source__in=_credit_sources(order)
    ) | Booking.objects.filter(order_lines__order=order)
    return list(bookings.distinct().select_related("service", "coach").order_by("start"))


def order_upcoming_bookings(order: Order, *, now: datetime | None = None) -> list[Booking]:
    """Confirmed sessions the order paid for that have not started: what a full refund cancels."""
    now = now or timezone.now()
    return [
        booking
        for booking in order_bookings(order)
        if booking.status == BookingStatus.CONFIRMED and booking.start > now
    ]


@dataclass(frozen=True)
class FullRefundEffects:
    """What refunding the rest of an order takes back besides the money (`_take_back_goods`)."""

    upcoming_bookings: list[Booking]
    unused_credits: list[Credit]
    perks: list[Entitlement]  # running now; a full refund ends them
    unclaimed_reviews: int
    ends_webinars: bool
    ends_practice: bool


def order_full_refund_effects(order: Order, *, now: datetime | None = None) -> FullRefundEffects:
    """What a full refund of `order` would do now, for staff to read before they confirm it.

    Reads only: the confirmed sessions it would cancel, the credits still usable that it would
    withdraw (`Credit.objects.usable`, booking's one definition), the perks not ended yet that
    it would end (`Entitlement.objects.not_ended`, members' one definition), how many unclaimed
    reviews it would withdraw, and whether webinars and practice lose their perk.
    """
    now = now or timezone.now()
    lines = list(order.lines.all())
    perks = list(
        Entitlement.objects.filter(
            source__in=[source for line in lines for source in line.entitlement_sources()]
        )
        .not_ended(at=now)
        .order_by("perk")
    )
    kinds = {row.perk for row in perks}
    return FullRefundEffects(
        upcoming_bookings=order_upcoming_bookings(order, now=now),
        unused_credits=list(
            Credit.objects.usable(now)
            .filter(source__in=_credit_sources(order))
            .select_related("service")
        ),
        perks=perks,
        unclaimed_reviews=unclaimed_for_credit_sources(_credit_sources(order)).count(),
        ends_webinars=PerkKind.WEBINARS in kinds,
        ends_practice=PerkKind.PRACTICE_TESTS in kinds,
    )
