"""An order's history (core.history): what Stripe and staff did to it, with the perks it granted,
on one timeline in the order's admin page."""

import pytest
from django.utils.html import escape

from coaching.models import PerkKind
from members.models import Entitlement
from payments import services
from tests.accounts.factories import BuyerFactory
from tests.coaching.factories import PackagePerkFactory
from tests.history import actions, entries, last
from tests.payments.conftest import pay_package, post_event, stripe_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(db):
    return BuyerFactory(email="boss@example.com", is_staff=True, is_superuser=True)


def test_a_paid_then_refunded_order_tells_its_story_once(
    client, fake_stripe, buyer, package, staff
):
    PackagePerkFactory(package=package, text="Practice", kind=PerkKind.PRACTICE_TESTS)
    order = pay_package(client, fake_stripe, buyer, package)
    session = fake_stripe.sessions[order.stripe_checkout_session_id]
    # Stripe delivers the same event again: nothing new happened, nothing new is written.
    post_event(client, stripe_event("checkout.session.completed", dict(session)))
    assert actions(order) == ["checkout_opened", "paid"]
    assert last(order).data["total_cents"] == order.total_cents
    (perk,) = Entitlement.objects.filter(member=buyer)
    assert actions(perk) == ["granted"]

    services.order_refund(
        order=order,
        amount_cents=order.refundable_cents,
        reason="Changed plans",
        actor=staff,
        idempotency_token="full",
    )
    assert actions(order) == ["checkout_opened", "paid", "refunded", "fully_refunded"]
    refund = order.refunds.get()
    made = entries(order).get(action="order.refunded")
    assert made.user == staff and made.data["amount_cents"] == refund.amount_cents
    assert made.data["refund"] == refund.stripe_refund_id and made.data["reason"] == "Changed plans"
    assert actions(perk) == ["granted", "ended_early"]
    assert last(perk).user == staff


def test_a_refund_made_in_stripes_dashboard_is_recorded_as_reported(
    client, fake_stripe, buyer, package
):
    order = pay_package(client, fake_stripe, buyer, package)
    refund = {
        "id": "re_dashboard",
        "object": "refund",
        "amount": 1000,
        "status": "succeeded",
        "payment_intent": order.stripe_payment_intent_id,
        "metadata": {},
    }
    post_event(client, stripe_event("refund.created", refund))
    post_event(client, stripe_event("refund.updated", refund))  # the same refund again
    assert actions(order) == ["checkout_opened", "paid", "refund_reported"]
    assert last(order).user is None and last(order).data["amount_cents"] == 1000


def test_the_order_page_shows_one_timeline_with_its_perks(
    client, fake_stripe, buyer, package, staff
):
    PackagePerkFactory(package=package, text="Webinars", kind=PerkKind.WEBINARS)
    order = pay_package(client, fake_stripe, buyer, package)
    client.force_login(staff)
    page = client.get(f"/admin/orders/inspect/{order.pk}/").content.decode()
    assert "Sent to Stripe Checkout" in page and "Paid and fulfilled" in page
    (perk,) = Entitlement.objects.filter(member=buyer)
    assert f"Perk {escape(perk.get_perk_display())}: <strong>Granted with a purchase" in page
    assert f"Order {order.reference}: <strong>Paid and fulfilled" in page
    assert "Membership perks" in page and perk.get_perk_display() in page
