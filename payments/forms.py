"""Reading what buyers send (the single-session checkout, as a form post or through the API)
and the staff forms (Wagtail admin)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django import forms

from coaching.models import Coach, Service
from core.dates import parse_datetime
from core.errors import DomainError
from core.money import format_money
from payments.errors import CheckoutInvalid, CheckoutNotFound


@dataclass(frozen=True)
class SessionChoice:
    """One session to buy: what, with whom (None: "any coach", assigned when it is held), when
    (aware)."""

    service: Service
    coach: Coach | None
    start: datetime


def _parse_start(value: str) -> datetime:
    try:
        return parse_datetime(value, name="start")
    except DomainError as exc:
        raise CheckoutInvalid(exc.message) from exc


def session_choice(*, service: str, coach: str, start: str) -> SessionChoice:
    """The session a buyer picked, from slugs and an ISO 8601 time with an offset (no coach:
    "any coach"); raises `CheckoutInvalid` (400) for something missing or unreadable,
    `CheckoutNotFound` (404) for a service or coach that does not exist."""
    if not (service and start):
        raise CheckoutInvalid("Choose a service and a time.")
    chosen_service = Service.objects.active().filter(slug=service).first()
    chosen_coach = Coach.objects.active().filter(slug=coach).first() if coach else None
    if chosen_service is None or (coach and chosen_coach is None):
        raise CheckoutNotFound("That service or coach does not exist.")
    return SessionChoice(service=chosen_service, coach=chosen_coach, start=_parse_start(start))


class RefundForm(forms.Form):
    """Refund part or all of an order; amounts are entered in dollars, stored in cents."""

    amount = forms.DecimalField(
        label="Amount to refund (CAD)",
        min_value=Decimal("0.01"),
        max_digits=9,
        decimal_places=2,
        help_text="Everything that remains is refunded when you leave the full amount.",
    )
    reason = forms.CharField(
        max_length=300,
        help_text="The applicant sees this in the refund email.",
        widget=forms.TextInput,
    )
    # One per form shown: the refund's idempotency key, so a double submit refunds once.
    token = forms.CharField(widget=forms.HiddenInput, max_length=40)

    def __init__(self, *args, order, **kwargs):
        self.order = order
        initial = kwargs.setdefault("initial", {})
        initial.setdefault(
            "amount", (Decimal(order.refundable_cents) / 100).quantize(Decimal("0.01"))
        )
        initial.setdefault("token", secrets.token_hex(16))
        super().__init__(*args, **kwargs)

    def clean_amount(self):
        cents = int(self.cleaned_data["amount"] * 100)
        if cents > self.order.refundable_cents:
            raise forms.ValidationError(
                f"At most {format_money(self.order.refundable_cents, self.order.currency)} "
                "can still be refunded on this order."
            )
        return cents
