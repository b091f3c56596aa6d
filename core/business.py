"""Who sells: the business name, address and GST/HST registration number printed on receipts.

Read from the environment by `site/settings.py` (`BUSINESS_*`), so the payments app finds them
in Django's settings without asking the CMS. With nothing set the demo's invented details are
used, and receipts say they are a sample. Live Stripe keys take real money, and a Canadian
receipt for a taxed sale must name the seller and its GST/HST number, so with live keys the
settings refuse to start on the demo's details (`business_problems`).

No Django imports here: settings load this before Django is set up.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

# The demo's business: an invented address and a number in the real format whose check digit
# is wrong on purpose, so it can never be someone's registration.
DEMO_NAME = "MedPath Coaching Inc."
DEMO_ADDRESS = "100 Example Avenue, Suite 400; Toronto, ON  M5V 0A1; Canada"
DEMO_TAX_NUMBER = "123456789 RT0001"
DEMO_EMAIL = "billing@medpath.example"

# 9 digits (the Business Number), "RT" (the GST/HST program) and a 4-digit reference.
TAX_NUMBER = re.compile(r"^(\d{9})\s*RT\s*(\d{4})$")


@dataclass(frozen=True)
class Business:
    """The seller as a receipt prints it."""

    name: str
    address_lines: tuple[str, ...]
    tax_number: str  # "123456789 RT0001", or "" for a seller not registered for GST/HST
    email: str
    is_demo: bool


def address_lines(address: str) -> tuple[str, ...]:
    """An address written on one line with `;` (or newlines) between its lines."""
    return tuple(part.strip() for part in re.split(r"[;\n]", address) if part.strip())


def normalise_tax_number(value: str) -> str:
    """`"123456789RT0001"`, `"123456789 rt 0001"` → `"123456789 RT0001"`; raises ValueError for
    anything that is not a GST/HST program account number."""
    match = TAX_NUMBER.match(value.strip().upper())
    if not match:
        raise ValueError(
            f"BUSINESS_TAX_NUMBER {value!r} is not a GST/HST number like 123456789 RT0001."
        )
    return f"{match[1]} RT{match[2]}"


def business_number_checks_out(tax_number: str) -> bool:
    """The Business Number's last digit is a Luhn check digit (as the CRA issues them)."""
    digits = [int(char) for char in tax_number[:9]]
    total = 0
    for position, digit in enumerate(reversed(digits)):
        if position % 2:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0


def payments_are_live(stripe_secret_key: str) -> bool:
    """Live keys move real money; test-mode keys and the offline checkout do not."""
    return stripe_secret_key.startswith(("sk_live_", "rk_live_"))


def business_from_environ(environ: Mapping[str, str]) -> Business:
    """The seller from `BUSINESS_*`, each missing value taken from the demo (then `is_demo`)."""
    name = environ.get("BUSINESS_NAME", "").strip()
    address = environ.get("BUSINESS_ADDRESS", "").strip()
    tax_number = environ.get("BUSINESS_TAX_NUMBER", "").strip()
    email = environ.get("BUSINESS_EMAIL", "").strip()
    is_demo = not (name and address)
    if not (name or address or tax_number):
        tax_number = DEMO_TAX_NUMBER
    return Business(
        name=name or DEMO_NAME,
        address_lines=address_lines(address or DEMO_ADDRESS),
        tax_number=normalise_tax_number(tax_number) if tax_number else "",
        email=email or (DEMO_EMAIL if is_demo else ""),
        is_demo=is_demo,
    )


def business_problems(business: Business, *, live: bool, taxed: bool) -> list[str]:
    """Why these details may not go on receipts of real sales (empty when they may)."""
    if not live:
        return []
    problems = []
    if business.is_demo:
        problems.append("BUSINESS_NAME and BUSINESS_ADDRESS")
    if taxed and not business.tax_number:
        problems.append("BUSINESS_TAX_NUMBER (tax is charged, so receipts need it)")
    if business.tax_number == DEMO_TAX_NUMBER or (
        business.tax_number and not business_number_checks_out(business.tax_number)
    ):
        problems.append("a real BUSINESS_TAX_NUMBER (its check digit is wrong)")
    return problems
