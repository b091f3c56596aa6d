"""Buying one session: the slot is held for the checkout's life and confirmed when paid."""

import json
from datetime import timedelta

import pytest

from booking import services as booking_services
from booking.models import BookingStatus
from payments.models import Order, OrderStatus, Refund
from tests.accounts.factories import BuyerFactory
from tests.booking.factories import EVERY_DAY_9_TO_5, utc
from tests.coaching.factories import CoachFactory, ServiceFactory
from tests.payments.conftest import post_event, stripe_event

NOW = utc(2027, 3, 1, 12, 0)  # a Monday
SLOT = "2027-03-03T15:00:00Z"  # Wednesday 10:00 in Toronto, inside the coach's hours


@pytest.fixture
def now(time_machine):
    time_machine.move_to(NOW, tick=False)
    return NOW


@pytest.fixture
def service(db):
    return ServiceFactory(
        slug="strategy", name="Strategy session", duration_minutes=60, single_price_cents=15500
    )


@pytest.fixture
def coach(db, service):
    return CoachFactory(
        slug="priya", display_name="Dr. Priya", services=[service], hours=EVERY_DAY_9_TO_5
    )


def start_json(client, **overrides):
    body = {"service": "strategy", "coach": "priya", "start": SLOT, **overrides}
    return client.post(
        "/api/v1/checkout/session", data=json.dumps(body), content_type="application/json"
    )


@pytest.fixture
def started(client, buyer, coach, now, fake_stripe):
    client.force_login(buyer)
    response = start_json(client)
    assert response.status_code == 201, response.content
    order = Order.objects.get(public_id=response.json()["order"])
    return order, order.lines.get().booking, response.json()


@pytest.mark.django_db
def test_start_holds_the_slot_until_the_checkout_expires(started, fake_stripe):
    order, booking, body = started

    assert booking.status == BookingStatus.HELD
    assert booking.start.isoformat() == "2027-03-03T15:00:00+00:00"
    assert booking.hold_expires_at == order.checkout_expires_at
    assert booking.hold_expires_at - NOW >= timedelta(minutes=30)
    assert body["checkout_url"] == order.checkout_url
    assert body["booking"] == booking.public_id
    (request,) = fake_stripe.requests_to("POST", "/v1/checkout/sessions")
    assert int(request.params["expires_at"]) == int(booking.hold_expires_at.timestamp())
    (item,) = request.params["line_items"]
    assert item["price_data"]["unit_amount"] == "15500"
    assert item["price_data"]["product_data"]["name"] == "Strategy session with Dr. Priya"
    assert (order.total_cents, order.currency) == (15500, "CAD")


@pytest.mark.django_db
def test_payment_confirms_the_held_booking(client, started, fake_stripe):
    order, booking, _ = started
    session = fake_stripe.pay(order.stripe_checkout_session_id)

    post_event(client, stripe_event("checkout.session.completed", dict(session)))

    booking.refresh_from_db()
    order.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED
    assert order.status == OrderStatus.PAID
    assert not fake_stripe.requests_to("POST", "/v1/refunds")


@pytest.mark.django_db
def test_cancelling_on_stripe_expires_the_session_and_frees_the_slot(
    client, started, fake_stripe, service, coach
):
    order, booking, _ = started

    page = client.get(f"/checkout/cancel/{order.public_id}/")

    assert page.status_code == 200
    assert "free again" in page.content.decode()
    assert fake_stripe.requests_to(
        "POST", f"/v1/checkout/sessions/{order.stripe_checkout_session_id}/expire"
    )
    booking.refresh_from_db()
    order.refresh_from_db()
    assert booking.status == BookingStatus.EXPIRED
    assert order.status == OrderStatus.EXPIRED
    someone_else = BuyerFactory()
    again = booking_services.booking_hold(
        applicant=someone_else,
        coach=coach,
        service=service,
        start=booking.start,
        hold_until=NOW + timedelta(minutes=30),
    )
    assert again.status == BookingStatus.HELD


@pytest.mark.django_db
def test_cancel_page_of_someone_elses_order_is_404(client, started):
    order, booking, _ = started
    client.force_login(BuyerFactory())
    assert client.get(f"/checkout/cancel/{order.public_id}/").status_code == 404
    booking.refresh_from_db()
    assert booking.status == BookingStatus.HELD


@pytest.mark.django_db
def test_cancel_after_paying_keeps_the_payment(client, started, fake_stripe):
    order, booking, _ = started
    fake_stripe.pay(order.stripe_checkout_session_id)

    page = client.get(f"/checkout/cancel/{order.public_id}/")

    assert "already gone through" in page.content.decode()
    order.refresh_from_db()
    booking.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert booking.status == BookingStatus.CONFIRMED


