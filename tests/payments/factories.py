"""Factories for payments: orders with a trait per status, and their lines.

Buyers and packages come from tests/accounts and tests/coaching; the names this module used to
define are re-exported so older imports keep working.
"""

import factory
from django.utils import timezone

from payments.models import LineKind, Order, OrderLine, OrderStatus
from tests.accounts.factories import BuyerFactory
from tests.coaching.factories import PackageFactory

__all__ = [
    "BuyerFactory",  # re-export: tests.accounts.factories
    "OrderFactory",
    "OrderLineFactory",
    "PackageFactory",  # re-export: tests.coaching.factories
]


def _package_entitlements(package) -> list[dict]:
    return [
        {
            "service_id": item.service_id,
            "service_name": item.service.name,
            "quantity": item.quantity,
        }
        for item in package.items.all()
    ]


class OrderLineFactory(factory.django.DjangoModelFactory):
    """A package line, its name, price and entitlements copied from a new package."""

    class Meta:
        model = OrderLine

    order = factory.SubFactory("tests.payments.factories.OrderFactory", line=False)
    kind = LineKind.PACKAGE
    package = factory.SubFactory(PackageFactory)
    name = factory.SelfAttribute("package.name")
    unit_price_cents = factory.SelfAttribute("package.price_cents")
    entitlements = factory.LazyAttribute(lambda o: _package_entitlements(o.package))


class OrderFactory(factory.django.DjangoModelFactory):
    """A pending CA$345 order by a verified buyer with one package line, written directly (for
    listing and permission tests); `line=False` for none.

    One trait per status: `pending`, `paid`, `partially_refunded`, `refunded`, `expired`,
    `failed`.
    """

    class Meta:
        model = Order
        skip_postgeneration_save = True

    buyer = factory.SubFactory(BuyerFactory)
    status = OrderStatus.PENDING
    subtotal_cents = 34500
    total_cents = 34500
    line = factory.RelatedFactory(OrderLineFactory, factory_related_name="order")

    class Params:
        pending = factory.Trait(status=OrderStatus.PENDING)
        paid = factory.Trait(
            status=OrderStatus.PAID,
            paid_at=factory.LazyFunction(timezone.now),
            fulfilled_at=factory.LazyFunction(timezone.now),
            stripe_payment_intent_id=factory.Sequence(lambda n: f"pi_factory_{n}"),
            stripe_checkout_session_id=factory.Sequence(lambda n: f"cs_factory_{n}"),
        )
        partially_refunded = factory.Trait(
            paid=True,
            status=OrderStatus.PARTIALLY_REFUNDED,
            refunded_cents=factory.LazyAttribute(lambda o: o.total_cents // 2),
        )
        refunded = factory.Trait(
            paid=True,
            status=OrderStatus.REFUNDED,
            refunded_cents=factory.SelfAttribute("total_cents"),
        )
        expired = factory.Trait(status=OrderStatus.EXPIRED)
        failed = factory.Trait(status=OrderStatus.FAILED, failure_reason="Your card was declined.")
