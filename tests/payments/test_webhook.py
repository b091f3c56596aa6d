"""The webhook: signatures, storing each event once, and fulfilment exactly once."""

import time
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from booking.models import Credit
from payments import services
from payments.models import Order, OrderStatus, StripeEvent
from payments.webhooks import events_retry_failed
from tests.payments.conftest import post_event, stripe_event


@pytest.fixture
def order(buyer, package, fake_stripe):
    return services.checkout_start_package(
        buyer=buyer, package=package, base_url="http://testserver"
    )


def completed(fake_stripe, order, **pay):
    session = fake_stripe.pay(order.stripe_checkout_session_id, **pay)
    return stripe_event("checkout.session.completed", dict(session))


@pytest.mark.django_db
def test_completed_event_marks_the_order_paid_and_grants_the_package_credits(
    client, order, fake_stripe, buyer, mailoutbox, django_capture_on_commit_callbacks
):
    event = completed(fake_stripe, order)
    with django_capture_on_commit_callbacks(execute=True):
        response = post_event(client, event)

    assert response.status_code == 200
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert order.stripe_payment_intent_id.startswith("pi_")
    assert order.paid_at is not None
    (credit,) = Credit.objects.all()
    assert credit.applicant == buyer
    assert (credit.quantity, credit.remaining) == (2, 2)
    assert credit.source == f"order-line:{order.lines.get().pk}:service:{credit.service_id}"
    assert credit.expires_at.date() == services.add_months(order.paid_at, 12).date()
    stored = StripeEvent.objects.get()
    assert (stored.event_id, stored.type, stored.order) == (
        event["id"],
        "checkout.session.completed",
        order,
    )
    assert stored.processed_at is not None and stored.error == ""
    # Fulfilment re-read the session from Stripe rather than trusting the event body.
    assert fake_stripe.requests_to(
        "GET", f"/v1/checkout/sessions/{order.stripe_checkout_session_id}"
    )
    (receipt,) = mailoutbox
    assert receipt.to == ["amal@example.com"]
    assert "receipt" in receipt.subject.lower()
    assert "CA$345.00" in receipt.body


@pytest.mark.django_db
def test_forged_signature_is_rejected_and_nothing_is_stored(client, order, fake_stripe):
    response = post_event(client, completed(fake_stripe, order), secret="whsec_someone_else")
    assert response.status_code == 400
    assert not StripeEvent.objects.exists()
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING
    assert not Credit.objects.exists()


@pytest.mark.django_db
def test_missing_signature_is_rejected(client, order, fake_stripe):
    response = post_event(client, completed(fake_stripe, order), signature="")
    assert response.status_code == 400
    assert not StripeEvent.objects.exists()


@pytest.mark.django_db
def test_stale_signature_is_rejected(client, order, fake_stripe):
    ten_minutes_ago = int(time.time()) - 600
    response = post_event(client, completed(fake_stripe, order), timestamp=ten_minutes_ago)
    assert response.status_code == 400
    assert not StripeEvent.objects.exists()


@pytest.mark.django_db
def test_signature_from_the_future_is_rejected(client, order, fake_stripe):
    in_ten_minutes = int(time.time()) + 600
    response = post_event(client, completed(fake_stripe, order), timestamp=in_ten_minutes)
    assert response.status_code == 400
    assert not StripeEvent.objects.exists()
    in_a_minute = int(time.time()) + 60  # clocks drift a little: still accepted
    assert (
        post_event(client, completed(fake_stripe, order), timestamp=in_a_minute).status_code == 200
    )


@pytest.mark.django_db
def test_signed_body_that_is_not_an_event_is_rejected(client, fake_stripe):
    import json

    import stripe

    payload = json.dumps({"hello": "world"})
    signature = stripe.WebhookSignature.generate_signature_header(payload, "whsec_test_medpath")
    response = client.post(
        "/stripe/webhook/",
        data=payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=signature,
    )
    assert response.status_code == 400


