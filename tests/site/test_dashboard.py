"""The applicant dashboard: credits, sessions and orders, each with its next step."""

import datetime as dt
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from booking.models import BookingStatus
from payments.models import Refund, RefundStatus
from tests.accounts.factories import UserFactory
from tests.booking.factories import BookingFactory, CreditFactory
from tests.coaching.factories import CoachFactory, ServiceFactory
from tests.payments.factories import OrderFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 2, 4, 30, tzinfo=dt.UTC)  # 10:00 in Kolkata


@pytest.fixture
def applicant(client):
    user = UserFactory(
        email="amal.haddad@example.org",
        display_name="Amal Haddad",
        time_zone="Asia/Kolkata",
        verified=True,
    )
    client.force_login(user)
    return user


def dashboard(client) -> str:
    response = client.get("/dashboard/")
    assert response.status_code == 200
    return response.content.decode()


@time_machine.travel(NOW, tick=False)
def test_credits_are_summed_per_service_with_the_soonest_expiry_and_a_book_button(
    client, applicant
):
    service = ServiceFactory(name="Mock interview: MMI", slug="mock-mmi")
    CreditFactory(
        applicant=applicant,
        service=service,
        quantity=2,
        remaining=1,
        expires_at=NOW + timedelta(days=200),
        source_label="Interview Ready",
    )
    CreditFactory(
        applicant=applicant,
        service=service,
        quantity=3,
        remaining=3,
        expires_at=NOW + timedelta(days=20),
    )
    CreditFactory(applicant=applicant, service=ServiceFactory(), expired=True)
    CreditFactory(service=service)  # someone else's

    html = dashboard(client)

    assert "Mock interview: MMI" in html
    assert "<strong>4 left</strong>" in html
    assert "use by <time" in html and "Sun 22 Mar</time>" in html
    assert "Expires soon" in html
    assert 'href="/book/?service=mock-mmi"' in html
    assert "From Interview Ready" in html
    assert html.count('class="dashboard-item"') == 1


@time_machine.travel(NOW, tick=False)
def test_a_document_review_credit_links_to_send_documents_instead_of_booking(client, applicant):
    review = ServiceFactory(name="Application review", slug="app-review", review=True)
    CreditFactory(applicant=applicant, service=review, quantity=1)

    html = dashboard(client)

    assert "Application review" in html
    assert 'href="/book/?service=app-review"' not in html
    assert 'href="/reviews/new/?service=app-review"' in html
    assert "Send documents" in html
    assert "reply to your receipt email" not in html
    assert "5-day turnaround" in html


@time_machine.travel(NOW, tick=False)
def test_first_time_buyer_is_told_to_book_their_first_session(client, applicant):
    CreditFactory(
        applicant=applicant, service=ServiceFactory(name="CASPer preparation", slug="casper")
    )

    html = dashboard(client)

    assert "Next step: book your CASPer preparation" in html
    assert 'href="/book/?service=casper">Choose a time' in html


@time_machine.travel(NOW, tick=False)
def test_upcoming_session_shows_local_time_coach_link_and_what_can_still_change(client, applicant):
    coach = CoachFactory(display_name="Dr. Priya Raman", meeting_url="https://meet.example/priya")
    service = ServiceFactory(name="ABS strategy session", cancellation_notice_hours=24)
    credit = CreditFactory(applicant=applicant, service=service, remaining=1)
    soon = BookingFactory(
        applicant=applicant,
        coach=coach,
        service=service,
        credit=credit,
        start=NOW + timedelta(hours=5),
    )
    later = BookingFactory(
        applicant=applicant,
        coach=coach,
        service=service,
        credit=credit,
        start=dt.datetime(2026, 3, 9, 14, 0, tzinfo=dt.UTC),
    )

    html = dashboard(client)

    # 14:00 UTC is 19:30 in Kolkata; the deadline is 24 hours before, in the same zone.
    assert "Mon 9 Mar, 19:30–20:30" in html
    assert "with Dr. Priya Raman" in html
    assert 'href="https://meet.example/priya"' in html
    assert (
        "Free to move or cancel until Sun 8 Mar, 19:30; cancelling by then returns your credit"
        in html
    )
    assert f'href="/book/?reschedule={later.public_id}"' in html
    assert f'href="/book/?reschedule={soon.public_id}"' not in html
    assert "Less than 24 hours to go" in html
    # Cancel goes through the confirmation page, which says what cancelling gives back.
    assert f'href="/book/bookings/{soon.public_id}/cancel/"' in html
    assert "Next step" not in html


@time_machine.travel(NOW, tick=False)
def test_past_sessions_list_finished_and_cancelled_ones_with_their_outcome(client, applicant):
    BookingFactory(applicant=applicant, completed=True, start=NOW - timedelta(days=3))
    BookingFactory(applicant=applicant, cancelled=True, start=NOW + timedelta(days=3))
    BookingFactory(applicant=applicant, held=True, start=NOW + timedelta(days=4))

    html = dashboard(client)

    assert "Past sessions" in html
    assert 'badge--success">Completed' in html
    assert 'badge--muted">Cancelled' in html
    assert "Held" not in html


@time_machine.travel(NOW, tick=False)
def test_orders_link_their_receipts_and_show_refunds(client, applicant):
    paid = OrderFactory(buyer=applicant, paid=True)
    refunded = OrderFactory(
        buyer=applicant, paid=True, status="partially_refunded", refunded_cents=10000
    )
    Refund.objects.create(
        order=refunded, stripe_refund_id="re_1", amount_cents=5000, status=RefundStatus.PENDING
    )
    OrderFactory(buyer=applicant, status="failed")
    OrderFactory(paid=True)  # someone else's

    html = dashboard(client)

    assert paid.get_absolute_url() in html
    assert refunded.get_absolute_url() in html
    assert "CA$100.00 refunded" in html
    assert "Refund of CA$50.00: pending" in html
    assert html.count("Receipt<span") == 2


@time_machine.travel(NOW, tick=False)
def test_dashboard_queries_stay_constant_as_credits_bookings_and_orders_grow(
    client, applicant, django_assert_max_num_queries
):
    def add_one_of_each():
        service = ServiceFactory()
        credit = CreditFactory(applicant=applicant, service=service)
        BookingFactory(
            applicant=applicant,
            service=service,
            credit=credit,
            start=NOW + timedelta(days=3 + BookingFactory._meta.model.objects.count()),
        )
        BookingFactory(
            applicant=applicant,
            service=service,
            status=BookingStatus.COMPLETED,
            start=NOW - timedelta(days=3 + BookingFactory._meta.model.objects.count()),
        )
        order = OrderFactory(buyer=applicant, paid=True)
        Refund.objects.create(order=order, stripe_refund_id=f"re_{order.pk}", amount_cents=100)

    add_one_of_each()
    dashboard(client)  # warm the session, the menu and footer caches
    with CaptureQueriesContext(connection) as one:
        dashboard(client)
    for _ in range(4):
        add_one_of_each()
    with django_assert_max_num_queries(len(one)):
        html = dashboard(client)
    assert html.count("Receipt<span") == 5
    assert html.count("Reschedule<span") == 5


def test_a_coach_is_pointed_to_the_coach_area(client, applicant):
    CoachFactory(user=applicant)

    html = dashboard(client)

    assert 'href="/coach/">the coach area</a>' in html


def test_an_applicant_is_not_told_about_the_coach_area(client, applicant):
    assert "the coach area" not in dashboard(client)
