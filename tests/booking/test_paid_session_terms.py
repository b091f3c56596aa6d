"""What checkout promises about cancelling a session being paid for is the booking policy's
own answer for that session once paid, before and after its deadline."""

from datetime import timedelta

import pytest
from django.utils import timezone

from booking import services
from booking.models import BookingStatus, Credit
from booking.policy import paid_session_terms
from tests.booking.factories import BookingFactory
from tests.coaching.factories import ServiceFactory

pytestmark = pytest.mark.django_db


def held_session(notice_hours=24, days_ahead=3):
    service = ServiceFactory(name="Strategy session", cancellation_notice_hours=notice_hours)
    start = (timezone.now() + timedelta(days=days_ahead)).replace(second=0, microsecond=0)
    return BookingFactory(held=True, service=service, start=start)


def test_once_paid_cancelling_in_time_gives_a_credit_and_later_uses_the_session_up():
    hold = held_session()
    terms = paid_session_terms(hold)
    assert terms.deadline == hold.start - timedelta(hours=24)
    assert terms.before == "gives you a credit for another Strategy session"
    assert terms.after == "uses up the session"
    hold.refresh_from_db()
    assert hold.status == BookingStatus.HELD  # asking changes nothing


def test_inside_the_notice_period_only_the_late_terms_apply():
    hold = held_session(notice_hours=48, days_ahead=1)
    terms = paid_session_terms(hold)
    assert terms.before == ""
    assert terms.after == "uses up the session"


def test_the_promise_is_what_cancelling_the_paid_session_does():
    hold = held_session()
    promised = paid_session_terms(hold).before
    confirmed = services.booking_confirm_hold(booking=hold)

    services.booking_cancel(booking=confirmed, actor=confirmed.applicant, reason="Plans changed")

    credit = Credit.objects.get(applicant=confirmed.applicant, service=confirmed.service)
    assert promised.startswith("gives you a credit") and credit.remaining == 1
