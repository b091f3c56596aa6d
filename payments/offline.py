"""The offline checkout: a stand-in for Stripe when no `STRIPE_SECRET_KEY` is configured.

`OfflineGateway` answers the same calls as `StripeGateway` (create / retrieve / expire a
Checkout Session, create a refund) from database rows shaped like Stripe's objects. The local
checkout page (`/checkout/offline/<session id>/`, a clearly marked test payment) calls
`offline_pay`, which completes the session and then builds the event Stripe would send, signs
it with the local webhook secret and hands it to `payments.webhooks.event_receive`: the same
signature check, event storage, processing and fulfilment as a delivery to the webhook URL.

Events are delivered in-process, not by an HTTP POST to our own URL: that would depend on the
server being reachable at SITE_URL from itself (proxies, TLS, ports) and would deadlock a
single-worker server that is busy serving the Pay click.

Only this module knows offline-only details (its promotion codes, its tax-rate id); it imports
neither the views nor the Stripe gateway class, only Stripe's signature scheme.
"""

from __future__ import annotations

import json
import secrets
import time
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

from django.db import IntegrityError, transaction
from django.urls import reverse

from payments import webhooks
from payments.gateway import CheckoutSession, GatewayError, RefundResult
from payments.models import OfflineCheckoutSession, OfflineRefund, StripeEvent
from payments.stripe_gateway import sign_webhook
from payments.tax import line_tax, percent_of

# Promotion codes the offline checkout accepts (percent off), so discounts can be tried locally.
OFFLINE_PROMOTION_CODES = {"WELCOME10": 10}
# `rate` tax mode with no Stripe account has no `txr_…` id configured; lines carry this one.
OFFLINE_TAX_RATE_ID = "txr_offline_hst"


def _price(
    line_items: list[dict[str, Any]], *, tax_mode: str, discount_percent: int
) -> dict[str, int]:
    """Subtotal, discount, tax and total the way Stripe computes them: per line, tax after discount."""
    subtotal = discount = tax = 0
    for item in line_items:
        price = item["price_data"]
        amount = int(price["unit_amount"]) * int(item.get("quantity", 1))
        line_discount = percent_of(amount, Decimal(discount_percent))
        subtotal += amount
        discount += line_discount
        taxable = (tax_mode == "rate" and item.get("tax_rates")) or (
            tax_mode == "automatic"
            and price.get("product_data", {}).get("tax_code") != "txcd_00000000"
        )
        if taxable:
            tax += line_tax(amount - line_discount)
    return {
        "amount_subtotal": subtotal,
        "amount_discount": discount,
        "amount_tax": tax,
        "amount_total": subtotal - discount + tax,
    }


def _with_offline_tax_rate(item: dict[str, Any]) -> dict[str, Any]:
    """A line item whose `tax_rates` name no configured rate gets the offline one."""
    if "tax_rates" not in item:
        return item
    return {**item, "tax_rates": [rate or OFFLINE_TAX_RATE_ID for rate in item["tax_rates"]]}


def _tax_mode_of(params: dict[str, Any]) -> str:
    if (params.get("automatic_tax") or {}).get("enabled"):
        return "automatic"
    if any(item.get("tax_rates") for item in params.get("line_items", [])):
        return "rate"
    return "none"


