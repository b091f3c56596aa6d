"""Every write in payments: placing orders, starting checkout, fulfilment, expiry, refunds.

Stripe is reached only through `payments.stripe_gateway.get_gateway()`. Calls to Stripe happen
outside the transactions that lock our rows, except refunds, which keep the order locked
while Stripe answers so two refunds can never together exceed what was paid.

`order_fulfil` is the ONE fulfilment function: the webhook, the success page and the
reconciliation job all call it. It re-reads the session from Stripe, locks the order row, and
does its work once (`fulfilled_at`), so duplicate, late or out-of-order events and the success
page racing the webhook grant credits or confirm a booking exactly once.
"""

from __future__ import annotations

import calendar
import logging
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from booking import services as booking_services
from coaching.models import Coach, Package, Service
from core.accounts import has_verified_email
from core.duties import can_handle_money
from core.errors import DomainError
from core.history import record
from core.timezones import format_when
from members import services as members_services
from payments import emails, selectors
from payments.errors import (
    CheckoutUnavailable,
    EmailNotVerified,
    PaymentProviderError,
    RefundError,
    RefundStateError,
)
from payments.gateway import CheckoutSession, GatewayError, get_gateway, id_of
from payments.history import OrderAction
from payments.models import (
    COUNTED_REFUND_STATUSES,
    LineKind,
    Order,
    OrderLine,
    OrderStatus,
    Refund,
    RefundStatus,
    TaxMode,
)
from payments.tax import line_tax
from practice import services as practice_services
from reviews import services as reviews_services
from webinars import services as webinar_services

logger = logging.getLogger(__name__)

# Stripe rejects `expires_at` less than 30 minutes after it receives the request; the extra
# seconds cover the request's travel time. The slot hold lasts exactly as long as the session.
EXPIRY_ALLOWANCE = timedelta(seconds=15)


# --- helpers ------------------------------------------------------------------------------


def add_months(moment: datetime, months: int) -> datetime:
    """Same day-of-month `months` later, clamped to the month's last day (31 Jan + 1 → 28/29 Feb)."""
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def _require_buyer(user) -> None:
    if not has_verified_email(user):
        raise EmailNotVerified()


def checkout_expiry(now: datetime | None = None) -> datetime:
    """When a Checkout Session opened now expires: PAYMENTS_CHECKOUT_MINUTES from now plus a small
    allowance, to the second. A session's hold lasts until then."""
    now = now or timezone.now()
    return (now + timedelta(minutes=settings.PAYMENTS_CHECKOUT_MINUTES) + EXPIRY_ALLOWANCE).replace(
        microsecond=0
    )


def _estimate_totals(order: Order, lines: list[OrderLine]) -> None:
    """Our estimate before payment; Stripe's figures replace it when the payment completes."""
    subtotal = sum(line.total_cents for line in lines)
    tax = 0
    if order.tax_mode == TaxMode.RATE:
        tax = sum(line_tax(line.total_cents) for line in lines if line.taxable)
    order.subtotal_cents = subtotal
    order.discount_cents = 0
    order.tax_cents = tax
    order.total_cents = subtotal + tax


# --- placing an order ---------------------------------------------------------------------


def _order_of_one(order_fields: dict, **line_fields) -> Order:
    """A pending order (in the configured tax mode) with one line of quantity 1, its totals
    estimated."""
    order = Order.objects.create(tax_mode=settings.STRIPE_TAX_MODE, **order_fields)
    line = OrderLine.objects.create(order=order, quantity=1, **line_fields)
    _estimate_totals(order, [line])
    order.save()
    return order


@transaction.atomic
def order_create_for_package(*, buyer, package: Package) -> Order:
    """A pending order for one package, its name, price and contents snapshotted."""
    _require_buyer(buyer)
    if not package.active:
        raise CheckoutUnavailable("This package is no longer on sale.")
    items = list(package.items.select_related("service"))
    perks = [perk for perk in package.perks.all() if perk.kind]
    if not items:
        raise CheckoutUnavailable("This package has nothing in it yet, so it cannot be bought.")
    return _order_of_one(
        {"buyer": buyer, "currency": package.currency},
        kind=LineKind.PACKAGE,
        package=package,
        name=package.name,
        unit_price_cents=package.price_cents,
        taxable=package.taxable,
        validity_months=package.validity_months,
        entitlements=[
            {
                "service_id": item.service_id,
                "service_name": item.service.name,
                "quantity": item.quantity,
            }
            for item in items
        ],
        perks=[{"kind": perk.kind, "text": perk.text} for perk in perks],
    )


