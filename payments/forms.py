"""Staff forms (Wagtail admin)."""

import secrets
from decimal import Decimal

from django import forms

from core.money import format_money


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
