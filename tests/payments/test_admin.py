"""Staff: the orders listing, CSV export, the order page and refunds in the Wagtail admin."""

import csv
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Permission

from coaching.models import PerkKind
from members.models import Entitlement
from payments import selectors, services
from payments.models import Order, OrderStatus
from tests.accounts.factories import BuyerFactory
from tests.booking.factories import BookingFactory
from tests.coaching.factories import PackageFactory, PackagePerkFactory, ServiceFactory
from tests.payments.conftest import pay_package
from tests.payments.factories import OrderFactory


@pytest.fixture
def superuser(db):
    return BuyerFactory(email="boss@example.com", is_staff=True, is_superuser=True)


@pytest.fixture
def paid_order(client, fake_stripe, buyer, package):
    return pay_package(client, fake_stripe, buyer, package)


def inspect_url(order):
    return f"/admin/orders/inspect/{order.pk}/"


@pytest.mark.django_db
def test_listing_filters_and_searches_orders(client, superuser):
    paid = OrderFactory(paid=True, buyer=BuyerFactory(email="first@example.com"))
    pending = OrderFactory(buyer=BuyerFactory(email="second@example.com"))
    client.force_login(superuser)

    everything = client.get("/admin/orders/").content.decode()
    assert paid.reference in everything and pending.reference in everything

    only_paid = client.get("/admin/orders/?status=paid").content.decode()
    assert paid.reference in only_paid and pending.reference not in only_paid

    by_email = client.get("/admin/orders/?q=second@").content.decode()
    assert pending.reference in by_email and paid.reference not in by_email

    package = paid.lines.get().package
    by_package = client.get(f"/admin/orders/?package={package.pk}").content.decode()
    assert paid.reference in by_package and pending.reference not in by_package

    by_date = client.get("/admin/orders/?created_at_from=2000-01-01&created_at_to=2000-01-02")
    assert paid.reference not in by_date.content.decode()
    # The filter's dates are days in the admin's own zone (after 18:30 UTC it is tomorrow there).
    today = paid.created_at.astimezone(ZoneInfo(superuser.time_zone)).date().isoformat()
    by_today = client.get(f"/admin/orders/?created_at_from={today}&created_at_to={today}")
    assert paid.reference in by_today.content.decode()


@pytest.mark.django_db
def test_csv_export_lists_orders_with_amounts_in_cents(client, superuser):
    order = OrderFactory(paid=True)
    client.force_login(superuser)
    response = client.get("/admin/orders/?export=csv")
    assert response.status_code == 200
    assert "medpath-orders" in response["Content-Disposition"]
    body = b"".join(response.streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(body)))
    (row,) = rows
    assert row["Order id"] == order.public_id
    assert row["Total (cents)"] == "34500"
    assert row["Buyer email"] == order.buyer.email


@pytest.mark.django_db
def test_order_page_shows_lines_payment_credits_and_events(client, superuser, paid_order):
    client.force_login(superuser)
    page = client.get(inspect_url(paid_order))
    assert page.status_code == 200
    html = page.content.decode()
    assert paid_order.stripe_payment_intent_id in html
    assert "checkout.session.completed" in html
    assert "2 of 2" in html  # the package's credits, unused
    assert "Refund" in html
    assert page.context["refund_form"]["amount"].value() == Decimal("345.00")


def review_refund(client, order, amount, reason="Late start"):
    """The refund form's first step: the confirmation page (nothing refunded yet)."""
    token = client.get(inspect_url(order)).context["refund_form"].initial["token"]
    return client.post(
        inspect_url(order),
        {"amount": amount, "reason": reason, "token": token, "step": "review"},
    )


def confirmation_data(page) -> dict:
    """What the confirmation page posts back when staff press "Yes, refund"."""
    form = page.context["confirm_form"]
    data = {name: form[name].value() for name in form.fields}
    return {**data, "full": "True" if data["full"] else "", "step": "confirm"}