@transaction.atomic
def order_create_for_session(
    *, buyer, service: Service, coach: Coach | None, start: datetime, hold_until: datetime
) -> Order:
    """A pending order for one session, with its slot held until the checkout expires (no
    coach: "any coach", and the hold assigns one)."""
    _require_buyer(buyer)
    if not service.active or not service.single_price_cents:
        raise CheckoutUnavailable("This service cannot be bought as a single session.")
    if not service.is_bookable:
        raise CheckoutUnavailable("This service is not booked on a calendar.")
    booking = booking_services.booking_hold(
        applicant=buyer,
        coach=coach,
        service=service,
        start=start,
        hold_until=hold_until,
        actor=buyer,
    )
    return _order_of_one(
        {"buyer": buyer, "currency": service.currency, "checkout_expires_at": hold_until},
        kind=LineKind.SESSION,
        service=service,
        booking=booking,
        name=f"{service.name} with {booking.coach.display_name}",
        unit_price_cents=service.single_price_cents,
        taxable=True,
    )


@transaction.atomic
def order_create_for_review(*, buyer, service: Service) -> Order:
    """A pending order for one document review bought on its own; paid, it grants one credit
    for the service (its line lists the service like a package's, so fulfilment, refunds and
    `credit_sources()` treat it the same way)."""
    _require_buyer(buyer)
    if not service.active or not service.single_price_cents or service.is_bookable:
        raise CheckoutUnavailable("This review cannot be bought on its own.")
    return _order_of_one(
        {"buyer": buyer, "currency": service.currency},
        kind=LineKind.SESSION,
        service=service,
        name=service.name,
        unit_price_cents=service.single_price_cents,
        taxable=True,
        entitlements=[{"service_id": service.pk, "service_name": service.name, "quantity": 1}],
    )


def checkout_session_params(order: Order, *, base_url: str, expires_at: datetime) -> dict[str, Any]:
    """The Checkout Session Stripe should show: prices from our lines, never from the browser."""
    line_items = []
    for line in order.lines.select_related("booking"):
        price_data: dict[str, Any] = {
            "currency": order.currency.lower(),
            "unit_amount": line.unit_price_cents,
            "product_data": {
                "name": line.name,
                "metadata": {"order_line": str(line.pk), "kind": line.kind},
            },
        }
        if line.booking is not None:
            # The name says what and with whom; the description says when, in the buyer's zone.
            price_data["product_data"]["description"] = format_when(
                line.booking.start,
                end=line.booking.end,
                zone=order.buyer.time_zone,
                labelled=True,
            )
        item: dict[str, Any] = {"quantity": line.quantity, "price_data": price_data}
        if order.tax_mode == TaxMode.AUTOMATIC:
            price_data["tax_behavior"] = "exclusive"
            if not line.taxable:
                price_data["product_data"]["tax_code"] = "txcd_00000000"  # non-taxable
        elif order.tax_mode == TaxMode.RATE and line.taxable:
            # Always set with real keys (settings refuse `rate` mode without it).
            item["tax_rates"] = [settings.STRIPE_TAX_RATE_ID]
        line_items.append(item)
    metadata = {"order": order.public_id, "buyer": str(order.buyer_id)}
    params: dict[str, Any] = {
        "mode": "payment",
        "line_items": line_items,
        "client_reference_id": order.public_id,
        "customer_email": order.buyer.email,
        "metadata": metadata,
        "payment_intent_data": {"metadata": metadata},
        "success_url": base_url
        + reverse("payments:checkout_success")
        + "?session_id={CHECKOUT_SESSION_ID}",
        "cancel_url": base_url + reverse("payments:checkout_cancel", args=[order.public_id]),
        "allow_promotion_codes": True,
        "expires_at": int(expires_at.timestamp()),
    }
    if order.tax_mode == TaxMode.AUTOMATIC:
        params["automatic_tax"] = {"enabled": True}
        params["billing_address_collection"] = "required"
    return params


