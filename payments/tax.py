"""Tax arithmetic, the way Stripe does it: per line, on the amount after discount, rounded to
the cent half up. Our estimate before payment and the offline checkout both use it, so an
offline order's figures are the ones real Stripe would report."""

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings


def percent_of(cents: int, percent: Decimal) -> int:
    """`percent` % of `cents`, rounded to a whole cent, half up (13 % of 31050 → 4037)."""
    return int((Decimal(cents) * percent / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def tax_percent() -> Decimal:
    """The fixed rate of `STRIPE_TAX_MODE=rate` (and the offline checkout's), in percent."""
    return Decimal(str(settings.STRIPE_TAX_RATE_PERCENT))


def line_tax(cents: int) -> int:
    """Tax on one taxable line of `cents` (after any discount) at the configured rate."""
    return percent_of(cents, tax_percent())


def tax_label(tax_mode: str) -> str:
    """What a tax line is called on receipts: `"GST/HST (13%)"` for the fixed rate."""
    if tax_mode == "rate":
        return f"GST/HST ({tax_percent().normalize():f}%)"
    if tax_mode == "automatic":
        return "GST/HST"
    return "Tax"