@pytest.mark.django_db
def test_replayed_event_is_acknowledged_and_changes_nothing(client, order, fake_stripe):
    event = completed(fake_stripe, order)
    post_event(client, event)
    credit = Credit.objects.get()
    credit.remaining = 1  # the buyer booked one session meanwhile
    credit.save()

    response = post_event(client, event)

    assert response.status_code == 200
    assert response.json()["duplicate"] is True
    assert StripeEvent.objects.count() == 1
    assert Credit.objects.get().remaining == 1


@pytest.mark.django_db
def test_completed_delivered_twice_under_two_event_ids_grants_once(client, order, fake_stripe):
    event = completed(fake_stripe, order)
    post_event(client, event)
    post_event(client, {**event, "id": "evt_second_delivery"})
    post_event(
        client,
        stripe_event("checkout.session.async_payment_succeeded", event["data"]["object"]),
    )
    assert StripeEvent.objects.count() == 3
    assert Credit.objects.count() == 1


@pytest.mark.django_db
def test_fulfilling_an_order_again_sends_one_receipt_and_keeps_its_paid_at(
    order, fake_stripe, mailoutbox, django_capture_on_commit_callbacks, time_machine
):
    time_machine.move_to(timezone.now())
    fake_stripe.pay(order.stripe_checkout_session_id)
    with django_capture_on_commit_callbacks(execute=True):
        services.order_fulfil(session_id=order.stripe_checkout_session_id)
    order.refresh_from_db()
    paid_at = order.paid_at

    time_machine.shift(timedelta(minutes=10))  # a late redelivery, or the success page
    with django_capture_on_commit_callbacks(execute=True):
        services.order_fulfil(session_id=order.stripe_checkout_session_id)

    order.refresh_from_db()
    assert (order.paid_at, order.fulfilled_at) == (paid_at, paid_at)
    assert [mail.subject for mail in mailoutbox] == [f"Your MedPath receipt ({order.reference})"]


@pytest.mark.django_db
def test_expired_event_arriving_after_completed_leaves_the_order_paid(client, order, fake_stripe):
    event = completed(fake_stripe, order)
    post_event(client, event)
    late = {**event["data"]["object"], "status": "expired"}
    response = post_event(client, stripe_event("checkout.session.expired", late))
    assert response.status_code == 200
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert Credit.objects.get().revoked_at is None


@pytest.mark.django_db
def test_success_page_before_the_webhook_grants_once(client, order, fake_stripe, buyer):
    event = completed(fake_stripe, order)
    client.force_login(buyer)

    page = client.get(f"/checkout/success/?session_id={order.stripe_checkout_session_id}")

    assert page.status_code == 200
    assert "your order is confirmed" in page.content.decode()
    assert Credit.objects.count() == 1
    post_event(client, event)
    client.get(f"/checkout/success/?session_id={order.stripe_checkout_session_id}")
    assert Credit.objects.count() == 1
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID


@pytest.mark.django_db
def test_success_page_of_someone_elses_session_is_404(client, order, fake_stripe):
    from tests.accounts.factories import BuyerFactory

    fake_stripe.pay(order.stripe_checkout_session_id)
    client.force_login(BuyerFactory())
    page = client.get(f"/checkout/success/?session_id={order.stripe_checkout_session_id}")
    assert page.status_code == 404
    assert not Credit.objects.exists()


@pytest.mark.django_db
def test_success_page_while_payment_is_processing_waits(client, order, fake_stripe, buyer):
    client.force_login(buyer)
    page = client.get(f"/checkout/success/?session_id={order.stripe_checkout_session_id}")
    assert page.status_code == 200
    assert "confirming your payment" in page.content.decode()
    assert not Credit.objects.exists()