def order_open_checkout(*, order: Order, base_url: str) -> Order:
    """Create the order's Checkout Session. On any Stripe error the order fails (holds released)
    and a `PaymentProviderError` tells the person what happened; a new Buy starts afresh."""
    expires_at = order.checkout_expires_at or checkout_expiry()
    params = checkout_session_params(order, base_url=base_url, expires_at=expires_at)
    try:
        session = get_gateway().create_checkout_session(
            params=params, idempotency_key=f"medpath-order-{order.public_id}-checkout"
        )
    except GatewayError as exc:
        order_fail(order=order, reason=exc.user_message)
        raise PaymentProviderError(exc.user_message, code=f"stripe_{exc.kind}") from exc
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        order.stripe_checkout_session_id = session.id
        order.checkout_url = session.url
        order.checkout_expires_at = datetime.fromtimestamp(session.expires_at, tz=UTC)
        order.save(
            update_fields=[
                "stripe_checkout_session_id",
                "checkout_url",
                "checkout_expires_at",
                "updated_at",
            ]
        )
        record(order, OrderAction.CHECKOUT_OPENED, actor=order.buyer, data={"session": session.id})
    logger.info("order %s: checkout session %s opened", order.public_id, session.id)
    return order


def checkout_start_package(*, buyer, package: Package, base_url: str) -> Order:
    """A pending order for the package and its Checkout Session, opened with the catalogue's price
    (never the browser's); raises the order services' domain errors."""
    order = order_create_for_package(buyer=buyer, package=package)
    return order_open_checkout(order=order, base_url=base_url)


def checkout_start_review(*, buyer, service: Service, base_url: str) -> Order:
    """A pending order for one document review and its Checkout Session, at the catalogue's
    price."""
    order = order_create_for_review(buyer=buyer, service=service)
    return order_open_checkout(order=order, base_url=base_url)


def checkout_start_session(
    *, buyer, service: Service, coach: Coach | None, start: datetime, base_url: str
) -> Order:
    """Hold the slot until the Checkout Session expires, create the pending order for it and open
    the session; if the slot is no longer free nothing is created and the booking error is
    raised."""
    hold_until = checkout_expiry()
    order = order_create_for_session(
        buyer=buyer, service=service, coach=coach, start=start, hold_until=hold_until
    )
    return order_open_checkout(order=order, base_url=base_url)


# --- state changes that end a checkout ------------------------------------------------------


def _release_holds(order: Order, *, reason: str) -> None:
    for line in order.lines.filter(kind=LineKind.SESSION, booking__isnull=False).select_related(
        "booking"
    ):
        booking_services.booking_release_hold(booking=line.booking, reason=reason)


@transaction.atomic
def order_fail(*, order: Order, reason: str) -> Order:
    """Pending → failed (Stripe refused the checkout or the payment); holds are released."""
    order = Order.objects.select_for_update().get(pk=order.pk)
    if order.status != OrderStatus.PENDING:
        return order
    order.check_transition(OrderStatus.FAILED)
    order.status = OrderStatus.FAILED
    order.failure_reason = reason[:300]
    order.save(update_fields=["status", "failure_reason", "updated_at"])
    record(order, OrderAction.FAILED, reason=reason)
    _release_holds(order, reason="Payment failed.")
    return order


def _lock_order_for_session(session: CheckoutSession) -> Order | None:
    orders = Order.objects.select_for_update()
    order = orders.filter(stripe_checkout_session_id=session.id).first()
    if order is None and session.client_reference_id:
        # The session was created but we never stored its id (a crash between the two).
        order = orders.filter(
            public_id=session.client_reference_id, stripe_checkout_session_id__isnull=True
        ).first()
        if order is not None:
            order.stripe_checkout_session_id = session.id
    return order


