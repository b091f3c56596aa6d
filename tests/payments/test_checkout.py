"""Buying a package: the order, its snapshot, and the Checkout Session Stripe receives."""

from datetime import timedelta

import pytest
from django.utils import timezone

from payments.models import Order, OrderStatus
from tests.accounts.factories import BuyerFactory
from tests.coaching.factories import PackageFactory, ServiceFactory


def buy(client, package, **data):
    return client.post(f"/checkout/package/{package.slug}/", data)


@pytest.mark.django_db
def test_buy_creates_pending_order_and_session_with_prices_from_the_server(
    client, buyer, package, fake_stripe
):
    client.force_login(buyer)
    response = buy(client, package, price="1", unit_amount="1", amount="1")

    order = Order.objects.get()
    assert response.status_code == 303
    assert response["Location"] == order.checkout_url
    assert order.status == OrderStatus.PENDING
    assert order.buyer == buyer
    assert (order.subtotal_cents, order.tax_cents, order.total_cents) == (34500, 0, 34500)
    line = order.lines.get()
    assert (line.name, line.unit_price_cents, line.quantity) == ("Interview ready", 34500, 1)
    assert [item["quantity"] for item in line.entitlements] == [2]

    (request,) = fake_stripe.requests_to("POST", "/v1/checkout/sessions")
    params = request.params
    assert params["mode"] == "payment"
    (item,) = params["line_items"]
    assert item["price_data"] == {
        "currency": "cad",
        "unit_amount": "34500",
        "product_data": {
            "name": "Interview ready",
            "metadata": {"order_line": str(line.pk), "kind": "package"},
        },
    }
    assert "tax_rates" not in item
    assert params["client_reference_id"] == order.public_id
    assert params["customer_email"] == "amal@example.com"
    assert params["metadata"]["order"] == order.public_id
    assert params["payment_intent_data"]["metadata"]["order"] == order.public_id
    assert params["allow_promotion_codes"] == "true"
    assert params["success_url"] == (
        "http://testserver/checkout/success/?session_id={CHECKOUT_SESSION_ID}"
    )
    assert params["cancel_url"] == f"http://testserver/checkout/cancel/{order.public_id}/"
    expires_in = int(params["expires_at"]) - timezone.now().timestamp()
    assert 30 * 60 <= expires_in <= 30 * 60 + 60
    assert request.idempotency_key == f"medpath-order-{order.public_id}-checkout"
    assert order.stripe_checkout_session_id in fake_stripe.sessions


@pytest.mark.django_db
def test_order_ids_are_long_and_random(client, buyer, package, fake_stripe):
    client.force_login(buyer)
    buy(client, package)
    buy(client, package)
    first, second = Order.objects.order_by("id")
    assert len(first.public_id) == 22
    assert first.public_id != second.public_id
    assert first.public_id != str(first.pk)


@pytest.mark.django_db
def test_buying_needs_a_login(client, package, fake_stripe):
    response = buy(client, package)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not Order.objects.exists()
    assert fake_stripe.requests == []


@pytest.mark.django_db
def test_buying_needs_a_verified_email(client, package, fake_stripe):
    client.force_login(BuyerFactory(verified=False))
    response = buy(client, package)
    assert response.status_code == 303
    assert response["Location"] == "/accounts/email/"
    assert not Order.objects.exists()
    assert fake_stripe.requests == []


@pytest.mark.django_db
def test_an_inactive_package_cannot_be_bought(client, buyer, fake_stripe):
    client.force_login(buyer)
    response = buy(client, PackageFactory(inactive=True))
    assert response.status_code == 404
    assert not Order.objects.exists()


@pytest.mark.django_db
def test_get_does_not_start_a_checkout(client, buyer, package, fake_stripe):
    client.force_login(buyer)
    assert client.get(f"/checkout/package/{package.slug}/").status_code == 405
    assert not Order.objects.exists()


# --- tax modes -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_tax_rate_mode_adds_the_configured_rate_to_taxable_lines(
    client, buyer, package, fake_stripe, settings
):
    settings.STRIPE_TAX_MODE = "rate"
    client.force_login(buyer)
    buy(client, package)

    order = Order.objects.get()
    (request,) = fake_stripe.requests_to("POST", "/v1/checkout/sessions")
    assert request.params["line_items"][0]["tax_rates"] == ["txr_hst_on"]
    assert "automatic_tax" not in request.params
    assert (order.subtotal_cents, order.tax_cents, order.total_cents) == (34500, 4485, 38985)


