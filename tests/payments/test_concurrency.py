"""Two deliveries of one event at the same moment, on PostgreSQL with real threads."""

import threading

import pytest
from django.db import connection, connections
from django.test import Client

from booking.models import Credit
from payments import services
from payments.models import OrderStatus, StripeEvent
from tests.payments.conftest import post_event, stripe_event

pytestmark = pytest.mark.postgres


def run_together(*targets):
    barrier = threading.Barrier(len(targets))
    results, errors = [], []

    def worker(target):
        try:
            barrier.wait()
            results.append(target())
        except Exception as exc:  # surfaced below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(target,)) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors, errors
    return results


@pytest.fixture
def paid_session(buyer, package, fake_stripe):
    if connection.vendor != "postgresql":
        pytest.skip("concurrency tests need PostgreSQL (SQLite serialises every writer)")
    order = services.checkout_start_package(
        buyer=buyer, package=package, base_url="http://testserver"
    )
    return order, fake_stripe.pay(order.stripe_checkout_session_id)


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_deliveries_of_one_event_grant_once(paid_session, mailoutbox):
    order, session = paid_session
    event = stripe_event("checkout.session.completed", dict(session))

    responses = run_together(*[lambda: post_event(Client(), event) for _ in range(4)])

    assert [r.status_code for r in responses] == [200] * 4
    assert StripeEvent.objects.count() == 1
    assert Credit.objects.count() == 1
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert len(mailoutbox) == 1  # one receipt: fulfilment ran once


@pytest.mark.django_db(transaction=True)
def test_success_page_racing_the_webhook_grants_once(paid_session, buyer, mailoutbox):
    order, session = paid_session
    event = stripe_event("checkout.session.completed", dict(session))

    def success_page():
        client = Client()
        client.force_login(buyer)
        return client.get(f"/checkout/success/?session_id={session['id']}")

    responses = run_together(
        lambda: post_event(Client(), event),
        success_page,
        lambda: post_event(Client(), {**event, "id": "evt_other"}),
        success_page,
    )

    assert sorted(r.status_code for r in responses) == [200] * 4
    assert Credit.objects.count() == 1
    assert Credit.objects.get().quantity == 2
    assert len(mailoutbox) == 1