@pytest.mark.django_db
def test_payment_after_the_slot_was_lost_is_refunded_automatically(
    client,
    started,
    fake_stripe,
    service,
    coach,
    time_machine,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    order, booking, _ = started
    time_machine.move_to(NOW + timedelta(minutes=40), tick=False)
    booking_services.bookings_expire_stale_holds()
    booking_services.booking_hold(
        applicant=BuyerFactory(),
        coach=coach,
        service=service,
        start=booking.start,
        hold_until=NOW + timedelta(minutes=70),
    )
    session = fake_stripe.pay(order.stripe_checkout_session_id)

    with django_capture_on_commit_callbacks(execute=True):
        response = post_event(client, stripe_event("checkout.session.completed", dict(session)))

    assert response.status_code == 200
    (refund_request,) = fake_stripe.requests_to("POST", "/v1/refunds")
    assert refund_request.params["amount"] == "15500"
    assert refund_request.params["payment_intent"] == session["payment_intent"]
    assert refund_request.idempotency_key == f"medpath-order-{order.public_id}-refund-automatic"
    order.refresh_from_db()
    booking.refresh_from_db()
    assert order.status == OrderStatus.REFUNDED
    assert order.refunded_cents == 15500
    assert not order.auto_refund_due
    assert "taken" in order.attention_note
    assert Refund.objects.get().origin == Refund.Origin.AUTOMATIC
    assert booking.status == BookingStatus.EXPIRED
    (email,) = [m for m in mailoutbox if "taken" in m.subject]
    assert not [m for m in mailoutbox if "receipt" in m.subject.lower()]
    assert email.to == [order.buyer.email]
    assert "refunded the full amount (CA$155.00)" in email.body
    # A second delivery refunds nothing more.
    post_event(client, stripe_event("checkout.session.completed", dict(session)))
    assert len(fake_stripe.requests_to("POST", "/v1/refunds")) == 1


@pytest.mark.django_db
def test_late_payment_still_gets_its_session_when_the_time_is_free(
    client, started, fake_stripe, time_machine
):
    order, booking, _ = started
    time_machine.move_to(NOW + timedelta(minutes=40), tick=False)
    booking_services.bookings_expire_stale_holds()
    session = fake_stripe.pay(order.stripe_checkout_session_id)

    post_event(client, stripe_event("checkout.session.completed", dict(session)))

    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED
    assert not fake_stripe.requests_to("POST", "/v1/refunds")


@pytest.mark.django_db
def test_stripe_error_releases_the_hold_and_fails_the_order(client, buyer, coach, now, fake_stripe):
    client.force_login(buyer)
    fake_stripe.fail_next("connection")

    response = start_json(client)

    assert response.status_code == 502
    assert response.json()["code"] == "stripe_connection"
    order = Order.objects.get()
    assert order.status == OrderStatus.FAILED
    assert order.lines.get().booking.status == BookingStatus.EXPIRED
    retry = start_json(client)
    assert retry.status_code == 201


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "status", "code"),
    [
        ({"start": ""}, 400, "invalid"),
        ({"start": "next tuesday"}, 400, "invalid"),
        ({"start": "2027-03-03T15:00:00"}, 400, "invalid"),
        ({"service": "nope"}, 404, "not_found"),
        ({"coach": "nope"}, 404, "not_found"),
        ({"start": "2027-03-03T03:00:00Z"}, 409, "slot_taken"),
    ],
)
def test_bad_requests_get_a_clear_4xx_and_leave_nothing_behind(
    client, buyer, coach, now, fake_stripe, overrides, status, code
):
    client.force_login(buyer)
    response = start_json(client, **overrides)
    assert response.status_code == status
    assert response.json()["code"] == code
    assert response.json()["detail"]
    assert not Order.objects.exists()
    assert fake_stripe.requests == []


@pytest.mark.django_db
def test_a_service_without_a_single_price_cannot_be_bought_alone(
    client, buyer, coach, service, now, fake_stripe
):
    service.single_price_cents = None
    service.save()
    client.force_login(buyer)
    response = start_json(client)
    assert response.status_code == 400
    assert response.json()["code"] == "not_for_sale"


@pytest.mark.django_db
def test_anonymous_json_caller_gets_401(client, coach, now, fake_stripe):
    response = start_json(client)
    assert response.status_code == 401
    assert not Order.objects.exists()


@pytest.mark.django_db
def test_form_post_redirects_to_the_checkout(client, buyer, coach, now, fake_stripe):
    client.force_login(buyer)
    response = client.post(
        "/checkout/session/", {"service": "strategy", "coach": "priya", "start": SLOT}
    )
    assert response.status_code == 303
    assert response["Location"] == Order.objects.get().checkout_url


