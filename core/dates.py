"""The one rule for dates people send: inside the years the code can compute with.

Dates near the ends of Python's range (year 1 or 9999) overflow as soon as code adds a day,
converts a zone or builds a week around them. Every date or time that arrives from a form, a
query string or a JSON body is checked here before anything computes with it; the same bound
serves the slot picker, bookings, checkout, availability and staff tools.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated

from django.core.exceptions import ValidationError
from pydantic import AfterValidator

from core.errors import DomainError

EARLIEST = date(1900, 1, 1)
LATEST = date(2199, 12, 31)
RANGE_TEXT = f"between {EARLIEST.year} and {LATEST.year}"
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class DateInvalid(DomainError):
    code = "invalid_date"
    status = 400


def is_supported(value: date | datetime) -> bool:
    day = value.date() if isinstance(value, datetime) else value
    return EARLIEST <= day <= LATEST


def ensure_supported(value, *, name: str = "date"):
    """`value` unchanged if its year is in range; otherwise a 400 with a clear message."""
    if not is_supported(value):
        raise DateInvalid(f"{name} must be a date {RANGE_TEXT}.", code="date_out_of_range")
    return value


def parse_date(value: str, *, name: str) -> date:
    """`YYYY-MM-DD` → a date in range, or `DateInvalid`."""
    try:
        if not ISO_DATE.match(value or ""):
            raise ValueError
        parsed = date.fromisoformat(value)
    except ValueError:
        raise DateInvalid(f"{name} must be a date as YYYY-MM-DD.") from None
    return ensure_supported(parsed, name=name)


def parse_datetime(value: str, *, name: str) -> datetime:
    """An ISO 8601 date and time with an offset (`Z` allowed) → an aware datetime in range."""
    try:
        parsed = datetime.fromisoformat((value or "").replace("Z", "+00:00"))
    except (ValueError, AttributeError):
        parsed = None
    if parsed is None or parsed.tzinfo is None:
        raise DateInvalid(
            f"{name} must be an ISO 8601 date and time with an offset, "
            "e.g. 2027-03-15T19:30:00+05:30.",
            code="invalid_datetime",
        )
    return ensure_supported(parsed, name=name)


def validate_supported_date(value) -> None:
    """Django form and model field validator with the same bound."""
    if value is not None and not is_supported(value):
        raise ValidationError(f"Enter a date {RANGE_TEXT}.", code="date_out_of_range")


def _checked(value):
    if not is_supported(value):
        raise ValueError(f"must be a date {RANGE_TEXT}")
    return value


# For django-ninja / pydantic schemas: `start: SupportedDatetime`.
SupportedDate = Annotated[date, AfterValidator(_checked)]
SupportedDatetime = Annotated[datetime, AfterValidator(_checked)]
