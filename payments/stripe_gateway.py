"""The one module that talks to Stripe.

Everything else asks `get_gateway()` for an object with the four calls payments needs
(create / retrieve / expire a Checkout Session, create a refund, plus listing recent events
for reconciliation) and gets plain dataclasses back, never stripe objects. Two implementations:

- `StripeGateway`: stripe-python's `StripeClient` (its API base overridable by `STRIPE_API_BASE`,
  which the tests point at a fake Stripe on 127.0.0.1);
- `payments.offline.OfflineGateway`: used when `STRIPE_SECRET_KEY` is empty; it stores sessions
  and refunds in the database and answers the same calls, so fulfilment code is identical.

Webhook signatures are verified here too (`verify_webhook`), with Stripe's own scheme.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol

import stripe
from django.conf import settings

logger = logging.getLogger(__name__)

WEBHOOK_TOLERANCE_SECONDS = 300


class GatewayError(Exception):
    """Stripe said no or could not be reached. `kind`: connection | card | invalid | other."""

    def __init__(self, message: str, *, kind: str = "other", code: str = ""):
        super().__init__(message)
        self.message = message
        self.kind = kind
        self.code = code

    @property
    def user_message(self) -> str:
        if self.kind == "connection":
            return (
                "We could not reach our payment provider. Nothing was charged; "
                "please try again in a minute."
            )
        if self.kind == "card":
            return f"Your card was declined: {self.message} Nothing was charged."
        return (
            "Our payment provider could not start the payment. Nothing was charged; "
            "please try again, or contact us if it keeps happening."
        )


class WebhookSignatureInvalid(Exception):
    """The body is not signed with our webhook secret, or the signature is too old."""


@dataclass(frozen=True)
class CheckoutSession:
    id: str
    url: str
    status: str  # open | complete | expired
    payment_status: str  # paid | unpaid | no_payment_required
    client_reference_id: str
    payment_intent: str | None
    currency: str
    amount_subtotal: int
    amount_total: int
    amount_discount: int
    amount_tax: int
    expires_at: int
    metadata: dict[str, str] = field(default_factory=dict)
    promotion_code: str = ""

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CheckoutSession:
        details = data.get("total_details") or {}
        intent = data.get("payment_intent")
        if isinstance(intent, dict):
            intent = intent.get("id")
        promotion = ""
        for discount in data.get("discounts") or []:
            code = discount.get("promotion_code")
            if isinstance(code, dict):
                code = code.get("code") or code.get("id")
            promotion = code or promotion
        return cls(
            id=data["id"],
            url=data.get("url") or "",
            status=data.get("status") or "open",
            payment_status=data.get("payment_status") or "unpaid",
            client_reference_id=data.get("client_reference_id") or "",
            payment_intent=intent or None,
            currency=(data.get("currency") or "cad").upper(),
            amount_subtotal=int(data.get("amount_subtotal") or 0),
            amount_total=int(data.get("amount_total") or 0),
            amount_discount=int(details.get("amount_discount") or 0),
            amount_tax=int(details.get("amount_tax") or 0),
            expires_at=int(data.get("expires_at") or 0),
            metadata=dict(data.get("metadata") or {}),
            promotion_code=promotion or "",
        )

    @property
    def is_paid(self) -> bool:
        return self.status == "complete" and self.payment_status in ("paid", "no_payment_required")


@dataclass(frozen=True)
class RefundResult:
    id: str
    amount: int
    status: str
    payment_intent: str | None


class Gateway(Protocol):
    def create_checkout_session(
        self, *, params: dict[str, Any], idempotency_key: str
    ) -> CheckoutSession: ...

    def retrieve_checkout_session(self, session_id: str) -> CheckoutSession: ...

    def expire_checkout_session(self, session_id: str) -> CheckoutSession: ...

    def create_refund(
        self, *, payment_intent: str, amount: int, metadata: dict[str, str], idempotency_key: str
    ) -> RefundResult: ...

    def list_events(self, *, types: list[str], created_gte: int) -> list[dict[str, Any]]: ...


def is_offline() -> bool:
    """True when no Stripe key is configured: the offline checkout stands in for Stripe."""
    return not settings.STRIPE_SECRET_KEY


def get_gateway() -> Gateway:
    if is_offline():
        from payments.offline import OfflineGateway

        return OfflineGateway()
    return StripeGateway(
        api_key=settings.STRIPE_SECRET_KEY,
        api_base=settings.STRIPE_API_BASE,
        max_network_retries=settings.STRIPE_MAX_NETWORK_RETRIES,
    )


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
            payment_intent=_id_of(data.get("payment_intent")),
        )

    def list_events(self, *, types: list[str], created_gte: int) -> list[dict[str, Any]]:
        with _translated_errors():
            page = self.client.v1.events.list(
                params={"types": types, "created": {"gte": created_gte}, "limit": 100}
            )
            return [event.to_dict() for event in page.auto_paging_iter()]


def _id_of(value: Any) -> str | None:
    if isinstance(value, dict):
        return value.get("id")
    return value or None


# --- webhooks ---------------------------------------------------------------------------


def webhook_secret() -> str:
    """`STRIPE_WEBHOOK_SECRET`, or (offline only) a secret derived from SECRET_KEY."""
    if settings.STRIPE_WEBHOOK_SECRET:
        return settings.STRIPE_WEBHOOK_SECRET
    digest = hmac.new(
        settings.SECRET_KEY.encode(), b"medpath-offline-stripe-webhook", hashlib.sha256
    ).hexdigest()
    return f"whsec_offline_{digest}"


def verify_webhook(payload: bytes, signature_header: str | None) -> dict[str, Any]:
    """Check `Stripe-Signature` against our secret (5 minutes' tolerance) and parse the body."""
    try:
        stripe.WebhookSignature.verify_header(
            payload, signature_header, webhook_secret(), tolerance=WEBHOOK_TOLERANCE_SECONDS
        )
        event = json.loads(payload)
    except (stripe.SignatureVerificationError, ValueError, UnicodeDecodeError) as exc:
        raise WebhookSignatureInvalid(str(exc)) from exc
    if not isinstance(event, dict) or not event.get("id") or not event.get("type"):
        raise WebhookSignatureInvalid("The body is not a Stripe event.")
    return event


def sign_webhook(payload: str, *, timestamp: int | None = None) -> str:
    """A `Stripe-Signature` header for `payload` (the offline checkout signs its events so)."""
    return stripe.WebhookSignature.generate_signature_header(
        payload, webhook_secret(), timestamp=timestamp
    )
