"""One cancel/reschedule policy: what the API and the dashboard promise is what cancelling gives.

For every kind of booking (booked with a package credit, a paid single session, late, its order
refunded) the test reads the promise from the API's booking JSON and from the dashboard, then
cancels through the API and counts the applicant's usable sessions of that service.
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from booking import services
from booking.models import Credit
from booking.policy import GivesBack, NothingBecause, booking_policy
from payments import services as payment_services
from tests.booking.factories import BookingFactory, CreditFactory, utc
from tests.payments.factories import OrderFactory

pytestmark = pytest.mark.django_db

# Wednesday 3 March 2027, 10:00 Toronto = 15:00 UTC: inside the coach's hours, past the notice.
SLOT = utc(2027, 3, 3, 15, 0)
IN_TIME = SLOT - timedelta(hours=24)  # exactly at the deadline: still in time
LATE = SLOT - timedelta(hours=2)

DASHBOARD_PHRASE = {
    GivesBack.CREDIT_RETURNED: "returns your credit",
    GivesBack.NEW_CREDIT: "gives you a credit for another Strategy session",
}
NOTHING_PHRASE = {
    NothingBecause.LATE: "uses up the session",
    NothingBecause.REFUNDED: "gives nothing back, as its payment was refunded",
}


def usable_sessions(applicant, service) -> int:
    return sum(
        c.remaining for c in Credit.objects.usable().filter(applicant=applicant, service=service)
    )


def book_with_package_credit(applicant, coach, service):
    CreditFactory(applicant=applicant, service=service, quantity=2, source_label="Package")
    return services.booking_book_with_credit(
        applicant=applicant, service=service, start=SLOT, coach=coach
    )


def book_paid_single_session(applicant, coach, service):
    held = services.booking_hold(
        applicant=applicant,
        coach=coach,
        service=service,
        start=SLOT,
        hold_until=timezone.now() + timedelta(minutes=30),
    )
    return services.booking_confirm_hold(booking=held)


def book_with_refunded_package(applicant, coach, service):
    """A package credit from a paid order (granted as fulfilment does), then the order
    refunded in full in Stripe's dashboard: payments revokes the credit, the booking stays."""
    order = OrderFactory(buyer=applicant, paid=True)
    line = order.lines.get()
    service = line.package.items.get().service
    coach.services.add(service)
    coach.save()
    (source,) = line.credit_sources()
    services.credits_grant(
        applicant=applicant,
        service=service,
        quantity=2,
        expires_at=timezone.now() + timedelta(days=365),
        source=source,
        source_label=line.name,
    )
    booking = services.booking_book_with_credit(
        applicant=applicant, service=service, start=SLOT, coach=coach
    )
    payment_services.refund_record(
        refund={
            "id": "re_policy_1",
            "amount": order.total_cents,
            "payment_intent": order.stripe_payment_intent_id,
            "status": "succeeded",
        }
    )
    return booking


def dashboard_sentence(client, booking) -> str:
    html = client.get("/dashboard/").content.decode()
    item = re.search(rf'id="session-{booking.public_id}".*?</li>', html, re.S)
    assert item, "the booking is listed on the dashboard"
    return " ".join(re.sub(r"<[^>]+>", " ", item.group(0)).split())