@transaction.atomic
def order_expire(*, session: CheckoutSession, reason: str = "Checkout expired.") -> Order | None:
    """Pending → expired with its holds released. A paid order stays paid (late event)."""
    order = _lock_order_for_session(session)
    if order is None or order.status != OrderStatus.PENDING:
        return order
    order.check_transition(OrderStatus.EXPIRED)
    order.status = OrderStatus.EXPIRED
    order.save()
    record(order, OrderAction.EXPIRED, reason=reason)
    _release_holds(order, reason=reason)
    logger.info("order %s expired", order.public_id)
    return order


def order_expire_session(*, session_id: str) -> Order | None:
    """`checkout.session.expired`: re-read the session (it may have been paid after all)."""
    session = get_gateway().retrieve_checkout_session(session_id)
    if session.is_paid:
        return order_fulfil(session_id=session_id, session=session)
    return order_expire(session=session)


def order_payment_failed(*, session_id: str) -> Order | None:
    """`checkout.session.async_payment_failed`: the delayed payment (e.g. a debit) bounced."""
    session = get_gateway().retrieve_checkout_session(session_id)
    with transaction.atomic():
        order = _lock_order_for_session(session)
        if order is None:
            return None
    return order_fail(order=order, reason="The payment did not go through.")


def order_cancel_checkout(*, order: Order) -> Order:
    """The buyer left Stripe's page (cancel_url): expire the session and free the slot now."""
    if order.status != OrderStatus.PENDING or not order.stripe_checkout_session_id:
        return order
    gateway = get_gateway()
    try:
        session = gateway.expire_checkout_session(order.stripe_checkout_session_id)
    except GatewayError:
        # Not open any more (paid a moment ago, or already expired): act on what it is now.
        session = gateway.retrieve_checkout_session(order.stripe_checkout_session_id)
        if session.is_paid:
            return order_fulfil(session_id=session.id, session=session) or order
    return order_expire(session=session, reason="Checkout cancelled.") or order


# --- fulfilment -----------------------------------------------------------------------------


def order_fulfil(*, session_id: str, session: CheckoutSession | None = None) -> Order | None:
    """Grant what a paid order bought, exactly once. Safe to call any number of times.

    Reads the session from Stripe (never trusts an event body), locks the order and checks
    `fulfilled_at`. Package lines grant credits (one per service, idempotent by source);
    a session line confirms its hold, and if the slot was lost meanwhile the order is marked
    for an automatic full refund, made right after the transaction commits.
    """
    session = session or get_gateway().retrieve_checkout_session(session_id)
    if not session.is_paid:
        return _settle_unpaid(session)
    with transaction.atomic():
        order = _lock_order_for_session(session)
        if order is None:
            logger.warning("paid checkout session %s matches no order", session.id)
            return None
        if order.fulfilled_at is not None:
            return order  # done before: a repeated event or the success page racing it
        now = timezone.now()
        _mark_paid(order, session, now=now)
        lost_slots = _deliver_lines(order, now=now)
        if lost_slots:
            _mark_for_automatic_refund(order)
        order.save()
        record(
            order,
            OrderAction.PAID,
            at=now,
            data={"total_cents": order.total_cents, "promotion_code": order.promotion_code},
        )
        if lost_slots:
            record(order, OrderAction.SLOT_LOST, at=now, reason=order.attention_note)
        logger.info("order %s fulfilled (session %s)", order.public_id, session.id)
        if not lost_slots:
            emails.queue_receipt(order)  # a lost slot gets its own email with the refund
    if order.auto_refund_due:
        order_refund_automatic(order=order)
        order.refresh_from_db()
    return order


def _settle_unpaid(session: CheckoutSession) -> Order | None:
    """A session that is not paid (yet): expire its order if Stripe expired it, else leave it."""
    if session.status == "expired":
        return order_expire(session=session)
    with transaction.atomic():
        return _lock_order_for_session(session)