def assert_nothing_refunded(order, fake_stripe):
    assert not fake_stripe.requests_to("POST", "/v1/refunds")
    order.refresh_from_db()
    assert (order.status, order.refunded_cents) == (OrderStatus.PAID, 0)


@pytest.mark.django_db
def test_reviewing_a_refund_states_the_amount_and_refunds_nothing(
    client, superuser, paid_order, fake_stripe
):
    client.force_login(superuser)
    page = review_refund(client, paid_order, "100.00")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Confirm the refund of CA$100.00" in html
    assert "Yes, refund CA$100.00" in html
    assert "This is a partial refund" in html and "CA$245.00 stays refundable" in html
    assert "Late start" in html
    assert_nothing_refunded(paid_order, fake_stripe)


@pytest.mark.django_db
def test_staff_refund_in_part_is_made_once_confirmed_for_the_stated_amount(
    client, superuser, paid_order, fake_stripe
):
    client.force_login(superuser)
    page = review_refund(client, paid_order, "100.00")
    response = client.post(inspect_url(paid_order), confirmation_data(page))
    assert response.status_code == 302
    paid_order.refresh_from_db()
    assert paid_order.status == OrderStatus.PARTIALLY_REFUNDED
    assert paid_order.refunded_cents == 10000
    (request,) = fake_stripe.requests_to("POST", "/v1/refunds")
    assert request.params["amount"] == "10000"
    assert request.idempotency_key.endswith(page.context["confirm_form"]["token"].value())


@pytest.mark.django_db
def test_a_refund_form_posted_without_the_confirmation_step_refunds_nothing(
    client, superuser, paid_order, fake_stripe
):
    client.force_login(superuser)
    response = client.post(
        inspect_url(paid_order), {"amount": "100.00", "reason": "Late start", "token": "t"}
    )
    assert response.status_code == 200
    assert "confirm_form" in response.context
    assert not fake_stripe.requests_to("POST", "/v1/refunds")


@pytest.mark.django_db
@pytest.mark.parametrize("amount", ["345.01", "0", "-5", "abc", "", "1.005"])
def test_a_bad_amount_posted_to_the_confirmation_changes_nothing(
    client, superuser, paid_order, fake_stripe, amount
):
    client.force_login(superuser)
    data = {**confirmation_data(review_refund(client, paid_order, "100.00")), "amount": amount}
    response = client.post(inspect_url(paid_order), data)
    assert response.status_code == 400
    assert response.context["refund_form"].errors  # the order page, with the error shown
    assert_nothing_refunded(paid_order, fake_stripe)


@pytest.mark.django_db
def test_a_confirmation_made_untrue_by_another_refund_refunds_nothing(
    client, superuser, paid_order, fake_stripe
):
    client.force_login(superuser)
    page = review_refund(client, paid_order, "300.00")  # stated as partial
    services.order_refund(
        order=paid_order,
        amount_cents=4500,
        reason="Someone else",
        actor=superuser,
        idempotency_token="other",
    )
    response = client.post(inspect_url(paid_order), confirmation_data(page))
    assert response.status_code == 400
    assert "This order changed while you were confirming" in response.content.decode()
    assert len(fake_stripe.requests_to("POST", "/v1/refunds")) == 1  # only the other one
    paid_order.refresh_from_db()
    assert paid_order.refunded_cents == 4500


