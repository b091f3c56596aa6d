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


def tax_name(mode: str | None = None) -> str:
    """What buyers call the tax added to prices in `mode` (the configured one by default): the
    fixed rate's name ("HST"), "tax" for Stripe Tax, "" when no tax is added."""
    mode = mode or settings.STRIPE_TAX_MODE
    if mode == "rate":
        return settings.STRIPE_TAX_RATE_NAME
    if mode == "automatic":
        return "tax"
    return ""


def tax_label(tax_mode: str) -> str:
    """What a tax line is called on the checkout and on receipts: "HST (13%)" for the fixed
    rate (`STRIPE_TAX_RATE_NAME`), "GST/HST" for Stripe Tax, "Tax" otherwise."""
    if tax_mode == "rate":
        return f"{settings.STRIPE_TAX_RATE_NAME} ({tax_percent().normalize():f}%)"
    if tax_mode == "automatic":
        return "GST/HST"
    return "Tax"