def _mark_paid(order: Order, session: CheckoutSession, *, now: datetime) -> None:
    """Paid and fulfilled now, with Stripe's figures (promotion codes and tax are known only
    now). Stripe is the source of truth for money: a payment is honoured even if we had given
    up on the order (expired or failed locally). The caller saves the locked order."""
    order.check_transition(OrderStatus.PAID)
    order.status = OrderStatus.PAID
    order.paid_at = now
    order.fulfilled_at = now
    order.stripe_payment_intent_id = session.payment_intent
    order.subtotal_cents = session.amount_subtotal
    order.discount_cents = session.amount_discount
    order.tax_cents = session.amount_tax
    order.total_cents = session.amount_total
    order.promotion_code = session.promotion_code[:80]


def _deliver_lines(order: Order, *, now: datetime) -> list[OrderLine]:
    """Credits and perks for each package line, the held booking confirmed for each session
    line; returns the session lines whose slot could not be confirmed (their money goes back)."""
    lost_slots = []
    for line in order.lines.select_related("booking", "package"):
        if line.kind == LineKind.PACKAGE:
            _grant_credits(order, line, now=now)
            _grant_entitlements(order, line, now=now)
        elif line.booking is None:
            _grant_credits(order, line, now=now)  # a document review bought on its own
        elif not _confirm_held_booking(order, line):
            lost_slots.append(line)
    return lost_slots


def _confirm_held_booking(order: Order, line: OrderLine) -> bool:
    """Confirm the line's held booking; False if that is no longer possible."""
    try:
        with transaction.atomic():
            booking_services.booking_confirm_hold(booking=line.booking)
    except DomainError as exc:
        # Taken by someone else after the hold lapsed (SlotUnavailable), or the hold was
        # cancelled meanwhile: either way the money goes back.
        logger.warning(
            "order %s: booking %s cannot be confirmed (%s); refunding",
            order.public_id,
            line.booking.public_id,
            exc.code,
        )
        return False
    return True


def _mark_for_automatic_refund(order: Order) -> None:
    order.auto_refund_due = True
    order.needs_attention = True
    order.attention_note = (
        "Paid after the held time was taken by someone else: refunded in full automatically."
    )


def _grant_credits(order: Order, line: OrderLine, *, now: datetime) -> None:
    expires_at = add_months(now, line.validity_months)
    services = Service.objects.in_bulk([item["service_id"] for item in line.entitlements])
    for item in line.entitlements:
        booking_services.credits_grant(
            applicant=order.buyer,
            service=services[item["service_id"]],
            quantity=item["quantity"],
            expires_at=expires_at,
            source=line.credit_source(item["service_id"]),
            source_label=f"{line.name} (order {order.reference})",
        )


def _grant_entitlements(order: Order, line: OrderLine, *, now: datetime) -> None:
    """One entitlement per perk the line snapshotted, for the package's term (idempotent by
    source, like credits)."""
    ends_at = add_months(now, line.validity_months)
    for perk, source in zip(line.perks, line.entitlement_sources(), strict=True):
        members_services.entitlement_grant(
            member=order.buyer,
            perk=perk["kind"],
            starts_at=now,
            ends_at=ends_at,
            source=source,
            source_label=f"{line.name} (order {order.reference})",
        )


# --- refunds ------------------------------------------------------------------------------


def order_refund(
    *,
    order: Order,
    amount_cents: int,
    reason: str,
    actor=None,
    idempotency_token: str,
    origin: str = Refund.Origin.STAFF,
) -> Refund:
    """Refund part or all of a paid order through Stripe.

    Refuses more than what remains refundable. The idempotency key comes from the caller's
    token (one per refund form shown), so a double-submitted form refunds once. A full refund
    cancels future bookings bought with the order and revokes its unused credits.
    """
    if amount_cents <= 0:
        raise RefundError("Enter an amount greater than zero.")
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        if order.status not in (OrderStatus.PAID, OrderStatus.PARTIALLY_REFUNDED):
            raise RefundError(
                f"This order is {order.get_status_display().lower()}; only paid orders can be refunded."
            )
        if not order.stripe_payment_intent_id:
            raise RefundError("This order has no payment on record to refund.")
        if amount_cents > order.refundable_cents:
            raise RefundError(
                f"At most {order.money(order.refundable_cents)} can still be refunded on this "
                f"order; {order.money(amount_cents)} is too much."
            )
        try:
            result = get_gateway().create_refund(
                payment_intent=order.stripe_payment_intent_id,
                amount=amount_cents,
                metadata={"order": order.public_id, "reason": reason[:200]},
                idempotency_key=f"medpath-order-{order.public_id}-refund-{idempotency_token}",
            )
        except GatewayError as exc:
            raise RefundError(f"Stripe did not make the refund: {exc.message}") from exc
        refund, created = Refund.objects.get_or_create(
            stripe_refund_id=result.id,
            defaults={
                "order": order,
                "amount_cents": result.amount,
                "status": _refund_status(result.status),
                "origin": origin,
                "reason": reason[:500],
                "created_by": actor,
            },
        )
        if created:
            _record_refund(order, refund, actor=actor)
        _sync_refunded(order, actor=actor, reason=reason, notify=origin != Refund.Origin.AUTOMATIC)
        logger.info(
            "order %s: refund %s of %d cents",
            order.public_id,
            refund.stripe_refund_id,
            result.amount,
        )
    return refund


