"""The one module that talks to Stripe (the only one that imports `stripe`).

`StripeGateway` implements `payments.gateway_types.Gateway` with stripe-python's
`StripeClient` (its API base overridable by `STRIPE_API_BASE`, which the tests point at a fake
Stripe on 127.0.0.1); `payments.gateway.get_gateway()` chooses it when keys are configured.
Callers get the dataclasses and `GatewayError` of `payments.gateway_types` back, never stripe
objects.

Webhook signatures are verified (`verify_webhook`) and made (`sign_webhook`, for the offline
checkout's events) here too, with Stripe's own scheme.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import stripe
from django.conf import settings

from payments.gateway_types import (
    CheckoutSession,
    GatewayError,
    RefundResult,
    WebhookSignatureInvalid,
    id_of,
)

logger = logging.getLogger(__name__)

WEBHOOK_TOLERANCE_SECONDS = 300


@contextmanager
def _translated_errors() -> Iterator[None]:
    """Turn stripe-python's exceptions into `GatewayError` (callers never import stripe)."""
    try:
        yield
    except stripe.CardError as exc:
        raise GatewayError(
            exc.user_message or "the card was declined.", kind="card", code=exc.code or ""
        ) from exc
    except stripe.APIConnectionError as exc:
        logger.warning("Stripe unreachable: %s", exc.__class__.__name__)
        raise GatewayError("Stripe could not be reached.", kind="connection") from exc
    except stripe.InvalidRequestError as exc:
        logger.error("Stripe refused a request: %s (code %s)", exc.user_message, exc.code)
        raise GatewayError(
            exc.user_message or "invalid request", kind="invalid", code=exc.code or ""
        ) from exc
    except stripe.StripeError as exc:
        logger.error("Stripe error %s: %s", exc.__class__.__name__, exc.user_message)
        raise GatewayError(exc.user_message or "Stripe error", kind="other") from exc


class StripeGateway:
    """The real Stripe, through stripe-python's `StripeClient`."""

    def __init__(self, *, api_key: str, api_base: str = "", max_network_retries: int = 2):
        base_addresses = {"api": api_base} if api_base else None
        self.client = stripe.StripeClient(
            api_key, base_addresses=base_addresses, max_network_retries=max_network_retries
        )

    def create_checkout_session(
        self, *, params: dict[str, Any], idempotency_key: str
    ) -> CheckoutSession:
        with _translated_errors():
            session = self.client.v1.checkout.sessions.create(
                params=params, options={"idempotency_key": idempotency_key}
            )
        return CheckoutSession.from_dict(session.to_dict())

    def retrieve_checkout_session(self, session_id: str) -> CheckoutSession:
        with _translated_errors():
            session = self.client.v1.checkout.sessions.retrieve(session_id)
        return CheckoutSession.from_dict(session.to_dict())

    def expire_checkout_session(self, session_id: str) -> CheckoutSession:
        with _translated_errors():
            session = self.client.v1.checkout.sessions.expire(session_id)
        return CheckoutSession.from_dict(session.to_dict())

    def create_refund(
        self, *, payment_intent: str, amount: int, metadata: dict[str, str], idempotency_key: str
    ) -> RefundResult:
        with _translated_errors():
            refund = self.client.v1.refunds.create(
                params={"payment_intent": payment_intent, "amount": amount, "metadata": metadata},
                options={"idempotency_key": idempotency_key},
            )
        data = refund.to_dict()
        return RefundResult(
            id=data["id"],
            amount=int(data["amount"]),
            status=data.get("status") or "pending",
            payment_intent=id_of(data.get("payment_intent")),
        )

    def list_events(self, *, types: list[str], created_gte: int) -> list[dict[str, Any]]:
        with _translated_errors():
            page = self.client.v1.events.list(
                params={"types": types, "created": {"gte": created_gte}, "limit": 100}
            )
            return [event.to_dict() for event in page.auto_paging_iter()]


# --- webhooks ---------------------------------------------------------------------------


def webhook_secret() -> str:
    """`STRIPE_WEBHOOK_SECRET`, or (offline only) a secret derived from SECRET_KEY."""
    if settings.STRIPE_WEBHOOK_SECRET:
        return settings.STRIPE_WEBHOOK_SECRET
    digest = hmac.new(
        settings.SECRET_KEY.encode(), b"medpath-offline-stripe-webhook", hashlib.sha256
    ).hexdigest()
    return f"whsec_offline_{digest}"


def verify_webhook(payload: bytes | str, signature_header: str | None) -> dict[str, Any]:
    """Check `Stripe-Signature` against our secret (5 minutes' tolerance) and parse the body."""
    try:
        stripe.WebhookSignature.verify_header(
            payload, signature_header, webhook_secret(), tolerance=WEBHOOK_TOLERANCE_SECONDS
        )
        # Stripe's check refuses old timestamps only; one from the future is as suspect.
        if _signed_at(signature_header) > time.time() + WEBHOOK_TOLERANCE_SECONDS:
            raise WebhookSignatureInvalid("The signature's timestamp is in the future.")
        event = json.loads(payload)
    except (stripe.SignatureVerificationError, ValueError, UnicodeDecodeError) as exc:
        raise WebhookSignatureInvalid(str(exc)) from exc
    if not isinstance(event, dict) or not event.get("id") or not event.get("type"):
        raise WebhookSignatureInvalid("The body is not a Stripe event.")
    return event


def _signed_at(signature_header: str) -> int:
    """The `t=` timestamp of a `Stripe-Signature` header (already verified to be there)."""
    for item in signature_header.split(","):
        key, _, value = item.strip().partition("=")
        if key == "t":
            return int(value)
    raise ValueError("no timestamp in the signature header")


def sign_webhook(payload: str, *, timestamp: int | None = None) -> str:
    """A `Stripe-Signature` header for `payload` (the offline checkout signs its events so)."""
    return stripe.WebhookSignature.generate_signature_header(
        payload, webhook_secret(), timestamp=timestamp
    )