@pytest.mark.django_db
def test_delayed_payment_is_fulfilled_when_it_succeeds(client, order, fake_stripe):
    session = fake_stripe.pay(order.stripe_checkout_session_id, payment_status="unpaid")
    post_event(client, stripe_event("checkout.session.completed", dict(session)))
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING
    assert not Credit.objects.exists()

    session["payment_status"] = "paid"
    post_event(client, stripe_event("checkout.session.async_payment_succeeded", dict(session)))
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert Credit.objects.count() == 1


@pytest.mark.django_db
def test_delayed_payment_that_fails_fails_the_order(client, order, fake_stripe):
    session = fake_stripe.pay(order.stripe_checkout_session_id, payment_status="unpaid")
    post_event(client, stripe_event("checkout.session.async_payment_failed", dict(session)))
    order.refresh_from_db()
    assert order.status == OrderStatus.FAILED
    assert not Credit.objects.exists()


@pytest.mark.django_db
def test_expired_event_expires_a_pending_order(client, order, fake_stripe):
    session = fake_stripe.expire(order.stripe_checkout_session_id)
    post_event(client, stripe_event("checkout.session.expired", dict(session)))
    order.refresh_from_db()
    assert order.status == OrderStatus.EXPIRED


@pytest.mark.django_db
def test_unknown_event_types_are_stored_and_acknowledged(client, fake_stripe):
    response = post_event(client, stripe_event("customer.created", {"id": "cus_1"}))
    assert response.status_code == 200
    stored = StripeEvent.objects.get()
    assert stored.type == "customer.created"
    assert stored.processed_at is not None


@pytest.mark.django_db
def test_processing_error_is_recorded_not_raised_and_retried_later(client, order, fake_stripe):
    event = completed(fake_stripe, order)
    fake_stripe.fail_next("connection")  # Stripe unreachable when fulfilment re-reads the session

    response = post_event(client, event)

    assert response.status_code == 200
    stored = StripeEvent.objects.get()
    assert stored.processed_at is None
    assert "GatewayError" in stored.error
    assert not Credit.objects.exists()

    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        assert events_retry_failed() == 1
    stored.refresh_from_db()
    assert stored.processed_at is not None and stored.error == ""
    assert Credit.objects.count() == 1


@pytest.mark.django_db
def test_redelivery_of_an_event_whose_processing_failed_processes_it(client, order, fake_stripe):
    event = completed(fake_stripe, order)
    fake_stripe.fail_next("connection")
    post_event(client, event)
    assert not Credit.objects.exists()

    post_event(client, event)

    assert Credit.objects.count() == 1
    assert StripeEvent.objects.get().attempts == 2


@pytest.mark.django_db
def test_dispute_flags_the_order_and_freezes_unused_credits(client, order, fake_stripe):
    post_event(client, completed(fake_stripe, order))
    order.refresh_from_db()
    dispute = {
        "id": "dp_1",
        "object": "dispute",
        "amount": order.total_cents,
        "charge": "ch_1",
        "payment_intent": order.stripe_payment_intent_id,
        "reason": "fraudulent",
    }
    post_event(client, stripe_event("charge.dispute.created", dispute))
    order.refresh_from_db()
    assert order.needs_attention and order.disputed_at is not None
    assert "fraudulent" in order.attention_note
    assert Credit.objects.get().frozen_at is not None


@pytest.mark.django_db
def test_completed_event_for_an_unknown_session_is_recorded_harmlessly(client, fake_stripe):
    fake_stripe.sessions["cs_test_foreign"] = {
        "id": "cs_test_foreign",
        "status": "complete",
        "payment_status": "paid",
        "payment_intent": "pi_x",
        "amount_total": 100,
        "amount_subtotal": 100,
        "currency": "cad",
        "total_details": {},
        "metadata": {},
        "client_reference_id": None,
    }
    response = post_event(
        client, stripe_event("checkout.session.completed", {"id": "cs_test_foreign"})
    )
    assert response.status_code == 200
    assert StripeEvent.objects.get().processed_at is not None
    assert not Order.objects.exists()


@pytest.mark.django_db
def test_webhook_only_accepts_post(client):
    assert client.get("/stripe/webhook/").status_code == 405