def order_refund_automatic(*, order: Order) -> Refund | None:
    """Give back the full payment of an order whose slot was lost. Runs once (one key)."""
    order.refresh_from_db()
    if not order.auto_refund_due:
        return None
    try:
        refund = order_refund(
            order=order,
            amount_cents=order.refundable_cents,
            reason="The held time was taken before the payment arrived.",
            idempotency_token="automatic",
            origin=Refund.Origin.AUTOMATIC,
        )
    except (RefundError, GatewayError):
        # Left flagged; the reconciliation job tries again.
        logger.exception("automatic refund of order %s failed", order.public_id)
        return None
    with transaction.atomic():
        Order.objects.filter(pk=order.pk).update(auto_refund_due=False)
        order.auto_refund_due = False
        emails.queue_slot_lost(order, refund)
    return refund


def _record_refund(order: Order, refund: Refund, *, actor=None) -> None:
    action = (
        OrderAction.REFUND_REPORTED
        if refund.origin == Refund.Origin.STRIPE
        else OrderAction.REFUNDED
    )
    record(
        order,
        action,
        actor=actor,
        reason=refund.reason,
        data={
            "amount_cents": refund.amount_cents,
            "refund": refund.stripe_refund_id,
            "origin": refund.origin,
        },
    )


def _refund_status(status: str) -> str:
    return status if status in RefundStatus.values else RefundStatus.PENDING


def _refund_move(refund: Refund, status: str) -> None:
    """Take the status Stripe reports, through the refund's transition guard. Stripe does not
    deliver events in order, so a status the refund has already moved past (a `pending`
    snapshot arriving after `succeeded`) is stale and ignored, not an error to retry."""
    try:
        if refund.check_transition(status):
            refund.status = status
    except RefundStateError:
        logger.info(
            "refund %s: ignoring stale status %s (it is %s)",
            refund.stripe_refund_id,
            status,
            refund.status,
        )


def _sync_refunded(
    order: Order, *, actor=None, reason: str = "", charge_refunded: int = 0, notify: bool = True
) -> None:
    """Recompute refunded money and status from the refunds we know (order row is locked)."""
    known = (
        order.refunds.filter(status__in=COUNTED_REFUND_STATUSES).aggregate(
            total=Sum("amount_cents")
        )["total"]
        or 0
    )
    order.refunded_cents = min(order.total_cents, max(known, charge_refunded))
    was_fully_refunded = order.status == OrderStatus.REFUNDED
    status = order.status
    if order.refunded_cents >= order.total_cents and order.total_cents > 0:
        status = OrderStatus.REFUNDED
    elif order.refunded_cents > 0 and order.status == OrderStatus.PAID:
        status = OrderStatus.PARTIALLY_REFUNDED
    if order.check_transition(status):
        order.status = status
    order.save()
    if order.status == OrderStatus.REFUNDED and not was_fully_refunded:
        record(order, OrderAction.FULLY_REFUNDED, actor=actor, reason=reason)
        _take_back_goods(order, actor=actor, reason=reason or "Order refunded in full.")
        if notify:
            emails.queue_refund_notice(order)
    elif notify and actor is not None and order.refunded_cents:
        emails.queue_refund_notice(order)


