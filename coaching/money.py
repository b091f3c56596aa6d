"""Money helpers shared by the catalogue, booking and payments: integer cents, ISO currency."""

from decimal import Decimal

DEFAULT_CURRENCY = "CAD"


def format_money(cents: int, currency: str = DEFAULT_CURRENCY) -> str:
    """`34500, "CAD"` → `"CA$345.00"`; negative amounts keep their sign in front."""
    sign = "-" if cents < 0 else ""
    amount = Decimal(abs(cents)) / 100
    symbol = {"CAD": "CA$", "USD": "US$"}.get(currency.upper(), currency.upper() + " ")
    return f"{sign}{symbol}{amount:,.2f}"
