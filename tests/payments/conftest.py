import json
import secrets
import time

import pytest
import stripe

from tests.accounts.factories import BuyerFactory
from tests.coaching.factories import PackageFactory, ServiceFactory
from tests.payments.fake_stripe import FakeStripe

WEBHOOK_SECRET = "whsec_test_medpath"


@pytest.fixture(scope="session")
def _fake_stripe_server():
    fake = FakeStripe().start()
    yield fake
    fake.stop()


@pytest.fixture
def fake_stripe(_fake_stripe_server, settings):
    """Real Stripe mode, with stripe-python talking to the fake on 127.0.0.1."""
    _fake_stripe_server.reset()
    settings.STRIPE_SECRET_KEY = "sk_test_fake"
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_API_BASE = _fake_stripe_server.url
    settings.STRIPE_MAX_NETWORK_RETRIES = 0
    settings.STRIPE_TAX_MODE = "none"
    settings.STRIPE_TAX_RATE_ID = "txr_hst_on"
    settings.STRIPE_TAX_RATE_PERCENT = "13"
    return _fake_stripe_server


@pytest.fixture
def offline(settings):
    """No Stripe keys: the offline checkout stands in."""
    settings.STRIPE_SECRET_KEY = ""
    settings.STRIPE_WEBHOOK_SECRET = ""
    settings.STRIPE_TAX_MODE = "none"
    settings.STRIPE_TAX_RATE_PERCENT = "13"


@pytest.fixture
def buyer(db):
    return BuyerFactory(email="amal@example.com", display_name="Amal", time_zone="Asia/Kolkata")


@pytest.fixture
def package(db):
    """Two sessions of one service for CA$345."""
    return PackageFactory(
        slug="interview-ready",
        name="Interview ready",
        price_cents=34500,
        items=[(ServiceFactory(), 2)],
    )


def stripe_event(event_type, obj, *, event_id=None):
    return {
        "id": event_id or f"evt_{secrets.token_hex(10)}",
        "object": "event",
        "api_version": "2025-01-27",
        "created": int(time.time()),
        "livemode": False,
        "type": event_type,
        "data": {"object": obj},
    }


def post_event(client, event, *, secret=WEBHOOK_SECRET, timestamp=None, signature=None):
    """POST an event to the webhook, signed with Stripe's real scheme."""
    payload = json.dumps(event)
    if signature is None:
        signature = stripe.WebhookSignature.generate_signature_header(
            payload, secret, timestamp=timestamp
        )
    headers = {"HTTP_STRIPE_SIGNATURE": signature} if signature else {}
    return client.post("/stripe/webhook/", data=payload, content_type="application/json", **headers)


def pay_package(client, fake_stripe, buyer, package, **kwargs):
    """A paid order for `package`: checkout started, paid on the fake Stripe's page (kwargs:
    `discount`, `promotion_code`), fulfilled by the signed `checkout.session.completed`."""
    from payments import services

    order = services.checkout_start_package(
        buyer=buyer, package=package, base_url="http://testserver"
    )
    session = fake_stripe.pay(order.stripe_checkout_session_id, **kwargs)
    post_event(client, stripe_event("checkout.session.completed", dict(session)))
    order.refresh_from_db()
    return order
