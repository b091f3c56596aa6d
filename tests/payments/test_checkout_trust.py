"""The checkout a buyer can trust: the price shown before paying is the price paid (promotion
codes applied first, refused with a reason), the configured tax shown by name, a single
session's time and coach, what cancelling it gives back, and the policies linked by Pay."""

import json
import re
from datetime import UTC, datetime
from urllib.parse import urlsplit

import pytest

from payments.models import Order, OrderStatus
from payments.offline import OfflineGateway
from tests.booking.factories import EVERY_DAY_9_TO_5, utc
from tests.coaching.factories import CoachFactory, ServiceFactory

NOW = utc(2027, 3, 1, 12, 0)  # a Monday
SLOT = "2027-03-03T15:00:00Z"  # Wednesday 10:00 in Toronto, 20:30 in Kolkata


@pytest.fixture
def now(time_machine):
    time_machine.move_to(NOW, tick=False)
    return NOW


@pytest.fixture
def hst(offline, settings):
    settings.STRIPE_TAX_MODE = "rate"
    settings.STRIPE_TAX_RATE_ID = ""
    settings.STRIPE_TAX_RATE_PERCENT = "13"


def buy_package(client, buyer, package):
    client.force_login(buyer)
    response = client.post(f"/checkout/package/{package.slug}/")
    assert response.status_code == 303
    return Order.objects.get(), response["Location"]


def pay_button(html: str) -> str:
    return re.search(r"<button[^>]*value=\"pay\"[^>]*>([^<]*)</button>", html).group(1)


def expected_total(html: str) -> str:
    return re.search(r'name="expected_total" value="(\d+)"', html).group(1)


# --- promotion codes: applied before paying ------------------------------------------------


@pytest.mark.django_db
def test_applying_a_code_shows_the_discount_line_and_the_new_total_on_pay(
    client, buyer, package, hst
):
    order, location = buy_package(client, buyer, package)
    before = client.get(location).content.decode()
    assert pay_button(before) == "Pay CA$389.85 (test)"  # 345.00 + 13% HST

    applied = client.post(location, {"action": "apply", "promotion_code": " welcome10 "})

    assert applied.status_code == 303
    assert applied["Location"] == urlsplit(location).path  # back to the page, to see the total
    html = client.get(location).content.decode()
    assert "Discount (WELCOME10, 10% off)" in html
    assert "-CA$34.50" in html
    # 345.00 - 34.50 = 310.50; 13% HST on that = 40.37 (half up); total 350.87.
    assert "CA$40.37" in html
    assert pay_button(html) == "Pay CA$350.87 (test)"
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING  # nothing paid by applying a code


@pytest.mark.django_db
def test_the_amount_charged_is_the_total_the_page_showed(
    client, buyer, package, hst, django_capture_on_commit_callbacks
):
    order, location = buy_package(client, buyer, package)
    client.post(location, {"action": "apply", "promotion_code": "WELCOME10"})
    html = client.get(location).content.decode()
    shown = expected_total(html)

    with django_capture_on_commit_callbacks(execute=True):
        paid = client.post(location, {"action": "pay", "expected_total": shown})

    assert paid.status_code == 303
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert order.total_cents == int(shown) == 35087
    assert (order.discount_cents, order.tax_cents, order.promotion_code) == (
        3450,
        4037,
        "WELCOME10",
    )


@pytest.mark.django_db
def test_a_total_changed_since_the_page_was_shown_charges_nothing(client, buyer, package, hst):
    order, location = buy_package(client, buyer, package)
    stale = expected_total(client.get(location).content.decode())  # before the code
    client.post(location, {"action": "apply", "promotion_code": "WELCOME10"})  # another tab

    response = client.post(location, {"action": "pay", "expected_total": stale})

    assert response.status_code == 400
    html = response.content.decode()
    assert "The total has changed since this page was shown. Nothing was charged" in html
    assert pay_button(html) == "Pay CA$350.87 (test)"
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING
    garbled = client.post(location, {"action": "pay", "expected_total": "cheap"})
    assert garbled.status_code == 400
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING


@pytest.mark.django_db
def test_removing_a_code_restores_the_full_price(client, buyer, package, hst):
    _, location = buy_package(client, buyer, package)
    client.post(location, {"action": "apply", "promotion_code": "WELCOME10"})
    client.post(location, {"action": "remove_code"})
    html = client.get(location).content.decode()
    assert "Discount" not in html
    assert pay_button(html) == "Pay CA$389.85 (test)"