@pytest.mark.django_db
def test_one_buyer_cannot_hold_a_coachs_whole_day(client, buyer, coach, now, fake_stripe):
    client.force_login(buyer)
    for hour in (14, 16):
        assert start_json(client, start=f"2027-03-04T{hour}:00:00Z").status_code == 201
    third = start_json(client, start="2027-03-04T18:00:00Z")
    assert third.status_code == 409
    assert third.json()["code"] == "too_many_holds"
    assert "Pay for or cancel one of them first" in third.json()["detail"]
    assert Order.objects.count() == 2
    client.get(f"/checkout/cancel/{Order.objects.first().public_id}/")
    assert start_json(client, start="2027-03-04T18:00:00Z").status_code == 201


@pytest.mark.django_db
def test_offline_single_session_journey_confirms_the_booking(client, buyer, coach, now, offline):
    client.force_login(buyer)
    started = start_json(client)
    assert started.status_code == 201
    checkout_url = started.json()["checkout_url"]
    assert "/checkout/offline/" in checkout_url

    paid = client.post(checkout_url, {"action": "pay"})

    assert paid.status_code == 303
    order = Order.objects.get()
    booking = order.lines.get().booking
    assert order.status == OrderStatus.PAID
    assert booking.status == BookingStatus.CONFIRMED
    assert client.get(paid["Location"]).status_code == 200


@pytest.mark.django_db
def test_offline_cancel_frees_the_held_slot(client, buyer, coach, now, offline):
    client.force_login(buyer)
    checkout_url = start_json(client).json()["checkout_url"]
    cancel = client.post(checkout_url, {"action": "cancel"})
    client.get(cancel["Location"])
    order = Order.objects.get()
    assert order.status == OrderStatus.EXPIRED
    assert order.lines.get().booking.status == BookingStatus.EXPIRED
    assert start_json(client).status_code == 201


@pytest.mark.django_db
def test_payment_for_a_hold_cancelled_meanwhile_is_refunded(client, started, fake_stripe):
    order, booking, _ = started
    booking.status = BookingStatus.CANCELLED
    booking.save()
    session = fake_stripe.pay(order.stripe_checkout_session_id)

    response = post_event(client, stripe_event("checkout.session.completed", dict(session)))

    assert response.status_code == 200
    order.refresh_from_db()
    assert order.status == OrderStatus.REFUNDED
    assert len(fake_stripe.requests_to("POST", "/v1/refunds")) == 1


@pytest.mark.django_db
def test_api_checkout_is_session_auth_with_csrf(buyer, coach, now, fake_stripe):
    from django.middleware.csrf import _get_new_csrf_string
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(buyer)

    refused = start_json(client)

    assert refused.status_code in (401, 403)
    assert refused.json()["detail"]
    assert not Order.objects.exists()
    token = _get_new_csrf_string()
    client.cookies["csrftoken"] = token
    body = {"service": "strategy", "coach": "priya", "start": SLOT}
    accepted = client.post(
        "/api/v1/checkout/session",
        data=json.dumps(body),
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token,
    )
    assert accepted.status_code == 201
    assert accepted.json()["order"] == Order.objects.get().public_id


@pytest.mark.django_db
def test_api_checkout_is_in_the_openapi_schema(client):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/checkout/session"]["post"]
    assert set(operation["responses"]) >= {"201"}


@pytest.mark.django_db
def test_form_post_with_a_problem_goes_back_with_a_message(client, buyer, coach, now, fake_stripe):
    client.force_login(buyer)
    response = client.post(
        "/checkout/session/",
        {"service": "nope", "coach": "priya", "start": SLOT, "next": "/book/?service=strategy"},
        follow=True,
    )
    assert response.redirect_chain[0] == ("/book/?service=strategy", 303)
    assert "That service or coach does not exist." in response.content.decode()
    assert not Order.objects.exists()


@pytest.mark.django_db
def test_any_coach_checkout_holds_the_assigned_coach_and_names_them(
    client, buyer, coach, service, now, offline
):
    """No coach sent: the hold assigns one ("any coach"), and the order line names them."""
    CoachFactory(slug="ali", display_name="Dr. Ali", services=[service], hours=EVERY_DAY_9_TO_5)
    client.force_login(buyer)
    response = start_json(client, coach="")
    assert response.status_code == 201, response.content
    line = Order.objects.get(public_id=response.json()["order"]).lines.get()
    assert line.booking.status == BookingStatus.HELD
    assert line.booking.coach.slug == "ali"  # both free, nobody booked: the tie goes by slug
    assert line.name == "Strategy session with Dr. Ali"
