"""What payments asks of a payment provider and what it gets back: the `Gateway` calls, the
plain dataclasses they return (never stripe objects) and the errors.

The bottom of payments' provider modules: both implementations (`payments.stripe_gateway`,
`payments.offline`) and the chooser (`payments.gateway`, which re-exports these names for
everyone else) import it, and it imports neither.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol


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


def id_of(value: Any) -> str | None:
    """The id of a Stripe reference, whether Stripe sent it as an id or expanded as an object."""
    if isinstance(value, dict):
        return value.get("id")
    return value or None


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
            payment_intent=id_of(data.get("payment_intent")),
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
