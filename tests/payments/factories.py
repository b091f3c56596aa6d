"""Factories for payments tests: verified buyers, packages with items, orders by status."""

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from coaching.models import Package, PackageItem
from payments.models import LineKind, Order, OrderLine, OrderStatus
from tests.booking.factories import ServiceFactory, UserFactory


class BuyerFactory(UserFactory):
    """A user whose email address is verified (allauth), so they may buy."""

    class Meta:
        skip_postgeneration_save = True

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.update_or_create(
                user=self, email=self.email, defaults={"verified": True, "primary": True}
            )


class PackageFactory(factory.django.DjangoModelFactory):
    """A package; `items=[(service, quantity), ...]` (default: two sessions of one service)."""

    class Meta:
        model = Package
        django_get_or_create = ("slug",)
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Interview package {n}")
    slug = factory.Sequence(lambda n: f"interview-package-{n}")
    summary = "Mock interviews with feedback."
    price_cents = 34500
    taxable = True
    validity_months = 12

    class Params:
        untaxed = factory.Trait(taxable=False)
        inactive = factory.Trait(active=False)

    @factory.post_generation
    def items(self, create, extracted, **kwargs):
        if not create:
            return
        for service, quantity in extracted if extracted is not None else [(ServiceFactory(), 2)]:
            PackageItem.objects.create(package=self, service=service, quantity=quantity)


class OrderFactory(factory.django.DjangoModelFactory):
    """An order with one package line, written directly (for listing and permission tests)."""

    class Meta:
        model = Order
        skip_postgeneration_save = True

    buyer = factory.SubFactory(BuyerFactory)
    status = OrderStatus.PENDING
    subtotal_cents = 34500
    total_cents = 34500

    class Params:
        paid = factory.Trait(
            status=OrderStatus.PAID,
            paid_at=factory.LazyFunction(timezone.now),
            fulfilled_at=factory.LazyFunction(timezone.now),
            stripe_payment_intent_id=factory.Sequence(lambda n: f"pi_factory_{n}"),
            stripe_checkout_session_id=factory.Sequence(lambda n: f"cs_factory_{n}"),
        )
        refunded = factory.Trait(status=OrderStatus.REFUNDED, refunded_cents=34500)

    @factory.post_generation
    def line(self, create, extracted, **kwargs):
        if create and extracted is not False:
            package = PackageFactory()
            OrderLine.objects.create(
                order=self,
                kind=LineKind.PACKAGE,
                package=package,
                name=package.name,
                unit_price_cents=package.price_cents,
                entitlements=[
                    {
                        "service_id": i.service_id,
                        "service_name": i.service.name,
                        "quantity": i.quantity,
                    }
                    for i in package.items.all()
                ],
            )
