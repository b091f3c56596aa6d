"""Stripe webhook events: stored once by id, then processed by the services they concern.

`event_receive(payload, signature)` is the one way in for a delivery: it checks the
`Stripe-Signature` (Stripe's scheme, in `stripe_gateway`), then stores and processes the event.
The webhook view and the offline checkout both call it; the reconciliation job, which fetches
events from Stripe's API itself, calls `event_accept`. An event id seen
before is acknowledged without doing anything (unless its processing never finished, in which
case it is processed again: every handler is idempotent). Unknown types are stored and
acknowledged. A processing error is written on the stored event, never raised to Stripe as a
500; `events_retry_failed` (run by the reconciliation job) tries those events again.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from payments import services
from payments.models import StripeEvent
from payments.stripe_gateway import verify_webhook

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 10


def _session_completed(obj):
    return services.order_fulfil(session_id=obj["id"])


def _session_failed(obj):
    return services.order_payment_failed(session_id=obj["id"])


def _session_expired(obj):
    return services.order_expire_session(session_id=obj["id"])


def _refund(obj):
    return services.refund_record(refund=obj)


def _charge_refunded(obj):
    return services.order_sync_charge_refunds(charge=obj)


def _dispute(obj):
    return services.order_flag_dispute(dispute=obj)


HANDLERS = {
    "checkout.session.completed": _session_completed,
    "checkout.session.async_payment_succeeded": _session_completed,
    "checkout.session.async_payment_failed": _session_failed,
    "checkout.session.expired": _session_expired,
    "charge.refunded": _charge_refunded,
    "charge.refund.updated": _refund,
    "refund.created": _refund,
    "refund.updated": _refund,
    "refund.failed": _refund,
    "charge.dispute.created": _dispute,
}

HANDLED_TYPES = sorted(HANDLERS)


def event_store(payload: dict[str, Any]) -> tuple[StripeEvent, bool]:
    """Store the event once by its id; returns (event, created)."""
    existing = StripeEvent.objects.filter(event_id=payload["id"]).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            event = StripeEvent.objects.create(
                event_id=payload["id"],
                type=str(payload["type"])[:100],
                livemode=bool(payload.get("livemode")),
                payload=payload,
            )
    except IntegrityError:
        # The same event delivered twice at once: the other delivery stored it first.
        return StripeEvent.objects.get(event_id=payload["id"]), False
    return event, True


def event_process(event: StripeEvent) -> bool:
    """Run the event's handler; True if it is processed (now or before)."""
    if event.processed_at is not None:
        return True
    StripeEvent.objects.filter(pk=event.pk).update(attempts=F("attempts") + 1)
    handler = HANDLERS.get(event.type)
    try:
        obj = event.payload["data"]["object"]
        order = handler(obj) if handler else None
    except Exception as exc:
        logger.exception("processing Stripe event %s (%s) failed", event.event_id, event.type)
        StripeEvent.objects.filter(pk=event.pk).update(
            error=f"{exc.__class__.__name__}: {getattr(exc, 'message', None) or exc}"[:2000]
        )
        return False
    StripeEvent.objects.filter(pk=event.pk).update(
        processed_at=timezone.now(), error="", order=order if order and order.pk else None
    )
    return True


def event_receive(payload: bytes | str, signature: str | None) -> tuple[StripeEvent, bool]:
    """A delivery as Stripe sends it: raise `WebhookSignatureInvalid` unless the body is signed
    with our secret (and recent), else store and process it; returns (event, was_new)."""
    return event_accept(verify_webhook(payload, signature))


def event_accept(payload: dict[str, Any]) -> tuple[StripeEvent, bool]:
    """Store and process one event known to come from Stripe; returns (event, was_new)."""
    event, created = event_store(payload)
    if created or event.processed_at is None:
        event_process(event)
    return event, created


def events_retry_failed(*, now=None) -> int:
    """Process again the events whose processing failed or never finished (oldest first)."""
    now = now or timezone.now()
    settled_before = now - timedelta(minutes=2)  # leave deliveries in flight alone
    count = 0
    stuck = StripeEvent.objects.filter(
        processed_at__isnull=True, received_at__lt=settled_before, attempts__lt=MAX_ATTEMPTS
    ).order_by("received_at")
    for event in stuck[:200]:
        count += event_process(event)
    return count