class OfflineGateway:
    """Stripe's Checkout and Refunds APIs, as far as MedPath uses them, kept in the database."""

    def create_checkout_session(
        self, *, params: dict[str, Any], idempotency_key: str
    ) -> CheckoutSession:
        existing = OfflineCheckoutSession.objects.filter(idempotency_key=idempotency_key).first()
        if existing:
            return CheckoutSession.from_dict(existing.data)
        params = {**params, "line_items": [_with_offline_tax_rate(i) for i in params["line_items"]]}
        session_id = f"cs_offline_{secrets.token_hex(16)}"
        origin = "{0.scheme}://{0.netloc}".format(urlsplit(params["success_url"]))
        amounts = _price(params["line_items"], tax_mode=_tax_mode_of(params), discount_percent=0)
        data = {
            "id": session_id,
            "object": "checkout.session",
            "url": origin + reverse("payments:offline_checkout", args=[session_id]),
            "status": "open",
            "payment_status": "unpaid",
            "mode": "payment",
            "currency": params["line_items"][0]["price_data"]["currency"],
            "client_reference_id": params.get("client_reference_id"),
            "customer_email": params.get("customer_email"),
            "metadata": params.get("metadata", {}),
            "payment_intent": None,
            "expires_at": int(params["expires_at"]),
            "success_url": params["success_url"],
            "cancel_url": params["cancel_url"],
            "line_items": params["line_items"],
            "allow_promotion_codes": bool(params.get("allow_promotion_codes")),
            "tax_mode": _tax_mode_of(params),
            "amount_subtotal": amounts["amount_subtotal"],
            "amount_total": amounts["amount_total"],
            "total_details": {
                "amount_discount": amounts["amount_discount"],
                "amount_tax": amounts["amount_tax"],
                "amount_shipping": 0,
            },
            "discounts": [],
            "livemode": False,
        }
        try:
            with transaction.atomic():
                OfflineCheckoutSession.objects.create(
                    session_id=session_id, idempotency_key=idempotency_key, data=data
                )
        except IntegrityError:
            existing = OfflineCheckoutSession.objects.get(idempotency_key=idempotency_key)
            return CheckoutSession.from_dict(existing.data)
        return CheckoutSession.from_dict(data)

    def _get(self, session_id: str, *, lock: bool = False) -> OfflineCheckoutSession:
        rows = OfflineCheckoutSession.objects
        if lock:
            rows = rows.select_for_update()
        row = rows.filter(session_id=session_id).first()
        if row is None:
            raise GatewayError(f"No such checkout.session: '{session_id}'", kind="invalid")
        if row.data["status"] == "open" and row.data["expires_at"] <= time.time():
            # Stripe expires open sessions at `expires_at`; so does the offline checkout.
            row.data["status"] = "expired"
            row.save(update_fields=["data"])
        return row

    def retrieve_checkout_session(self, session_id: str) -> CheckoutSession:
        return CheckoutSession.from_dict(self._get(session_id).data)

    def raw_session(self, session_id: str) -> dict[str, Any]:
        return self._get(session_id).data

    @transaction.atomic
    def expire_checkout_session(self, session_id: str) -> CheckoutSession:
        row = self._get(session_id, lock=True)
        if row.data["status"] != "open":
            raise GatewayError(
                f'Only Checkout Sessions with a status in ["open"] can be expired. '
                f'This Checkout Session has a status of "{row.data["status"]}".',
                kind="invalid",
            )
        row.data["status"] = "expired"
        row.save(update_fields=["data"])
        return CheckoutSession.from_dict(row.data)

    @transaction.atomic
    def pay(self, session_id: str, *, promotion_code: str = "") -> dict[str, Any]:
        """Complete the session as a successful card payment; returns the session data."""
        row = self._get(session_id, lock=True)
        data = row.data
        if data["status"] != "open":
            raise GatewayError("This checkout is no longer open.", kind="invalid")
        code = promotion_code.strip().upper()
        percent = 0
        if code:
            if code not in OFFLINE_PROMOTION_CODES or not data["allow_promotion_codes"]:
                raise GatewayError("This promotion code is not valid.", kind="card")
            percent = OFFLINE_PROMOTION_CODES[code]
        amounts = _price(data["line_items"], tax_mode=data["tax_mode"], discount_percent=percent)
        data.update(
            status="complete",
            payment_status="paid",
            payment_intent=f"pi_offline_{secrets.token_hex(12)}",
            amount_subtotal=amounts["amount_subtotal"],
            amount_total=amounts["amount_total"],
            total_details={
                "amount_discount": amounts["amount_discount"],
                "amount_tax": amounts["amount_tax"],
                "amount_shipping": 0,
            },
            discounts=[{"promotion_code": code}] if code else [],
        )
        row.save(update_fields=["data"])
        return data

    def create_refund(
        self, *, payment_intent: str, amount: int, metadata: dict[str, str], idempotency_key: str
    ) -> RefundResult:
        existing = OfflineRefund.objects.filter(idempotency_key=idempotency_key).first()
        if existing is None:
            existing = self._create_refund(
                payment_intent=payment_intent,
                amount=amount,
                metadata=metadata,
                idempotency_key=idempotency_key,
            )
            transaction.on_commit(lambda: deliver_event("refund.created", existing.data))
        data = existing.data
        return RefundResult(
            id=data["id"],
            amount=data["amount"],
            status=data["status"],
            payment_intent=data["payment_intent"],
        )

    @transaction.atomic
    def _create_refund(self, *, payment_intent, amount, metadata, idempotency_key):
        sessions = OfflineCheckoutSession.objects.select_for_update().filter(
            data__payment_intent=payment_intent
        )
        session = sessions.first()
        if session is None:
            raise GatewayError(f"No such payment_intent: '{payment_intent}'", kind="invalid")
        refunded = sum(
            row.data["amount"]
            for row in OfflineRefund.objects.filter(data__payment_intent=payment_intent)
        )
        if amount <= 0 or refunded + amount > session.data["amount_total"]:
            raise GatewayError(
                f"Refund amount ({amount}) is greater than unrefunded amount on charge "
                f"({session.data['amount_total'] - refunded}).",
                kind="invalid",
                code="amount_too_large",
            )
        refund_id = f"re_offline_{secrets.token_hex(12)}"
        data = {
            "id": refund_id,
            "object": "refund",
            "amount": amount,
            "currency": session.data["currency"],
            "payment_intent": payment_intent,
            "status": "succeeded",
            "metadata": metadata,
            "created": int(time.time()),
        }
        return OfflineRefund.objects.create(
            refund_id=refund_id, idempotency_key=idempotency_key, data=data
        )

    def list_events(self, *, types: list[str], created_gte: int) -> list[dict[str, Any]]:
        # Offline events are delivered in-process the moment they happen; none can be lost.
        return []


# --- events -------------------------------------------------------------------------------


def build_event(event_type: str, obj: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": f"evt_offline_{secrets.token_hex(12)}",
        "object": "event",
        "api_version": "offline",
        "created": int(time.time()),
        "livemode": False,
        "type": event_type,
        "data": {"object": obj},
    }


def deliver_event(event_type: str, obj: dict[str, Any]) -> StripeEvent:
    """Sign an event as Stripe would and hand it to the webhook's receiver (signature check,
    storage, processing); returns the stored event."""
    payload = json.dumps(build_event(event_type, obj))
    event, _ = webhooks.event_receive(payload, sign_webhook(payload))
    return event


def offline_pay(session_id: str, *, promotion_code: str = "") -> dict[str, Any]:
    """The Pay button: complete the session, then deliver checkout.session.completed."""
    data = OfflineGateway().pay(session_id, promotion_code=promotion_code)
    deliver_event("checkout.session.completed", data)
    return data
