"""Reconciliation: make sure a lost or failed webhook never leaves money without goods.

Run every few minutes by django-q2 (`payments.tasks.reconcile_orders`); safe to run twice and
safe to run late, because everything it calls is idempotent. In order:

1. pending orders: ask Stripe for their session; fulfil paid ones, expire expired ones;
2. pending orders that never got a session (the process died between the two): fail them and
   free their holds;
3. automatic refunds that could not be made at the time (Stripe unreachable): try again;
4. stored events whose processing failed: process again;
5. events Stripe sent in the last three days that never reached us: fetch and process;
6. the hold sweep (after 1, so a paid hold is confirmed before it could be swept).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.utils import timezone

from booking import services as booking_services
from payments import services
from payments.gateway import GatewayError, get_gateway
from payments.models import Order, StripeEvent
from payments.webhooks import HANDLED_TYPES, event_accept, events_retry_failed

logger = logging.getLogger(__name__)

# Checkouts younger than this are left to the webhook and the success page.
GRACE = timedelta(minutes=2)
# A pending order without a session after this long will never get one.
ORPHAN_AFTER = timedelta(minutes=10)
MISSED_EVENTS_WINDOW = timedelta(days=3)
BATCH = 200


def orders_reconcile(*, now: datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    counts = dict.fromkeys(
        (
            "fulfilled",
            "expired",
            "orphans_failed",
            "auto_refunds",
            "events_retried",
            "missed_events",
        ),
        0,
    )
    gateway = get_gateway()
    pending = (
        Order.objects.pending()
        .filter(stripe_checkout_session_id__isnull=False, created_at__lt=now - GRACE)
        .order_by("created_at")
    )
    for order in pending[:BATCH]:
        try:
            session = gateway.retrieve_checkout_session(order.stripe_checkout_session_id)
            if session.is_paid:
                services.order_fulfil(session_id=session.id, session=session)
                counts["fulfilled"] += 1
            elif session.status == "expired":
                services.order_expire(session=session)
                counts["expired"] += 1
        except Exception:  # one bad order must not stop the others
            logger.exception("reconciling order %s failed; next run tries again", order.public_id)

    orphans = Order.objects.pending().filter(
        stripe_checkout_session_id__isnull=True, created_at__lt=now - ORPHAN_AFTER
    )
    for order in orphans[:BATCH]:
        services.order_fail(order=order, reason="The checkout could not be started.")
        counts["orphans_failed"] += 1

    for order in Order.objects.filter(auto_refund_due=True)[:BATCH]:
        counts["auto_refunds"] += bool(services.order_refund_automatic(order=order))

    counts["events_retried"] = events_retry_failed(now=now)
    counts["missed_events"] = events_fetch_missed(now=now)
    counts["holds_expired"] = booking_services.bookings_expire_stale_holds(now=now)
    if any(counts.values()):
        logger.info("reconciliation: %s", counts)
    return counts


def events_fetch_missed(*, now: datetime) -> int:
    """Ask Stripe for recent events of the types we handle; process those we never received."""
    since = int((now - MISSED_EVENTS_WINDOW).timestamp())
    try:
        events = get_gateway().list_events(types=HANDLED_TYPES, created_gte=since)
    except GatewayError:
        logger.warning("could not list Stripe events; next run tries again")
        return 0
    known = set(
        StripeEvent.objects.filter(event_id__in=[e["id"] for e in events]).values_list(
            "event_id", flat=True
        )
    )
    count = 0
    for payload in events:
        if payload["id"] not in known:
            event_accept(payload)
            count += 1
    return count
