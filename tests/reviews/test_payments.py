"""Reviews and payments: a review bought on its own through the same checkout grants one
credit; a full refund withdraws the unclaimed reviews its credits paid for (claimed ones are
still delivered) and revokes what is left."""

import pytest

from booking.models import Credit
from payments import services as payment_services
from payments.models import OrderStatus
from reviews import services
from reviews.models import ReviewStatus
from tests.accounts.factories import BuyerFactory
from tests.coaching.factories import CoachFactory, PackageFactory
from tests.history import last
from tests.payments.conftest import post_event, stripe_event

pytestmark = pytest.mark.django_db


def pay(client, fake_stripe, order):
    session = fake_stripe.pay(order.stripe_checkout_session_id)
    post_event(client, stripe_event("checkout.session.completed", dict(session)))
    order.refresh_from_db()
    return order


def test_a_review_with_a_single_price_is_bought_on_its_own_and_gives_one_credit(
    client, fake_stripe, applicant, review_service
):
    review_service.single_price_cents = 19500
    review_service.save()
    order = payment_services.checkout_start_review(
        buyer=applicant, service=review_service, base_url="http://testserver"
    )
    assert order.total_cents == 19500
    order = pay(client, fake_stripe, order)
    assert order.status == OrderStatus.PAID
    credit = Credit.objects.get(applicant=applicant)
    assert (credit.service, credit.remaining) == (review_service, 1)
    assert credit.source == order.lines.get().credit_sources()[0]
    # the same credit pays for a review
    review = services.review_submit(
        applicant=applicant, service=review_service, brief="", text="My letter", files=[]
    )
    assert review.credit == credit


def test_the_buy_button_on_the_send_page_starts_the_checkout(
    client, offline, applicant, review_service
):
    review_service.single_price_cents = 19500
    review_service.save()
    client.force_login(applicant)
    page = client.get(f"/reviews/new/?service={review_service.slug}").content.decode()
    assert f'action="/checkout/review/{review_service.slug}/"' in page
    assert "Buy one for CA$195.00" in page
    assert "By buying you agree to our Terms of service and Refund policy." in page
    response = client.post(f"/checkout/review/{review_service.slug}/")
    assert response.status_code == 303
    assert "/checkout/offline/" in response["Location"]


def test_a_review_sold_only_in_packages_cannot_be_bought_alone(
    client, offline, applicant, review_service
):
    client.force_login(applicant)
    response = client.post(f"/checkout/review/{review_service.slug}/", follow=True)
    assert "cannot be bought on its own" in response.content.decode()
    assert not Credit.objects.exists()


def test_full_refund_withdraws_unclaimed_reviews_and_delivers_claimed_ones(
    client, fake_stripe, review_service, django_capture_on_commit_callbacks, mailoutbox
):
    buyer = BuyerFactory()
    staff = BuyerFactory(staff=True)
    package = PackageFactory(items=[(review_service, 3)])
    order = payment_services.checkout_start_package(
        buyer=buyer, package=package, base_url="http://testserver"
    )
    order = pay(client, fake_stripe, order)
    claimed, unclaimed = [
        services.review_submit(applicant=buyer, service=review_service, brief="", text=t, files=[])
        for t in ("ABS", "Letter")
    ]
    services.review_claim(review=claimed, coach=CoachFactory(services=[review_service]))

    with django_capture_on_commit_callbacks(execute=True):
        payment_services.order_refund(
            order=order,
            amount_cents=order.total_cents,
            reason="Changed plans",
            actor=staff,
            idempotency_token="refund-1",
        )

    claimed.refresh_from_db()
    unclaimed.refresh_from_db()
    credit = Credit.objects.get(applicant=buyer)
    assert claimed.status == ReviewStatus.ASSIGNED
    assert unclaimed.status == ReviewStatus.WITHDRAWN
    assert last(unclaimed).data["reason"] == "Order refunded: Changed plans"
    assert credit.remaining == 0 and credit.revoked_at is not None
    withdrawn_mail = [m for m in mailoutbox if m.subject.startswith("Review withdrawn")]
    assert len(withdrawn_mail) == 1 and "credit is back" not in withdrawn_mail[0].body
