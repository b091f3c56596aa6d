"""Money after payment: Stripe-reported discounts and tax, partial and full refunds."""

from datetime import timedelta

import pytest
from django.utils import timezone

from booking.models import BookingStatus
from coaching.models import PackagePerk, PerkKind
from members.models import Entitlement
from payments import selectors, services
from payments.errors import OrderStateError, RefundError
from payments.models import OrderStatus, Refund, RefundStatus, StripeEvent
from tests.accounts.factories import BuyerFactory
from tests.booking.factories import BookingFactory
from tests.coaching.factories import PackageFactory
from tests.payments.conftest import pay_package, post_event, stripe_event
from tests.payments.factories import OrderFactory


@pytest.fixture
def staff(db):
    return BuyerFactory(email="staff@example.com", finance=True)


pay = pay_package


@pytest.mark.django_db
def test_promotion_code_discount_reported_by_stripe_is_recorded(
    client, fake_stripe, buyer, package
):
    order = pay(client, fake_stripe, buyer, package, discount=5000, promotion_code="promo_1")
    assert (order.subtotal_cents, order.discount_cents, order.tax_cents, order.total_cents) == (
        34500,
        5000,
        0,
        29500,
    )
    assert order.promotion_code == "promo_1"


@pytest.mark.django_db
def test_receipt_shows_lines_discount_tax_and_total_in_text_and_html(
    client, fake_stripe, buyer, package, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.STRIPE_TAX_MODE = "rate"
    with django_capture_on_commit_callbacks(execute=True):
        order = pay(client, fake_stripe, buyer, package, discount=4500, promotion_code="SPRING")
    (receipt,) = mailoutbox
    html = receipt.alternatives[0][0]
    for body in (receipt.body, html):
        assert "Interview ready" in body
        assert "CA$345.00" in body  # subtotal
        assert "CA$45.00" in body  # discount
        assert "SPRING" in body
        assert "CA$39.00" in body  # tax
        assert "CA$339.00" in body  # total
        assert order.get_absolute_url() in body
    assert receipt.alternatives[0][1] == "text/html"


@pytest.mark.django_db
def test_tax_and_discount_together_follow_stripe(client, fake_stripe, buyer, package, settings):
    settings.STRIPE_TAX_MODE = "rate"
    order = pay(client, fake_stripe, buyer, package, discount=4500)
    # Stripe taxes the discounted amount: 13% of 300.00 = 39.00.
    assert (order.subtotal_cents, order.discount_cents, order.tax_cents, order.total_cents) == (
        34500,
        4500,
        3900,
        33900,
    )


@pytest.mark.django_db
def test_partial_refund_goes_through_stripe_once_with_its_key(
    client, fake_stripe, buyer, package, staff, mailoutbox, django_capture_on_commit_callbacks
):
    order = pay(client, fake_stripe, buyer, package)

    with django_capture_on_commit_callbacks(execute=True):
        refund = services.order_refund(
            order=order,
            amount_cents=10000,
            reason="Missed session",
            actor=staff,
            idempotency_token="form-1",
        )
        again = services.order_refund(
            order=order,
            amount_cents=10000,
            reason="Missed session",
            actor=staff,
            idempotency_token="form-1",
        )

    assert again == refund
    requests = fake_stripe.requests_to("POST", "/v1/refunds")
    assert [r.params["amount"] for r in requests] == ["10000", "10000"]
    assert {r.idempotency_key for r in requests} == {
        f"medpath-order-{order.public_id}-refund-form-1"
    }
    assert requests[0].params["payment_intent"] == order.stripe_payment_intent_id
    assert requests[0].params["metadata"]["order"] == order.public_id
    order.refresh_from_db()
    assert order.status == OrderStatus.PARTIALLY_REFUNDED
    assert order.refunded_cents == 10000
    assert order.refundable_cents == 24500
    assert Refund.objects.get().created_by == staff
    assert any("Refund" in m.subject for m in mailoutbox)
    # Credits stay after a partial refund.
    assert selectors.order_credits(order)[0].revoked_at is None


@pytest.mark.django_db
def test_full_refund_revokes_unused_credits_and_cancels_future_bookings(
    client, fake_stripe, buyer, package, staff, mailoutbox, django_capture_on_commit_callbacks
):
    order = pay(client, fake_stripe, buyer, package)
    (credit,) = selectors.order_credits(order)
    credit.remaining = 1
    credit.save()
    upcoming = BookingFactory(applicant=buyer, service=credit.service, credit=credit)
    past = BookingFactory(
        applicant=buyer,
        service=credit.service,
        credit=credit,
        start=timezone.now().replace(microsecond=0) - timedelta(days=3),
        status=BookingStatus.COMPLETED,
    )

    with django_capture_on_commit_callbacks(execute=True):
        services.order_refund(
            order=order,
            amount_cents=34500,
            reason="Changed plans",
            actor=staff,
            idempotency_token="form-2",
        )

    order.refresh_from_db()
    credit.refresh_from_db()
    upcoming.refresh_from_db()
    past.refresh_from_db()
    assert order.status == OrderStatus.REFUNDED
    assert order.refundable_cents == 0
    assert credit.revoked_at is not None and credit.remaining == 0
    assert upcoming.status == BookingStatus.CANCELLED
    assert past.status == BookingStatus.COMPLETED
    subjects = [m.subject for m in mailoutbox]
    assert any(s.startswith("Cancelled:") for s in subjects)
    assert any("Refund" in s for s in subjects)


@pytest.fixture
def perk_package(db):
    """A package whose perks open the school guide and the question bank."""
    package = PackageFactory(name="Guide and bank")
    for kind in (PerkKind.SCHOOL_GUIDE, PerkKind.QUESTION_BANK):
        PackagePerk.objects.create(package=package, kind=kind, text=kind.label)
    return package


@pytest.mark.django_db
def test_full_refund_ends_the_entitlements_the_order_granted_and_no_others(
    client, fake_stripe, buyer, perk_package, staff
):
    order = pay(client, fake_stripe, buyer, perk_package)
    other = pay(client, fake_stripe, buyer, perk_package)
    assert Entitlement.objects.filter(member=buyer, ended_early_at=None).count() == 4

    services.order_refund(
        order=order,
        amount_cents=order.refundable_cents,
        reason="Changed plans",
        actor=staff,
        idempotency_token="form-full",
    )

    ended = Entitlement.objects.filter(source__in=order.lines.get().entitlement_sources())
    assert {row.perk for row in ended} == {PerkKind.SCHOOL_GUIDE, PerkKind.QUESTION_BANK}
    for row in ended:
        assert row.ended_early_at is not None and row.ended_early_by == staff
        assert "Changed plans" in row.end_reason
    still_on = Entitlement.objects.filter(source__in=other.lines.get().entitlement_sources())
    assert [row.ended_early_at for row in still_on] == [None, None]


@pytest.mark.django_db
def test_refund_above_what_remains_is_refused_without_calling_stripe(
    client, fake_stripe, buyer, package, staff
):
    order = pay(client, fake_stripe, buyer, package)
    services.order_refund(
        order=order, amount_cents=30000, reason="", actor=staff, idempotency_token="a"
    )

    with pytest.raises(RefundError, match=r"At most CA\$45.00 can still be refunded"):
        services.order_refund(
            order=order, amount_cents=4501, reason="", actor=staff, idempotency_token="b"
        )

    assert len(fake_stripe.requests_to("POST", "/v1/refunds")) == 1
    order.refresh_from_db()
    assert order.refunded_cents == 30000


@pytest.mark.django_db
@pytest.mark.parametrize("amount", [0, -100])
def test_refund_of_nothing_is_refused(client, fake_stripe, buyer, package, staff, amount):
    order = pay(client, fake_stripe, buyer, package)
    with pytest.raises(RefundError):
        services.order_refund(
            order=order, amount_cents=amount, reason="", actor=staff, idempotency_token="z"
        )


@pytest.mark.django_db
def test_unpaid_order_cannot_be_refunded(fake_stripe, buyer, package, staff):
    order = services.checkout_start_package(
        buyer=buyer, package=package, base_url="http://testserver"
    )
    with pytest.raises(RefundError, match="only paid orders"):
        services.order_refund(
            order=order, amount_cents=100, reason="", actor=staff, idempotency_token="z"
        )


@pytest.mark.django_db
def test_stripe_refusing_a_refund_changes_nothing(client, fake_stripe, buyer, package, staff):
    order = pay(client, fake_stripe, buyer, package)
    fake_stripe.fail_next("invalid")
    with pytest.raises(RefundError, match="Stripe did not make the refund"):
        services.order_refund(
            order=order, amount_cents=100, reason="", actor=staff, idempotency_token="z"
        )
    order.refresh_from_db()
    assert (order.status, order.refunded_cents) == (OrderStatus.PAID, 0)
    assert not Refund.objects.exists()


@pytest.mark.django_db
def test_refund_made_in_stripes_dashboard_is_recorded_from_its_event(
    client, fake_stripe, buyer, package
):
    order = pay(client, fake_stripe, buyer, package)
    refund = {
        "id": "re_dashboard",
        "object": "refund",
        "amount": 34500,
        "payment_intent": order.stripe_payment_intent_id,
        "status": "succeeded",
        "metadata": {},
    }
    post_event(client, stripe_event("refund.created", refund))
    post_event(client, stripe_event("refund.updated", refund))

    order.refresh_from_db()
    assert order.status == OrderStatus.REFUNDED
    assert Refund.objects.get().origin == Refund.Origin.STRIPE
    assert selectors.order_credits(order)[0].revoked_at is not None


@pytest.mark.django_db
def test_charge_refunded_event_brings_the_refunded_total_up_to_date(
    client, fake_stripe, buyer, package
):
    order = pay(client, fake_stripe, buyer, package)
    charge = {
        "id": "ch_1",
        "object": "charge",
        "payment_intent": order.stripe_payment_intent_id,
        "amount": 34500,
        "amount_refunded": 2000,
        "refunded": False,
    }
    post_event(client, stripe_event("charge.refunded", charge))
    order.refresh_from_db()
    assert (order.status, order.refunded_cents) == (OrderStatus.PARTIALLY_REFUNDED, 2000)


def refund_event(order, status, *, refund_id="re_dashboard", amount=34500):
    return {
        "id": refund_id,
        "object": "refund",
        "amount": amount,
        "payment_intent": order.stripe_payment_intent_id,
        "status": status,
        "metadata": {},
    }


@pytest.mark.django_db
def test_refund_status_follows_stripes_moves_and_ignores_a_stale_snapshot(
    client, fake_stripe, buyer, package
):
    order = pay(client, fake_stripe, buyer, package)
    post_event(client, stripe_event("refund.created", refund_event(order, "pending")))
    post_event(client, stripe_event("refund.updated", refund_event(order, "succeeded")))
    assert Refund.objects.get().status == RefundStatus.SUCCEEDED

    # Stripe does not promise order: the `pending` snapshot arriving late changes nothing and
    # is not an error to retry.
    late = stripe_event("refund.created", refund_event(order, "pending"))
    post_event(client, late)
    assert Refund.objects.get().status == RefundStatus.SUCCEEDED
    stored = StripeEvent.objects.get(event_id=late["id"])
    assert (stored.processed_at is not None, stored.error) == (True, "")

    # A succeeded refund can still fail; the money then counts as kept.
    post_event(client, stripe_event("refund.failed", refund_event(order, "failed")))
    assert Refund.objects.get().status == RefundStatus.FAILED
    order.refresh_from_db()
    assert order.refunded_cents == 0


@pytest.mark.django_db
def test_refund_event_for_an_order_that_was_never_paid_is_refused_by_the_guard(fake_stripe):
    order = OrderFactory(status=OrderStatus.EXPIRED, stripe_payment_intent_id="pi_orphan")

    with pytest.raises(OrderStateError):
        services.refund_record(refund=refund_event(order, "succeeded"))

    order.refresh_from_db()
    assert (order.status, order.refunded_cents) == (OrderStatus.EXPIRED, 0)
    assert not Refund.objects.exists()