def _take_back_goods(order: Order, *, actor, reason: str) -> None:
    """After a full refund: cancel future bookings bought with the order, revoke unused credits."""
    upcoming = selectors.order_upcoming_bookings(order)
    if upcoming and can_handle_money(actor):
        for booking in upcoming:
            booking_services.booking_cancel(
                booking=booking,
                actor=actor,
                reason=f"Order refunded: {reason}",
                by_staff=True,
                return_value=False,  # the refund is the value returned
            )
    elif upcoming:
        # Refunded in Stripe's dashboard: nobody at MedPath decided about the sessions yet.
        order.needs_attention = True
        order.attention_note = (
            "Refunded in full outside MedPath: check and cancel its upcoming bookings."
        )
        order.save(update_fields=["needs_attention", "attention_note", "updated_at"])
    for line in order.lines.all():
        # Unclaimed reviews paid by these credits are withdrawn; claimed ones are delivered.
        reviews_services.reviews_withdraw_for_credit_sources(
            sources=line.credit_sources(), reason=f"Order refunded: {reason}", actor=actor
        )
        for source in line.credit_sources():
            booking_services.credits_revoke_unused(source=source, reason=reason, actor=actor)
        ended = members_services.entitlements_end_for_sources(
            sources=line.entitlement_sources(), reason=f"Order refunded: {reason}", actor=actor
        )
        webinar_services.webinars_after_entitlements_ended(rows=ended, reason=f"Refund: {reason}")
        practice_services.attempts_withdraw_for_ended_entitlements(
            entitlements=ended, reason=f"Order refunded: {reason}"
        )


def refund_record(*, refund: dict[str, Any]) -> Order | None:
    """`refund.created|updated|failed`, `charge.refund.updated`: store a refund Stripe reports
    (ours, or one made in Stripe's dashboard) and bring the order's totals up to date."""
    intent = id_of(refund.get("payment_intent"))
    with transaction.atomic():
        order = Order.objects.select_for_update().filter(stripe_payment_intent_id=intent).first()
        if order is None:
            return None
        amount, status = int(refund["amount"]), _refund_status(refund.get("status") or "")
        row, created = Refund.objects.select_for_update().get_or_create(
            stripe_refund_id=refund["id"],
            defaults={
                "order": order,
                "amount_cents": amount,
                "status": status,
                "origin": Refund.Origin.STRIPE,
                "reason": (refund.get("metadata") or {}).get("reason", "")[:500],
            },
        )
        if created:
            _record_refund(order, row)
        else:
            row.amount_cents = amount
            _refund_move(row, status)
            row.save(update_fields=["amount_cents", "status"])
        _sync_refunded(order)
    return order


def order_sync_charge_refunds(*, charge: dict[str, Any]) -> Order | None:
    """`charge.refunded`: record the refunds listed on the charge and its refunded total."""
    intent = id_of(charge.get("payment_intent"))
    for refund in (charge.get("refunds") or {}).get("data") or []:
        refund_record(refund={**refund, "payment_intent": intent})
    with transaction.atomic():
        order = Order.objects.select_for_update().filter(stripe_payment_intent_id=intent).first()
        if order is None:
            return None
        _sync_refunded(order, charge_refunded=int(charge.get("amount_refunded") or 0))
    return order


@transaction.atomic
def order_flag_dispute(*, dispute: dict[str, Any]) -> Order | None:
    """`charge.dispute.created`: flag the order for staff and freeze its unused credits."""
    intent = id_of(dispute.get("payment_intent"))
    order = Order.objects.select_for_update().filter(stripe_payment_intent_id=intent).first()
    if order is None:
        return None
    if order.disputed_at is None:
        order.disputed_at = timezone.now()
        order.needs_attention = True
        order.attention_note = (
            f"The payment is disputed ({dispute.get('reason') or 'no reason given'}); "
            "unused credits are frozen."
        )
        order.save()
        record(order, OrderAction.DISPUTED, reason=dispute.get("reason") or "")
    for line in order.lines.all():
        for source in line.credit_sources():
            booking_services.credits_freeze(source=source, reason="Payment disputed.")
    return order