@pytest.mark.django_db
def test_full_refund_confirmation_states_what_it_takes_back(client, superuser, buyer, fake_stripe):
    package = PackageFactory(price_cents=34500, items=[(ServiceFactory(name="Mock MMI"), 2)])
    PackagePerkFactory(package=package, text="Practice", kind=PerkKind.PRACTICE_TESTS)
    PackagePerkFactory(package=package, text="Webinars", kind=PerkKind.WEBINARS)
    order = pay_package(client, fake_stripe, buyer, package)
    (credit,) = selectors.order_credits(order)
    upcoming = BookingFactory(
        applicant=buyer, service=credit.service, credit=credit, coach__display_name="Dr Ada"
    )
    client.force_login(superuser)

    page = review_refund(client, order, "345.00")

    html = page.content.decode()
    assert "This is a full refund" in html
    assert "Yes, refund CA$345.00 in full" in html
    assert "Cancels 1 upcoming session" in html and "Mock MMI with Dr Ada" in html
    assert "Mock MMI: 2 left" in html  # the unused credits withdrawn
    assert "Timed practice tests" in html and "Live webinars and recordings" in html
    assert "unscored practice attempts" in html and "seats at upcoming webinars" in html
    assert not fake_stripe.requests_to("POST", "/v1/refunds")
    upcoming.refresh_from_db()
    assert upcoming.status == "confirmed"

    response = client.post(inspect_url(order), confirmation_data(page))

    assert response.status_code == 302
    upcoming.refresh_from_db()
    credit.refresh_from_db()
    assert upcoming.status == "cancelled" and credit.revoked_at is not None
    assert not Entitlement.objects.filter(source__startswith="order-line", ended_early_at=None)


@pytest.mark.django_db
def test_staff_over_refund_is_refused_with_a_message(client, superuser, paid_order, fake_stripe):
    client.force_login(superuser)
    response = client.post(
        inspect_url(paid_order),
        {"amount": "345.01", "reason": "Too much", "token": "t", "step": "review"},
    )
    assert response.status_code == 400
    assert "At most CA$345.00 can still be refunded" in response.content.decode()
    assert not fake_stripe.requests_to("POST", "/v1/refunds")


@pytest.mark.django_db
def test_staff_without_refund_permission_cannot_refund(client, paid_order, fake_stripe):
    viewer = BuyerFactory(is_staff=True)
    viewer.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_order"),
    )
    client.force_login(viewer)
    page = client.get(inspect_url(paid_order))
    assert page.status_code == 200
    assert page.context["refund_form"] is None
    response = client.post(inspect_url(paid_order), {"amount": "1.00", "reason": "x", "token": "t"})
    assert response.status_code in (302, 403)
    assert not fake_stripe.requests_to("POST", "/v1/refunds")


@pytest.mark.django_db
def test_orders_cannot_be_edited_or_deleted_in_the_admin(client, superuser):
    order = OrderFactory(paid=True)
    client.force_login(superuser)
    for url in (f"/admin/orders/edit/{order.pk}/", f"/admin/orders/delete/{order.pk}/"):
        response = client.post(url, {"attention_note": "changed"})
        assert response.status_code in (302, 403)
    assert Order.objects.get().attention_note == ""


@pytest.mark.django_db
def test_applicants_cannot_reach_the_orders_admin(client):
    client.force_login(BuyerFactory())
    response = client.get("/admin/orders/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.mark.django_db
def test_csv_export_turns_formula_looking_text_into_plain_text(client, superuser):
    buyer = BuyerFactory(email="=cmd@example.com")
    order = OrderFactory(paid=True, buyer=buyer, promotion_code="@SUM(A1)")
    client.force_login(superuser)
    body = b"".join(client.get("/admin/orders/?export=csv").streaming_content).decode()
    (row,) = csv.DictReader(io.StringIO(body))
    assert row["Buyer email"] == "'=cmd@example.com"
    assert row["Total (cents)"] == str(order.total_cents)


@pytest.mark.django_db
def test_booking_csv_export_escapes_formulas_too(client, superuser):
    booking = BookingFactory(applicant=BuyerFactory(display_name="+HYPERLINK(evil)"))
    client.force_login(superuser)
    body = b"".join(client.get("/admin/bookings/?export=csv").streaming_content).decode()
    assert booking.public_id in body
    assert "'+HYPERLINK(evil)" in body


def test_csv_safe_leaves_numbers_and_plain_text():
    from core.spreadsheets import csv_safe

    assert csv_safe(-5) == -5
    assert csv_safe("Amal") == "Amal"
    assert csv_safe("-2+3") == "'-2+3"
    assert csv_safe("\t=1") == "'\t=1"