@pytest.mark.django_db
def test_tax_rate_mode_leaves_untaxed_packages_alone(client, buyer, fake_stripe, settings):
    settings.STRIPE_TAX_MODE = "rate"
    client.force_login(buyer)
    buy(client, PackageFactory(untaxed=True, price_cents=10000))

    order = Order.objects.get()
    (request,) = fake_stripe.requests_to("POST", "/v1/checkout/sessions")
    assert "tax_rates" not in request.params["line_items"][0]
    assert (order.tax_cents, order.total_cents) == (0, 10000)


@pytest.mark.django_db
def test_automatic_tax_mode_asks_stripe_tax(client, buyer, fake_stripe, settings):
    settings.STRIPE_TAX_MODE = "automatic"
    client.force_login(buyer)
    buy(client, PackageFactory(untaxed=True))

    (request,) = fake_stripe.requests_to("POST", "/v1/checkout/sessions")
    assert request.params["automatic_tax"] == {"enabled": "true"}
    assert request.params["billing_address_collection"] == "required"
    price_data = request.params["line_items"][0]["price_data"]
    assert price_data["tax_behavior"] == "exclusive"
    assert price_data["product_data"]["tax_code"] == "txcd_00000000"
    # Tax is unknown until Stripe computes it at checkout.
    assert Order.objects.get().tax_cents == 0


# --- Stripe errors --------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("failure", "expected"),
    [
        ("connection", "could not reach our payment provider"),
        ("card", "Your card was declined"),
        ("invalid", "could not start the payment"),
        ("server", "could not start the payment"),
    ],
)
def test_stripe_errors_leave_no_blocking_order_and_a_retry_works(
    client, buyer, package, fake_stripe, failure, expected
):
    client.force_login(buyer)
    fake_stripe.fail_next(failure)
    response = buy(client, package)

    assert response.status_code == 303
    assert response["Location"] == f"/packages/{package.slug}/"
    failed = Order.objects.get()
    assert failed.status == OrderStatus.FAILED
    message = str(list(response.wsgi_request._messages)[0])
    assert expected in message
    assert "Nothing was charged" in message

    retry = buy(client, package)
    assert retry.status_code == 303
    assert Order.objects.filter(status=OrderStatus.PENDING).count() == 1
    assert retry["Location"].startswith("https://checkout.stripe.test/")


@pytest.mark.django_db
def test_error_redirect_goes_back_to_a_safe_next_url_only(client, buyer, package, fake_stripe):
    client.force_login(buyer)
    fake_stripe.fail_next("invalid")
    response = buy(client, package, next="https://evil.example/phish")
    assert response["Location"] == f"/packages/{package.slug}/"
    fake_stripe.fail_next("invalid")
    response = buy(client, package, next="/packages/")
    assert response["Location"] == "/packages/"


@pytest.mark.django_db
def test_checkout_expiry_matches_the_configured_minutes(buyer, package, fake_stripe, settings):
    from payments import services

    settings.PAYMENTS_CHECKOUT_MINUTES = 45
    order = services.checkout_start_package(buyer=buyer, package=package, base_url="https://x")
    assert order.checkout_expires_at - timezone.now() > timedelta(minutes=45)
    assert order.checkout_expires_at - timezone.now() < timedelta(minutes=46)


@pytest.mark.django_db
def test_a_package_without_items_cannot_be_bought(client, buyer, fake_stripe):
    client.force_login(buyer)
    response = buy(client, PackageFactory(items=[]))
    assert response.status_code == 303
    assert not Order.objects.exists()
    assert "nothing in it" in str(list(response.wsgi_request._messages)[0])


@pytest.mark.django_db
def test_a_package_with_two_services_snapshots_both(client, buyer, fake_stripe):
    first, second = ServiceFactory(name="Mock MMI"), ServiceFactory(name="CASPer prep")
    client.force_login(buyer)
    buy(client, PackageFactory(items=[(first, 3), (second, 1)]))
    line = Order.objects.get().lines.get()
    assert [(i["service_name"], i["quantity"]) for i in line.entitlements] == [
        ("Mock MMI", 3),
        ("CASPer prep", 1),
    ]
