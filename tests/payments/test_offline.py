"""The offline checkout: no Stripe keys, same events, same webhook, same fulfilment."""

import os
import subprocess
import sys

import pytest

from booking.models import Credit
from payments import services
from payments.gateway import get_gateway
from payments.models import Order, OrderStatus, Refund, StripeEvent
from payments.offline import OfflineGateway


def start(client, buyer, package):
    client.force_login(buyer)
    response = client.post(f"/checkout/package/{package.slug}/")
    assert response.status_code == 303
    return Order.objects.get(), response["Location"]


@pytest.mark.django_db
def test_buy_leads_to_the_local_test_payment_page(client, buyer, package, offline):
    order, location = start(client, buyer, package)

    assert isinstance(get_gateway(), OfflineGateway)
    assert location == f"http://testserver/checkout/offline/{order.stripe_checkout_session_id}/"
    page = client.get(location)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Test payment: no money moves" in html
    assert "Interview ready" in html
    assert "CA$345.00" in html


@pytest.mark.django_db
def test_pay_sends_a_signed_event_through_the_webhook_and_fulfils(
    client, buyer, package, offline, mailoutbox, django_capture_on_commit_callbacks
):
    order, location = start(client, buyer, package)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(location, {"action": "pay"})

    assert response.status_code == 303
    assert response["Location"] == (
        f"http://testserver/checkout/success/?session_id={order.stripe_checkout_session_id}"
    )
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert order.stripe_payment_intent_id.startswith("pi_offline_")
    assert Credit.objects.get().quantity == 2
    event = StripeEvent.objects.get()
    assert event.type == "checkout.session.completed"
    assert event.processed_at is not None
    assert len(mailoutbox) == 1
    success = client.get(response["Location"])
    assert "your order is confirmed" in success.content.decode()
    assert Credit.objects.count() == 1


@pytest.mark.django_db
def test_offline_events_are_signed_with_a_secret_derived_from_secret_key(client, offline, settings):
    import json

    from payments.offline import build_event
    from payments.stripe_gateway import sign_webhook, webhook_secret

    settings.SECRET_KEY = "first-secret-key"
    first = webhook_secret()
    payload = json.dumps(build_event("customer.created", {"id": "cus_1"}))
    signature = sign_webhook(payload)
    settings.SECRET_KEY = "second-secret-key"

    assert first.startswith("whsec_offline_")
    assert webhook_secret() != first
    response = client.post(
        "/stripe/webhook/",
        data=payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=signature,
    )
    assert response.status_code == 400  # signed with another SECRET_KEY's secret
    settings.STRIPE_WEBHOOK_SECRET = "whsec_configured"
    assert webhook_secret() == "whsec_configured"


@pytest.mark.django_db
def test_offline_promotion_code_gives_a_discount(client, buyer, package, offline, settings):
    settings.STRIPE_TAX_MODE = "rate"
    settings.STRIPE_TAX_RATE_ID = ""
    order, location = start(client, buyer, package)
    client.post(location, {"action": "apply", "promotion_code": "welcome10"})
    client.post(location, {"action": "pay"})
    order.refresh_from_db()
    # 10% off 345.00 = 34.50; 13% tax on 310.50 = 40.37 (rounded half up); total 350.87.
    assert (order.subtotal_cents, order.discount_cents, order.tax_cents, order.total_cents) == (
        34500,
        3450,
        4037,
        35087,
    )
    assert order.promotion_code == "WELCOME10"
    # No Stripe account, so no configured rate id: the offline gateway names its own.
    session = OfflineGateway().raw_session(order.stripe_checkout_session_id)
    assert [item["tax_rates"] for item in session["line_items"]] == [["txr_offline_hst"]]


@pytest.mark.django_db
def test_offline_unknown_promotion_code_is_a_form_error(client, buyer, package, offline):
    order, location = start(client, buyer, package)
    response = client.post(location, {"action": "apply", "promotion_code": "FREEMONEY"})
    assert response.status_code == 400
    assert "We do not know the code FREEMONEY" in response.content.decode()
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING


@pytest.mark.django_db
def test_offline_cancel_goes_to_cancel_url_and_expires_the_order(client, buyer, package, offline):
    order, location = start(client, buyer, package)
    response = client.post(location, {"action": "cancel"})
    assert response.status_code == 303
    assert response["Location"] == f"http://testserver/checkout/cancel/{order.public_id}/"

    page = client.get(response["Location"])

    assert page.status_code == 200
    assert "Checkout cancelled" in page.content.decode()
    order.refresh_from_db()
    assert order.status == OrderStatus.EXPIRED
    assert OfflineGateway().retrieve_checkout_session(order.stripe_checkout_session_id).status == (
        "expired"
    )
    # A cancelled checkout can no longer be paid.
    refused = client.post(location, {"action": "pay"})
    assert refused.status_code == 400
    assert "can no longer be paid" in refused.content.decode()
    order.refresh_from_db()
    assert order.status == OrderStatus.EXPIRED


@pytest.mark.django_db
def test_offline_page_is_unreachable_with_real_keys(client, buyer, package, offline, settings):
    order, location = start(client, buyer, package)
    settings.STRIPE_SECRET_KEY = "sk_test_real"
    settings.STRIPE_WEBHOOK_SECRET = "whsec_real"
    assert client.get(location).status_code == 404
    assert client.post(location, {"action": "pay"}).status_code == 404
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING


@pytest.mark.django_db
def test_unknown_offline_session_is_404(client, offline):
    assert client.get("/checkout/offline/cs_offline_nope/").status_code == 404


@pytest.mark.django_db
def test_offline_refund_is_recorded_once_even_with_its_event(
    client, buyer, package, offline, django_capture_on_commit_callbacks
):
    order, location = start(client, buyer, package)
    client.post(location, {"action": "pay"})
    order.refresh_from_db()
    staff = type(buyer).objects.create_user("staff@example.com", "pw", is_staff=True)

    with django_capture_on_commit_callbacks(execute=True):
        services.order_refund(
            order=order, amount_cents=5000, reason="Goodwill", actor=staff, idempotency_token="t1"
        )

    order.refresh_from_db()
    assert order.status == OrderStatus.PARTIALLY_REFUNDED
    assert order.refunded_cents == 5000
    assert Refund.objects.count() == 1
    assert StripeEvent.objects.filter(type="refund.created").get().processed_at is not None


def test_production_refuses_real_stripe_keys_without_a_webhook_secret():
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("STRIPE_", "DEBUG", "DATABASE_URL"))
    }
    env.update(
        SECRET_KEY="x" * 50,
        ALLOWED_HOSTS="medpath.example",
        STRIPE_SECRET_KEY="sk_live_123",
        DJANGO_SETTINGS_MODULE="medpath.settings",
        # Live keys also need the seller's real details for receipts (core/business.py).
        BUSINESS_NAME="Maple Admissions Coaching Ltd.",
        BUSINESS_ADDRESS="1 Bay Street; Toronto, ON  M5J 2T3",
    )
    code = "import django; django.setup()"
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "STRIPE_WEBHOOK_SECRET" in result.stderr

    env["STRIPE_WEBHOOK_SECRET"] = "whsec_live"
    ok = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert ok.returncode == 0, ok.stderr


@pytest.mark.django_db
def test_offline_events_pass_the_webhooks_signature_check(offline, monkeypatch):
    import json

    from payments import offline as offline_module
    from payments.gateway import WebhookSignatureInvalid
    from payments.offline import build_event, deliver_event
    from payments.webhooks import event_receive

    payload = json.dumps(build_event("customer.created", {"id": "cus_1"}))
    with pytest.raises(WebhookSignatureInvalid):
        event_receive(payload, "t=1,v1=forged")
    assert not StripeEvent.objects.exists()

    # The Pay button's delivery is checked too: a wrongly signed event is refused, unstored.
    monkeypatch.setattr(offline_module, "sign_webhook", lambda payload: "t=1,v1=forged")
    with pytest.raises(WebhookSignatureInvalid):
        deliver_event("customer.created", {"id": "cus_2"})
    assert not StripeEvent.objects.exists()
    monkeypatch.undo()

    event = deliver_event("customer.created", {"id": "cus_3"})
    event.refresh_from_db()
    assert (event.type, event.processed_at is not None) == ("customer.created", True)
