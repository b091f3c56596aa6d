"""Old import path, kept so that branches written against it still work: each factory lives in
`tests/<app>/factories.py` (people in tests/accounts, the catalogue in tests/coaching,
scheduling in tests/booking, orders in tests/payments). Import from there."""

from tests.accounts.factories import (
    USER_PASSWORD,
    BuyerFactory,
    EmailAddressFactory,
    UserFactory,
)
from tests.booking.factories import BookingFactory, CreditFactory
from tests.coaching.factories import (
    CoachFactory,
    PackageFactory,
    PackageFaqFactory,
    PackageItemFactory,
    ServiceFactory,
)
from tests.payments.factories import OrderFactory

__all__ = [
    "USER_PASSWORD",
    "BookingFactory",
    "BuyerFactory",
    "CoachFactory",
    "CreditFactory",
    "EmailAddressFactory",
    "OrderFactory",
    "PackageFactory",
    "PackageFaqFactory",
    "PackageItemFactory",
    "ServiceFactory",
    "UserFactory",
]
