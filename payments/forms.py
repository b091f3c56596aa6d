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
from core.money import cents_to_dollars, dollars_to_cents, format_money
from payments.errors import CheckoutInvalid, CheckoutNotFound


@dataclass(frozen=True)
class SessionChoice:
    """One session to buy: what, with whom, when (aware)."""

    service: Service
    coach: Coach
    start: datetime


def _parse_start(value: str) -> datetime:
    try:
        return parse_datetime(value, name="start")
    except DomainError as exc:
        raise CheckoutInvalid(exc.message) from exc


def session_choice(*, service: str, coach: str, start: str) -> SessionChoice:
    """The session a buyer picked, from slugs and an ISO 8601 time with an offset; raises
    `CheckoutInvalid` (400) for something missing or unreadable, `CheckoutNotFound` (404) for a
    service or coach that does not exist."""
    if not (service and coach and start):
        raise CheckoutInvalid("Choose a service, a coach and a time.")
    chosen_service = Service.objects.active().filter(slug=service).first()
    chosen_coach = Coach.objects.active().filter(slug=coach).first()
    if chosen_service is None or chosen_coach is None:
        raise CheckoutNotFound("That service or coach does not exist.")
    return SessionChoice(service=chosen_service, coach=chosen_coach, start=_parse_start(start))


class RefundForm(forms.Form):
    """Refund part or all of an order; amounts are entered in dollars, stored in cents. Staff
    review it first (`RefundConfirmForm` then carries the stated amount back)."""

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
        initial.setdefault("amount", cents_to_dollars(order.refundable_cents))
        initial.setdefault("token", secrets.token_hex(16))
        super().__init__(*args, **kwargs)

    def clean_amount(self):
        cents = dollars_to_cents(self.cleaned_data["amount"])
        if cents > self.order.refundable_cents:
            raise forms.ValidationError(
                f"At most {format_money(self.order.refundable_cents, self.order.currency)} "
                "can still be refunded on this order."
            )
        return cents

    @property
    def is_full(self) -> bool:
        """Refunds everything that remains: the order is then refunded in full, with all that
        a full refund takes back."""
        return self.cleaned_data["amount"] == self.order.refundable_cents


class RefundConfirmForm(RefundForm):
    """The confirmation step: the amount, reason and token staff reviewed, sent back as they
    were stated, with whether the page called it a full refund. The order may have changed in
    between (another refund); then the statement is no longer true and nothing is refunded."""

    full = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("amount", "reason"):
            self.fields[name].widget = forms.HiddenInput()

    @classmethod
    def stating(cls, form: RefundForm) -> RefundConfirmForm:
        """The confirmation of a reviewed `form`, its amount back in dollars."""
        data = form.cleaned_data
        return cls(
            order=form.order,
            initial={
                "amount": cents_to_dollars(data["amount"]),
                "reason": data["reason"],
                "token": data["token"],
                "full": form.is_full,
            },
        )

    def clean(self):
        cleaned = super().clean()
        if "amount" in cleaned and cleaned.get("full", False) != self.is_full:
            raise forms.ValidationError(
                "This order changed while you were confirming (another refund was made), so "
                "the confirmation no longer says what would happen. Nothing was refunded; "
                "review the refund again."
            )
        return cleaned
