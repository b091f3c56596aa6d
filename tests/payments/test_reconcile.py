"""Reconciliation: lost webhooks never leave money without goods, or holds without end."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from booking.models import BookingStatus, Credit
from payments import services
from payments.models import Order, OrderStatus, StripeEvent
from payments.reconcile import orders_reconcile
from payments.tasks import reconcile_orders
from tests.booking.factories import BookingFactory
from tests.payments.conftest import stripe_event


def later(minutes):
    return time_machine.travel(timezone.now() + timedelta(minutes=minutes), tick=False)


@pytest.fixture
def order(buyer, package, fake_stripe):
    return services.checkout_start_package(
        buyer=buyer, package=package, base_url="http://testserver"
    )


@pytest.mark.django_db
def test_paid_order_whose_webhook_was_lost_is_fulfilled(order, fake_stripe):
    fake_stripe.pay(order.stripe_checkout_session_id)
    with later(5):
        counts = reconcile_orders()
    order.refresh_from_db()
    assert counts["fulfilled"] == 1
    assert order.status == OrderStatus.PAID
    assert Credit.objects.count() == 1
    with later(10):
        assert orders_reconcile()["fulfilled"] == 0
    assert Credit.objects.count() == 1


@pytest.mark.django_db
def test_expired_checkout_expires_the_order_and_frees_its_hold(order, fake_stripe):
    booking = BookingFactory(held=True, applicant=order.buyer)
    line = order.lines.get()
    line.booking = booking  # a held session on the same order, for the release
    line.save()
    fake_stripe.expire(order.stripe_checkout_session_id)
    with later(40):
        counts = orders_reconcile()
    order.refresh_from_db()
    booking.refresh_from_db()
    assert counts["expired"] == 1
    assert order.status == OrderStatus.EXPIRED
    assert booking.status == BookingStatus.EXPIRED


@pytest.mark.django_db
def test_young_checkouts_are_left_to_the_webhook(order, fake_stripe):
    fake_stripe.pay(order.stripe_checkout_session_id)
    assert orders_reconcile()["fulfilled"] == 0
    assert not fake_stripe.requests_to("GET", "/v1/checkout/sessions/")


@pytest.mark.django_db
def test_pending_order_that_never_got_a_session_fails(buyer, package, fake_stripe):
    order = services.order_create_for_package(buyer=buyer, package=package)
    with later(15):
        assert orders_reconcile()["orphans_failed"] == 1
    order.refresh_from_db()
    assert order.status == OrderStatus.FAILED


@pytest.mark.django_db
def test_stripe_unreachable_leaves_the_order_for_the_next_run(order, fake_stripe):
    fake_stripe.pay(order.stripe_checkout_session_id)
    fake_stripe.fail_next("connection")
    with later(5):
        assert orders_reconcile()["fulfilled"] == 0
    assert Order.objects.get().status == OrderStatus.PENDING
    with later(10):
        assert orders_reconcile()["fulfilled"] == 1


@pytest.mark.django_db
def test_events_stripe_sent_but_we_never_received_are_fetched_and_processed(order, fake_stripe):
    session = fake_stripe.pay(order.stripe_checkout_session_id)
    fake_stripe.events.append(stripe_event("checkout.session.completed", dict(session)))
    counts = orders_reconcile()
    assert counts["missed_events"] == 1
    assert StripeEvent.objects.get().processed_at is not None
    assert Order.objects.get().status == OrderStatus.PAID
    (listing,) = fake_stripe.requests_to("GET", "/v1/events")
    assert "checkout.session.completed" in listing.params["types"]
    assert orders_reconcile()["missed_events"] == 0


@pytest.mark.django_db
def test_automatic_refund_that_failed_is_retried(client, fake_stripe, buyer):
    from tests.payments.factories import OrderFactory

    order = OrderFactory(paid=True, buyer=buyer)
    fake_stripe.sessions["cs"] = {
        "payment_intent": order.stripe_payment_intent_id,
        "amount_total": order.total_cents,
        "currency": "cad",
    }
    Order.objects.filter(pk=order.pk).update(auto_refund_due=True)
    fake_stripe.fail_next("connection")
    assert orders_reconcile()["auto_refunds"] == 0
    assert orders_reconcile()["auto_refunds"] == 1
    order.refresh_from_db()
    assert (order.status, order.auto_refund_due) == (OrderStatus.REFUNDED, False)


@pytest.mark.django_db
def test_reconciliation_sweeps_stale_holds(fake_stripe):
    booking = BookingFactory(held=True)
    with later(31):
        assert orders_reconcile()["holds_expired"] == 1
    booking.refresh_from_db()
    assert booking.status == BookingStatus.EXPIRED