@pytest.mark.django_db
def test_an_unknown_code_says_so_beside_the_field_and_changes_nothing(client, buyer, package, hst):
    order, location = buy_package(client, buyer, package)
    response = client.post(location, {"action": "apply", "promotion_code": "freemoney"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "We do not know the code FREEMONEY. Check its spelling and try again." in html
    assert 'aria-invalid="true"' in html
    assert pay_button(html) == "Pay CA$389.85 (test)"
    session = OfflineGateway().raw_session(order.stripe_checkout_session_id)
    assert session["discounts"] == [] and session["amount_total"] == 38985


@pytest.mark.django_db
def test_an_empty_code_asks_for_one(client, buyer, package, hst):
    _, location = buy_package(client, buyer, package)
    response = client.post(location, {"action": "apply", "promotion_code": "  "})
    assert response.status_code == 400
    assert "Enter a promotion code first." in response.content.decode()


@pytest.mark.django_db
def test_an_expired_code_says_when_it_expired(client, buyer, package, hst, time_machine):
    time_machine.move_to(datetime(2026, 7, 1, 12, tzinfo=UTC), tick=False)
    _, location = buy_package(client, buyer, package)
    response = client.post(location, {"action": "apply", "promotion_code": "SPRING2026"})
    assert response.status_code == 400
    assert "The code SPRING2026 expired on 1 June 2026." in response.content.decode()


@pytest.mark.django_db
def test_a_code_is_good_until_it_expires(client, buyer, package, hst, time_machine):
    time_machine.move_to(datetime(2026, 5, 31, 12, tzinfo=UTC), tick=False)
    _, location = buy_package(client, buyer, package)
    client.post(location, {"action": "apply", "promotion_code": "SPRING2026"})
    assert "Discount (SPRING2026, 20% off)" in client.get(location).content.decode()


@pytest.mark.django_db
def test_a_code_that_expires_between_apply_and_pay_is_dropped_and_nothing_is_charged(
    client, buyer, package, hst, time_machine
):
    time_machine.move_to(datetime(2026, 6, 1, 3, 50, tzinfo=UTC), tick=False)
    order, location = buy_package(client, buyer, package)
    client.post(location, {"action": "apply", "promotion_code": "SPRING2026"})
    shown = expected_total(client.get(location).content.decode())
    time_machine.move_to(datetime(2026, 6, 1, 4, 5, tzinfo=UTC), tick=False)

    response = client.post(location, {"action": "pay", "expected_total": shown})

    assert response.status_code == 400
    html = response.content.decode()
    assert "The code SPRING2026 expired on 1 June 2026. It has been removed" in html
    assert pay_button(html) == "Pay CA$389.85 (test)"
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING


@pytest.mark.django_db
def test_a_packages_only_code_is_refused_for_a_single_session(client, buyer, coach, now, hst):
    order, location = buy_session(client, buyer)
    response = client.post(location, {"action": "apply", "promotion_code": "PACKAGES15"})
    assert response.status_code == 400
    assert (
        "The code PACKAGES15 is for coaching packages only, so it cannot be used on this purchase."
        in response.content.decode()
    )
    assert OfflineGateway().raw_session(order.stripe_checkout_session_id)["discounts"] == []


@pytest.mark.django_db
def test_a_packages_only_code_discounts_a_package(client, buyer, package, hst):
    _, location = buy_package(client, buyer, package)
    client.post(location, {"action": "apply", "promotion_code": "PACKAGES15"})
    html = client.get(location).content.decode()
    assert "Discount (PACKAGES15, 15% off)" in html
    assert "15% off coaching packages." in html


@pytest.mark.django_db
def test_a_checkout_that_takes_no_codes_says_so(offline):
    from payments.offline import _promotion_for

    data = {"allow_promotion_codes": False, "line_items": []}
    with pytest.raises(Exception, match="This checkout does not take promotion codes."):
        _promotion_for("WELCOME10", data, now=NOW)


# --- tax: the configured mode, by name ------------------------------------------------------


@pytest.mark.django_db
def test_rate_mode_shows_hst_by_name_and_rate_with_its_amount(client, buyer, package, hst):
    _, location = buy_package(client, buyer, package)
    html = client.get(location).content.decode()
    assert re.search(r"<tr data-tax><th[^>]*>HST \(13%\)</th><td[^>]*>CA\$44\.85</td></tr>", html)


@pytest.mark.django_db
def test_the_tax_name_and_rate_follow_the_settings(client, buyer, package, hst, settings):
    settings.STRIPE_TAX_RATE_PERCENT = "5"
    settings.STRIPE_TAX_RATE_NAME = "GST"
    _, location = buy_package(client, buyer, package)
    assert "GST (5%)" in client.get(location).content.decode()


@pytest.mark.django_db
def test_without_tax_there_is_no_tax_line_and_no_developer_wording(client, buyer, package, offline):
    _, location = buy_package(client, buyer, package)
    html = client.get(location).content.decode()
    assert "data-tax" not in html
    assert "none configured" not in html
    assert pay_button(html) == "Pay CA$345.00 (test)"


@pytest.mark.django_db
def test_the_checkout_page_speaks_to_buyers_not_developers(client, buyer, package, hst):
    _, location = buy_package(client, buyer, package)
    html = client.get(location).content.decode().lower()
    for wording in ("stripe keys", "webhook", "fulfil", "signed event", "none configured", "local"):
        assert wording not in html, wording
    assert "test payment: no money moves" in html


def test_tax_labels_for_each_mode(settings):
    from payments.tax import tax_label, tax_name

    settings.STRIPE_TAX_RATE_PERCENT = "13.0"
    settings.STRIPE_TAX_RATE_NAME = "HST"
    assert tax_label("rate") == "HST (13%)"
    assert tax_label("automatic") == "GST/HST"
    assert tax_label("none") == "Tax"
    assert (tax_name("rate"), tax_name("automatic"), tax_name("none")) == ("HST", "tax", "")


@pytest.mark.django_db
def test_package_prices_say_plus_hst_only_when_hst_is_added(client, package, settings):
    settings.STRIPE_TAX_MODE = "rate"
    page = client.get(f"/packages/{package.slug}/").content.decode()
    assert '<span class="price__note">+ HST</span>' in page
    assert "HST is added at checkout." in page
    settings.STRIPE_TAX_MODE = "none"
    page = client.get(f"/packages/{package.slug}/").content.decode()
    assert "+ HST" not in page
    assert "No tax is added" in page


# --- a single session: when, with whom, and what cancelling gives back ---------------------


@pytest.fixture
def service(db):
    return ServiceFactory(
        slug="strategy",
        name="Strategy session",
        duration_minutes=60,
        single_price_cents=15500,
        cancellation_notice_hours=24,
    )


@pytest.fixture
def coach(db, service):
    return CoachFactory(
        slug="priya", display_name="Dr. Priya", services=[service], hours=EVERY_DAY_9_TO_5
    )


def buy_session(client, buyer):
    client.force_login(buyer)
    response = client.post(
        "/api/v1/checkout/session",
        data=json.dumps({"service": "strategy", "coach": "priya", "start": SLOT}),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    order = Order.objects.get(public_id=response.json()["order"])
    return order, response.json()["checkout_url"]


@pytest.mark.django_db
def test_a_single_session_is_described_to_stripe_in_the_buyers_zone(
    client, buyer, coach, now, fake_stripe
):
    buy_session(client, buyer)
    (request,) = fake_stripe.requests_to("POST", "/v1/checkout/sessions")
    (item,) = request.params["line_items"]
    product = item["price_data"]["product_data"]
    assert product["name"] == "Strategy session with Dr. Priya"
    assert product["description"] == "Wed 3 Mar, 20:30–21:30 (India)"


@pytest.mark.django_db
def test_the_offline_checkout_shows_the_sessions_time_coach_and_cancellation_terms(
    client, buyer, coach, now, hst
):
    _, location = buy_session(client, buyer)
    html = client.get(location).content.decode()
    assert "Strategy session with Dr. Priya" in html
    assert "Wed 3 Mar, 20:30–21:30 (India)" in html
    # Asked of booking/policy.py: in time, a paid session becomes a credit; late, it is used up.
    assert (
        "once paid, cancelling before Tue 2 Mar, 20:30 (India) gives you a "
        "credit for another Strategy session; cancelling later uses up the session." in html
    )


@pytest.mark.django_db
def test_a_package_checkout_has_no_cancellation_terms(client, buyer, package, hst):
    _, location = buy_package(client, buyer, package)
    assert "data-cancellation-terms" not in client.get(location).content.decode()


# --- the policies beside Pay; anonymous Buy ---------------------------------------------------


@pytest.mark.django_db
def test_pay_is_accompanied_by_the_terms_and_refund_policy(client, buyer, package, hst):
    _, location = buy_package(client, buyer, package)
    html = client.get(location).content.decode()
    form = html[html.index('name="expected_total"') :]
    assert "By paying you agree to our Terms of service and Refund policy." in form


@pytest.mark.django_db
def test_anonymous_package_pages_carry_no_csrf_token_and_buy_leads_to_log_in(client, package):
    for url in ("/packages/", f"/packages/{package.slug}/"):
        html = client.get(url).content.decode()
        assert "csrfmiddlewaretoken" not in html, url
        assert f"/accounts/login/?next=/packages/{package.slug}/&amp;reason=buy" in html, url


@pytest.mark.django_db
def test_logged_in_buyers_get_the_buy_form(client, buyer, package):
    client.force_login(buyer)
    html = client.get(f"/packages/{package.slug}/").content.decode()
    assert f'action="/checkout/package/{package.slug}/"' in html
    assert "csrfmiddlewaretoken" in html


@pytest.mark.django_db
def test_an_anonymous_post_to_buy_is_sent_to_log_in_saying_why(client, package):
    response = client.post(f"/checkout/package/{package.slug}/")
    assert response.status_code == 302
    assert response["Location"] == (
        f"/accounts/login/?next=%2Fpackages%2F{package.slug}%2F&reason=buy"
    )
    session = client.post("/checkout/session/", {"service": "x", "coach": "y", "start": SLOT})
    assert session["Location"] == "/accounts/login/?next=%2Fbook%2F&reason=book"
