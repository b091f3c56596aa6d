"""Money helpers shared by the catalogue, booking and payments: integer cents, ISO currency."""

from decimal import ROUND_HALF_UP, Decimal

DEFAULT_CURRENCY = "CAD"


def format_money(cents: int, currency: str = DEFAULT_CURRENCY) -> str:
    """`34500, "CAD"` → `"CA$345.00"`; negative amounts keep their sign in front."""
    sign = "-" if cents < 0 else ""
    amount = Decimal(abs(cents)) / 100
    symbol = {"CAD": "CA$", "USD": "US$"}.get(currency.upper(), currency.upper() + " ")
    return f"{sign}{symbol}{amount:,.2f}"


CENT = Decimal("0.01")


def dollars_to_cents(amount: Decimal) -> int:
    """`Decimal("345.00")` → `34500`; amounts are rounded to the cent (half up) first."""
    return int(amount.quantize(CENT, rounding=ROUND_HALF_UP) * 100)


def cents_to_dollars(cents: int) -> Decimal:
    """`34500` → `Decimal("345.00")`, for showing an amount in an editable form field."""
    return (Decimal(cents) / 100).quantize(CENT)
