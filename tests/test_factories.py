"""The factories themselves: one per model, sequences that never hand two factories the same
row, and a trait for every status."""

import pytest
from django.contrib.auth import get_user_model

from booking.models import BookingStatus
from payments.models import OrderStatus
from tests.accounts.factories import BuyerFactory, UserFactory
from tests.booking.factories import BookingFactory, CreditFactory
from tests.coaching.factories import CoachFactory, PackageFactory, ServiceFactory
from tests.payments.factories import OrderFactory

pytestmark = pytest.mark.django_db


def test_a_user_then_a_coach_are_two_different_people():
    applicant = UserFactory()
    coach = CoachFactory()
    assert coach.user != applicant
    assert coach.user.email != applicant.email
    assert get_user_model().objects.count() == 2


def test_a_buyer_then_a_booking_involve_three_different_people():
    buyer = BuyerFactory()
    booking = BookingFactory()
    people = {buyer.pk, booking.applicant.pk, booking.coach.user.pk}
    assert len(people) == 3


def test_a_buyer_has_a_verified_address_unless_asked_not_to():
    assert BuyerFactory().emailaddress_set.get().verified
    assert not BuyerFactory(verified=False).emailaddress_set.exists()
    assert not UserFactory().emailaddress_set.exists()


def test_services_and_coaches_made_in_turn_never_share_a_slug():
    services = [ServiceFactory(), ServiceFactory(review=True), CreditFactory().service]
    coaches = [CoachFactory(), BookingFactory().coach, CoachFactory()]
    assert len({service.slug for service in services}) == 3
    assert len({coach.slug for coach in coaches}) == 3


@pytest.mark.parametrize("status", BookingStatus.values)
def test_every_booking_status_has_a_trait(status):
    assert BookingFactory(**{status: True}).status == status


@pytest.mark.parametrize("status", OrderStatus.values)
def test_every_order_status_has_a_trait(status):
    assert OrderFactory(**{status: True}).status == status


def test_refunded_orders_were_paid_first():
    order = OrderFactory(refunded=True)
    assert order.paid_at is not None
    assert order.refunded_cents == order.total_cents
    partly = OrderFactory(partially_refunded=True)
    assert 0 < partly.refunded_cents < partly.total_cents


def test_a_package_takes_a_count_of_items_or_services_with_quantities():
    service = ServiceFactory()
    assert PackageFactory(items=3).items.count() == 3
    assert PackageFactory(items=0).items.count() == 0
    (item,) = PackageFactory(items=[(service, 2)]).items.all()
    assert (item.service, item.quantity) == (service, 2)


def test_an_order_line_copies_its_package():
    line = OrderFactory().lines.get()
    assert line.name == line.package.name
    assert line.unit_price_cents == line.package.price_cents
    assert line.entitlements == [
        {"service_id": item.service_id, "service_name": item.service.name, "quantity": 1}
        for item in line.package.items.all()
    ]


def test_the_old_import_paths_are_the_same_factories():
    import tests.booking.factories as booking
    import tests.factories as shared
    import tests.payments.factories as payments

    assert shared.UserFactory is booking.UserFactory is UserFactory
    assert shared.CoachFactory is booking.CoachFactory is CoachFactory
    assert shared.ServiceFactory is booking.ServiceFactory is ServiceFactory
    assert shared.PackageFactory is payments.PackageFactory is PackageFactory
    assert shared.BuyerFactory is payments.BuyerFactory is BuyerFactory
