"""Template context every page gets."""

from payments.tax import tax_name


def sales_tax(request) -> dict:
    """`sales_tax_name`: what is added to taxable prices at checkout in the configured tax mode
    ("HST", "tax"), or "" when none is, so "+ HST" beside a price matches what checkout charges."""
    return {"sales_tax_name": tax_name()}
