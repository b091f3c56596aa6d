"""Shared test factories. Each app keeps its own section."""

# --- booking ---
from tests.booking.factories import (  # noqa: F401
    BookingFactory,
    CoachFactory,
    CreditFactory,
    ServiceFactory,
    UserFactory,
)

# --- payments ---
from tests.payments.factories import (  # noqa: F401,E402
    BuyerFactory,
    OrderFactory,
    PackageFactory,
)
