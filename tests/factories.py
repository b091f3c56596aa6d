"""Shared test factories. Each app keeps its own section."""

# --- booking ---
from tests.booking.factories import (  # noqa: F401
    BookingFactory,
    CoachFactory,
    CreditFactory,
    ServiceFactory,
    UserFactory,
)
