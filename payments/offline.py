"""The offline checkout: a stand-in for Stripe when no `STRIPE_SECRET_KEY` is configured.

`OfflineGateway` answers the same calls as `StripeGateway` (create / retrieve / expire a
Checkout Session, create a refund) from database rows shaped like Stripe's objects. The local
checkout page (`/checkout/offline/<session id>/`, a clearly marked test payment) calls
`offline_pay`, which completes the session and then builds the event Stripe would send, signs
it with the local webhook secret and hands it to the webhook's receiver
(`payments.webhooks.event_receive`, connected by `payments.apps` at start-up): the same
signature check, event storage, processing and fulfilment as a delivery to the webhook URL.

Events are delivered in-process, not by an HTTP POST to our own URL: that would depend on the
server being reachable at SITE_URL from itself (proxies, TLS, ports) and would deadlock a
single-worker server that is busy serving the Pay click.

Only this module knows offline-only details (its promotion codes, its tax-rate id); it imports
neither the views nor the Stripe gateway class, only Stripe's signature scheme. Nor does it
import the webhook handling: that runs the services, which ask `payments.gateway` for this
gateway, so the receiver is handed in (`connect_event_receiver`) as Stripe is given a URL.

Promotion codes work as on Stripe's hosted page: the buyer applies a code to the open session
(`apply_promotion_code`), the session's amounts are recomputed and shown, and Pay charges
exactly those amounts. A refused code says why (unknown, expired, not for what is being bought,
or a checkout that takes no codes).
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as format_date

from payments.gateway_types import CheckoutSession, GatewayError, RefundResult
from payments.models import OfflineCheckoutSession, OfflineRefund, StripeEvent
from payments.stripe_gateway import sign_webhook
from payments.tax import line_tax, percent_of

# `rate` tax mode with no Stripe account has no `txr_…` id configured; lines carry this one.
OFFLINE_TAX_RATE_ID = "txr_offline_hst"

# What a line sells, from its `product_data.metadata.kind`, as a refusal names it.
KIND_NOUNS = {"package": "coaching packages", "session": "single sessions and reviews"}


@dataclass(frozen=True)
class OfflinePromotionCode:
    """A promotion code as Stripe models one: a coupon's percent off, the products it applies
    to (here the kinds of line, empty for everything) and when the code stops working."""

    code: str
    percent_off: int
    applies_to: frozenset[str] = frozenset()
    expires_at: datetime | None = None

    @property
    def scope(self) -> str:
        """What the code discounts, in words: "coaching packages", or "" for everything."""
        return " and ".join(KIND_NOUNS.get(kind, kind) for kind in sorted(self.applies_to))

    @property
    def description(self) -> str:
        """What the code takes off, as a sentence: "10% off." or "15% off coaching packages."."""
        return f"{self.percent_off}% off{' ' + self.scope if self.scope else ''}."

    def applies(self, item: dict[str, Any]) -> bool:
        kind = item["price_data"]["product_data"].get("metadata", {}).get("kind", "")
        return not self.applies_to or kind in self.applies_to

    def refusal(self, line_items: list[dict[str, Any]], *, now: datetime) -> GatewayError | None:
        """Why this code cannot be used on these lines now (None when it can)."""
        if self.expires_at is not None and now >= self.expires_at:
            expired = format_date(timezone.localtime(self.expires_at), "j F Y")
            return GatewayError(
                f"The code {self.code} expired on {expired}.", kind="invalid", code="expired"
            )
        if not any(self.applies(item) for item in line_items):
            return GatewayError(
                f"The code {self.code} is for {self.scope} only, so it cannot be used on this "
                "purchase.",
                kind="invalid",
                code="not_applicable",
            )
        return None


# The codes the offline checkout knows, so discounts (and each refusal) can be tried locally.
OFFLINE_PROMOTION_CODES = {
    promotion.code: promotion
    for promotion in (
        OfflinePromotionCode("WELCOME10", 10),
        OfflinePromotionCode("PACKAGES15", 15, applies_to=frozenset({"package"})),
        OfflinePromotionCode(
            "SPRING2026", 20, expires_at=datetime(2026, 6, 1, 4, 0, tzinfo=UTC)
        ),  # midnight in Toronto
    )
}


def _normalise(code: str) -> str:
    return code.strip().upper()


def _promotion_for(code: str, data: dict[str, Any], *, now: datetime) -> OfflinePromotionCode:
    """The promotion `code` names, if this session may use it now; else a `GatewayError`
    whose message says why (the page shows it beside the code)."""
    if not code:
        raise GatewayError("Enter a promotion code first.", kind="invalid", code="missing")
    if not data["allow_promotion_codes"]:
        raise GatewayError(
            "This checkout does not take promotion codes.", kind="invalid", code="not_allowed"
        )
    promotion = OFFLINE_PROMOTION_CODES.get(code)
    if promotion is None:
        raise GatewayError(
            f"We do not know the code {code}. Check its spelling and try again.",
            kind="invalid",
            code="unknown",
        )
    refusal = promotion.refusal(data["line_items"], now=now)
    if refusal is not None:
        raise refusal
    return promotion


def applied_promotion(data: dict[str, Any]) -> OfflinePromotionCode | None:
    """The promotion applied to a session, if any."""
    for discount in data.get("discounts") or []:
        promotion = OFFLINE_PROMOTION_CODES.get(discount.get("promotion_code") or "")
        if promotion is not None:
            return promotion
    return None


def _price(
    line_items: list[dict[str, Any]], *, tax_mode: str, promotion: OfflinePromotionCode | None
) -> dict[str, int]:
    """Subtotal, discount, tax and total the way Stripe computes them: per line, tax after discount."""
    subtotal = discount = tax = 0
    for item in line_items:
        price = item["price_data"]
        amount = int(price["unit_amount"]) * int(item.get("quantity", 1))
        line_discount = 0
        if promotion is not None and promotion.applies(item):
            line_discount = percent_of(amount, Decimal(promotion.percent_off))
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


def _set_promotion(data: dict[str, Any], promotion: OfflinePromotionCode | None) -> None:
    """Attach (or with None remove) a promotion and recompute the session's amounts."""
    amounts = _price(data["line_items"], tax_mode=data["tax_mode"], promotion=promotion)
    data.update(
        amount_subtotal=amounts["amount_subtotal"],
        amount_total=amounts["amount_total"],
        total_details={
            "amount_discount": amounts["amount_discount"],
            "amount_tax": amounts["amount_tax"],
            "amount_shipping": 0,
        },
        discounts=[
            {"promotion_code": promotion.code, "coupon": {"percent_off": promotion.percent_off}}
        ]
        if promotion
        else [],
    )


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
            "livemode": False,
        }
        _set_promotion(data, None)
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

    def _get_open(self, session_id: str) -> OfflineCheckoutSession:
        row = self._get(session_id, lock=True)
        if row.data["status"] != "open":
            raise GatewayError("This checkout has ended; it can no longer be paid.", kind="invalid")
        return row

    @transaction.atomic
    def apply_promotion_code(self, session_id: str, code: str) -> dict[str, Any]:
        """Apply a promotion code to an open session: its amounts now include the discount.
        A code that cannot be used raises a `GatewayError` saying why; nothing changes."""
        row = self._get_open(session_id)
        promotion = _promotion_for(_normalise(code), row.data, now=timezone.now())
        _set_promotion(row.data, promotion)
        row.save(update_fields=["data"])
        return row.data

    @transaction.atomic
    def remove_promotion_code(self, session_id: str) -> dict[str, Any]:
        row = self._get_open(session_id)
        _set_promotion(row.data, None)
        row.save(update_fields=["data"])
        return row.data

    def pay(self, session_id: str, *, expected_total: int | None = None) -> dict[str, Any]:
        """Complete the session as a successful card payment, charging its amounts as they
        stand (the discount applied before, if any); returns the session data.

        `expected_total` is the total the buyer's page showed: when the session's total differs
        (a code applied or removed in another tab, a code that expired meanwhile) nothing is
        charged and a `GatewayError` asks the buyer to check the new total.
        """
        with transaction.atomic():
            row = self._get_open(session_id)
            data = row.data
            promotion = applied_promotion(data)
            refusal = promotion and promotion.refusal(data["line_items"], now=timezone.now())
            if refusal:
                _set_promotion(data, None)  # dropped, and the buyer sees the new total first
                row.save(update_fields=["data"])
            elif expected_total is None or expected_total == data["amount_total"]:
                data.update(
                    status="complete",
                    payment_status="paid",
                    payment_intent=f"pi_offline_{secrets.token_hex(12)}",
                )
                row.save(update_fields=["data"])
                return data
        if refusal:
            raise GatewayError(
                f"{refusal.message} It has been removed: check the new total, then pay.",
                kind="invalid",
                code=refusal.code,
            )
        raise GatewayError(
            "The total has changed since this page was shown. Nothing was charged: check the "
            "total below, then pay.",
            kind="invalid",
            code="amount_changed",
        )

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

# Takes a signed delivery as the webhook view does, (payload, Stripe-Signature header), and
# returns (stored event, was new).
EventReceiver = Callable[[str, str], tuple[StripeEvent, bool]]

_event_receiver: EventReceiver | None = None


def connect_event_receiver(receiver: EventReceiver) -> None:
    """Where `deliver_event` hands the events made here: `payments.apps` connects
    `payments.webhooks.event_receive` when the app is ready, in every process."""
    global _event_receiver
    _event_receiver = receiver


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
    if _event_receiver is None:
        raise ImproperlyConfigured("No receiver for offline events: is the payments app ready?")
    payload = json.dumps(build_event(event_type, obj))
    event, _ = _event_receiver(payload, sign_webhook(payload))
    return event


def offline_pay(session_id: str, *, expected_total: int | None = None) -> dict[str, Any]:
    """The Pay button: complete the session, then deliver checkout.session.completed."""
    data = OfflineGateway().pay(session_id, expected_total=expected_total)
    deliver_event("checkout.session.completed", data)
    return data