@pytest.mark.parametrize(
    ("make", "when", "gives_back", "because", "sessions_back"),
    [
        (book_with_package_credit, IN_TIME, GivesBack.CREDIT_RETURNED, NothingBecause.NONE, 1),
        (book_paid_single_session, IN_TIME, GivesBack.NEW_CREDIT, NothingBecause.NONE, 1),
        (book_with_package_credit, LATE, GivesBack.NOTHING, NothingBecause.LATE, 0),
        (book_paid_single_session, LATE, GivesBack.NOTHING, NothingBecause.LATE, 0),
        (book_with_refunded_package, IN_TIME, GivesBack.NOTHING, NothingBecause.REFUNDED, 0),
    ],
    ids=["package-credit", "paid-single-session", "late-credit", "late-paid", "refunded"],
)
def test_what_api_and_dashboard_promise_is_what_cancelling_gives_back(
    client,
    applicant,
    coach,
    service,
    now,
    time_machine,
    make,
    when,
    gives_back,
    because,
    sessions_back,
):
    booking = make(applicant, coach, service)
    time_machine.move_to(when, tick=False)
    client.force_login(applicant)

    promised = client.get(f"/api/v1/bookings/{booking.public_id}").json()
    assert promised["can_cancel"] is True
    assert promised["cancel_gives_back"] == gives_back
    assert promised["cancel_returns_credit"] is (sessions_back > 0)

    sentence = dashboard_sentence(client, booking)
    phrase = DASHBOARD_PHRASE.get(gives_back) or NOTHING_PHRASE[because]
    if when == IN_TIME:
        assert f"cancelling by then {phrase}." in sentence
    else:
        assert f"and cancelling now {phrase}." in sentence
    assert promised["cancel_policy"] == f"Cancelling now {phrase}."

    before = usable_sessions(applicant, booking.service)
    response = client.post(
        f"/api/v1/bookings/{booking.public_id}/cancel",
        {"reason": "Plans changed"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "cancelled"
    assert usable_sessions(applicant, booking.service) - before == sessions_back
    if gives_back == GivesBack.NEW_CREDIT:
        assert Credit.objects.filter(source=f"cancelled-booking:{booking.public_id}").exists()


@pytest.mark.parametrize(
    ("moment", "late"),
    [
        (IN_TIME - timedelta(seconds=1), False),
        (IN_TIME, False),
        (IN_TIME + timedelta(seconds=1), True),
    ],
    ids=["a-second-before-the-deadline", "at-the-deadline", "a-second-after-the-deadline"],
)
def test_cancelling_one_second_after_the_deadline_is_late(
    applicant, coach, service, now, time_machine, moment, late
):
    assert service.cancellation_notice_hours == 24  # so IN_TIME is the deadline
    booking = book_with_package_credit(applicant, coach, service)
    time_machine.move_to(moment, tick=False)

    policy = booking_policy(booking)
    assert policy.deadline == IN_TIME
    assert (policy.in_time, policy.forfeits, policy.can_reschedule) == (not late, late, not late)
    before = usable_sessions(applicant, service)
    services.booking_cancel(booking=booking, actor=applicant, reason="Plans changed")
    assert usable_sessions(applicant, service) - before == (0 if late else 1)


def test_staff_cancelling_late_give_the_value_back_and_applicants_do_not(
    applicant, coach, service, now, time_machine
):
    booking = book_with_package_credit(applicant, coach, service)
    time_machine.move_to(LATE, tick=False)
    assert booking_policy(booking).gives_back == GivesBack.NOTHING
    assert booking_policy(booking).forfeits
    assert booking_policy(booking, by_staff=True).gives_back == GivesBack.CREDIT_RETURNED
    assert not booking_policy(booking, by_staff=True).forfeits


def test_a_held_booking_can_be_cancelled_but_gives_nothing_back(applicant, coach, service, now):
    held = BookingFactory(applicant=applicant, coach=coach, service=service, held=True, start=SLOT)
    policy = booking_policy(held)
    assert (policy.can_cancel, policy.can_reschedule) == (True, False)
    assert (policy.gives_back, policy.nothing_because) == (
        GivesBack.NOTHING,
        NothingBecause.NOT_PAID,
    )


def test_a_started_session_can_neither_be_cancelled_nor_moved(applicant, coach, service, now):
    started = BookingFactory(applicant=applicant, coach=coach, service=service, start=now)
    policy = booking_policy(started)
    assert (policy.can_cancel, policy.can_reschedule, policy.gives_back) == (
        False,
        False,
        GivesBack.NOTHING,
    )
    assert policy.sentence == "This session can no longer be cancelled."
