"""Which payment provider answers, and (re-exported from `payments.gateway_types`) what it
answers with.

`get_gateway()` returns an object with the calls payments needs (create / retrieve / expire a
Checkout Session, create a refund, list recent events for reconciliation) that hands back the
plain dataclasses of `payments.gateway_types`, never stripe objects. Two implementations,
chosen here, so neither imports the other; both import `payments.gateway_types`, never this
module:

- `payments.stripe_gateway.StripeGateway`: the real Stripe (the one module that imports `stripe`);
- `payments.offline.OfflineGateway`: used when `STRIPE_SECRET_KEY` is empty; it keeps sessions
  and refunds in the database and answers the same calls, so fulfilment code is identical.
"""

from __future__ import annotations

from django.conf import settings

from payments.gateway_types import (
    CheckoutSession,
    Gateway,
    GatewayError,
    RefundResult,
    WebhookSignatureInvalid,
    id_of,
)
from payments.offline import OfflineGateway
from payments.stripe_gateway import StripeGateway

__all__ = [
    "CheckoutSession",
    "Gateway",
    "GatewayError",
    "RefundResult",
    "WebhookSignatureInvalid",
    "get_gateway",
    "id_of",
    "is_offline",
]


def is_offline() -> bool:
    """True when no Stripe key is configured: the offline checkout stands in for Stripe."""
    return not settings.STRIPE_SECRET_KEY


def get_gateway() -> Gateway:
    """The configured provider: the offline checkout without a Stripe key, else Stripe."""
    if is_offline():
        return OfflineGateway()
    return StripeGateway(
        api_key=settings.STRIPE_SECRET_KEY,
        api_base=settings.STRIPE_API_BASE,
        max_network_retries=settings.STRIPE_MAX_NETWORK_RETRIES,
    )
