"""The booking service contract: holds, confirmations, credits, cancellations, moves, outcomes."""

from datetime import timedelta

import pytest

from booking import services
from booking.errors import (
    BookingStateError,
    CreditUnavailable,
    NotBookable,
    PolicyError,
    SlotUnavailable,
)
from booking.models import Booking, BookingStatus, Credit
from tests.accounts.factories import UserFactory
from tests.booking.factories import BookingFactory, CreditFactory, utc
from tests.coaching.factories import ServiceFactory
from tests.history import entries, last

pytestmark = pytest.mark.django_db

# Wednesday 3 March 2027, 10:00 Toronto (EST, UTC-5) = 15:00 UTC: inside hours, past the notice.
SLOT = utc(2027, 3, 3, 15, 0)


def hold(applicant, coach, service, start=SLOT, minutes=30):
    return services.booking_hold(
        applicant=applicant,
        coach=coach,
        service=service,
        start=start,
        hold_until=services.timezone.now() + timedelta(minutes=minutes),
    )


# --- holds --------------------------------------------------------------------------------


def test_hold_blocks_the_slot_and_records_who_held_it(applicant, coach, service, now):
    booking = hold(applicant, coach, service)
    assert booking.status == BookingStatus.HELD
    assert booking.end == SLOT + timedelta(hours=1)
    assert (booking.blocked_start, booking.blocked_end) == (SLOT, SLOT + timedelta(minutes=75))
    assert len(booking.public_id) == 22
    event = entries(booking).get()
    assert (event.action, event.user, event.data["to_status"]) == (
        "booking.held",
        applicant,
        "held",
    )
    with pytest.raises(SlotUnavailable) as taken:
        hold(UserFactory(), coach, service)
    assert taken.value.code == "slot_taken"
    assert taken.value.message == "That time was just taken. Please pick another."


def test_hold_refuses_a_time_that_is_not_a_slot(applicant, coach, service, now):
    with pytest.raises(SlotUnavailable):
        hold(applicant, coach, service, start=SLOT + timedelta(minutes=10))  # off the grid
    with pytest.raises(SlotUnavailable):
        hold(applicant, coach, service, start=utc(2027, 3, 3, 3, 0))  # 22:00 Toronto


def test_hold_refuses_a_document_review(applicant, coach, now):
    review = ServiceFactory(review=True)
    with pytest.raises(NotBookable):
        hold(applicant, coach, review)


def test_a_lapsed_hold_no_longer_blocks_the_slot(applicant, coach, service, now, time_machine):
    first = hold(applicant, coach, service)
    time_machine.shift(timedelta(minutes=31))
    second = hold(UserFactory(), coach, service)
    first.refresh_from_db()
    assert first.status == BookingStatus.EXPIRED
    assert second.status == BookingStatus.HELD


def test_confirm_hold_is_idempotent_and_emails_both_people_once(
    applicant, coach, service, now, mails, django_capture_on_commit_callbacks
):
    booking = hold(applicant, coach, service)
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = services.booking_confirm_hold(booking=booking)
    with django_capture_on_commit_callbacks(execute=True):
        again = services.booking_confirm_hold(booking=booking)
    assert confirmed.status == again.status == BookingStatus.CONFIRMED
    assert sorted(m.to[0] for m in mails) == sorted([applicant.email, coach.user.email])
    assert entries(booking).filter(action="booking.confirmed").count() == 1


def test_confirming_a_lapsed_hold_whose_time_is_free_confirms_it(
    applicant, coach, service, now, time_machine
):
    booking = hold(applicant, coach, service)
    time_machine.shift(timedelta(hours=1))
    assert services.bookings_expire_stale_holds() == 1
    confirmed = services.booking_confirm_hold(booking=booking)
    assert confirmed.status == BookingStatus.CONFIRMED
    assert "lapsed" in last(confirmed).data["reason"]


def test_confirming_a_lapsed_hold_whose_time_was_taken_raises_slot_unavailable(
    applicant, coach, service, now, time_machine
):
    booking = hold(applicant, coach, service)
    time_machine.shift(timedelta(hours=1))
    other = UserFactory()
    CreditFactory(applicant=other, service=service)
    services.booking_book_with_credit(applicant=other, service=service, start=SLOT, coach=coach)
    with pytest.raises(SlotUnavailable):
        services.booking_confirm_hold(booking=booking)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.EXPIRED


def test_release_hold_expires_it_and_leaves_confirmed_bookings_alone(
    applicant, coach, service, now
):
    booking = hold(applicant, coach, service)
    released = services.booking_release_hold(booking=booking, reason="Checkout cancelled")
    assert released.status == BookingStatus.EXPIRED
    assert services.booking_release_hold(booking=booking, reason="again").status == "expired"
    assert entries(booking).filter(action="booking.released").count() == 1
    confirmed = BookingFactory(coach=coach, service=service, start=SLOT + timedelta(hours=3))
    assert services.booking_release_hold(booking=confirmed, reason="x").status == "confirmed"


def test_sweep_expires_only_lapsed_holds_and_is_safe_to_repeat(
    applicant, coach, service, now, time_machine
):
    lapsing = hold(applicant, coach, service, minutes=10)
    lasting = hold(applicant, coach, service, start=SLOT + timedelta(hours=3), minutes=60)
    time_machine.shift(timedelta(minutes=11))
    assert services.bookings_expire_stale_holds() == 1
    assert services.bookings_expire_stale_holds() == 0
    lapsing.refresh_from_db()
    lasting.refresh_from_db()
    assert (lapsing.status, lasting.status) == ("expired", "held")


# --- booking with a credit ----------------------------------------------------------------


def test_booking_with_credit_spends_the_soonest_expiring_credit(applicant, coach, service, now):
    later = CreditFactory(applicant=applicant, service=service, expires_at=now + timedelta(days=90))
    sooner = CreditFactory(
        applicant=applicant, service=service, expires_at=now + timedelta(days=20)
    )
    booking = services.booking_book_with_credit(
        applicant=applicant, service=service, start=SLOT, coach=coach, notes="Working on my ABS"
    )
    assert booking.status == BookingStatus.CONFIRMED
    assert booking.credit == sooner
    sooner.refresh_from_db()
    later.refresh_from_db()
    assert (sooner.remaining, later.remaining) == (1, 2)
    assert booking.applicant_notes == "Working on my ABS"


def test_booking_without_a_usable_credit_raises_credit_unavailable(applicant, coach, service, now):
    CreditFactory(applicant=applicant, service=service, expired=True)
    CreditFactory(applicant=applicant, service=ServiceFactory())  # another service
    with pytest.raises(CreditUnavailable) as error:
        services.booking_book_with_credit(applicant=applicant, service=service, start=SLOT)
    assert error.value.code == "no_credit"
    assert not Booking.objects.exists()


def test_a_taken_slot_spends_no_credit(applicant, coach, service, now):
    credit = CreditFactory(applicant=applicant, service=service)
    BookingFactory(coach=coach, service=service, start=SLOT)
    with pytest.raises(SlotUnavailable):
        services.booking_book_with_credit(
            applicant=applicant, service=service, start=SLOT, coach=coach
        )
    credit.refresh_from_db()
    assert credit.remaining == 2
    assert Booking.objects.count() == 1


def test_booking_without_a_coach_picks_one_who_is_free(applicant, coach, service, now):
    CreditFactory(applicant=applicant, service=service)
    booking = services.booking_book_with_credit(applicant=applicant, service=service, start=SLOT)
    assert booking.coach == coach


# --- cancellation -------------------------------------------------------------------------


@pytest.fixture
def booked(applicant, coach, service, now):
    CreditFactory(applicant=applicant, service=service, quantity=1)
    return services.booking_book_with_credit(
        applicant=applicant, service=service, start=SLOT, coach=coach
    )


def test_cancel_in_time_returns_the_credit(booked, applicant, time_machine):
    time_machine.move_to(SLOT - timedelta(hours=24), tick=False)  # exactly at the deadline
    cancelled = services.booking_cancel(booking=booked, actor=applicant, reason="Exam moved")
    assert cancelled.status == BookingStatus.CANCELLED
    assert Credit.objects.get().remaining == 1
    event = last(cancelled)
    assert (event.action, event.user, event.data["reason"]) == (
        "booking.cancelled",
        applicant,
        "Exam moved",
    )


def test_late_cancel_forfeits_the_credit(booked, applicant, time_machine):
    time_machine.move_to(SLOT - timedelta(hours=24) + timedelta(seconds=1), tick=False)
    services.booking_cancel(booking=booked, actor=applicant, reason="Sick")
    assert Credit.objects.get().remaining == 0
    assert "forfeited" in last(booked).data["reason"]


@pytest.fixture
def paid(applicant, coach, service, now):
    """A session bought on its own: held, then confirmed by payment; no credit behind it."""
    return services.booking_confirm_hold(booking=hold(applicant, coach, service))


def test_cancelling_a_paid_session_in_time_gives_a_credit_for_the_same_service(
    paid, applicant, service, mailoutbox, django_capture_on_commit_callbacks, time_machine
):
    time_machine.move_to(SLOT - timedelta(hours=24), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_cancel(booking=paid, actor=applicant, reason="Exam moved")
    credit = Credit.objects.get(applicant=applicant)
    assert (credit.service, credit.remaining) == (service, 1)
    assert credit.source == f"cancelled-booking:{paid.public_id}"
    # Cancelling again (a double click) gives nothing more.
    services.booking_cancel(booking=paid, actor=applicant, reason="Exam moved")
    assert Credit.objects.filter(applicant=applicant).count() == 1
    to_applicant = [m for m in mailoutbox if applicant.email in m.to]
    assert "The session credit is back in your account" in to_applicant[-1].body


def test_cancelling_a_paid_session_late_forfeits_it(
    paid, applicant, mailoutbox, django_capture_on_commit_callbacks, time_machine
):
    time_machine.move_to(SLOT - timedelta(hours=2), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_cancel(booking=paid, actor=applicant, reason="Sick")
    assert not Credit.objects.filter(applicant=applicant).exists()
    assert "forfeited" in last(paid).data["reason"]
    to_applicant = [m for m in mailoutbox if applicant.email in m.to]
    assert "so the session is used up" in to_applicant[-1].body


def test_a_cancellation_that_comes_with_a_refund_gives_no_credit(
    paid, applicant, mailoutbox, django_capture_on_commit_callbacks
):
    staff = UserFactory(finance=True)  # refunding the order that paid for it
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_cancel(
            booking=paid, actor=staff, reason="Order refunded", by_staff=True, return_value=False
        )
    assert not Credit.objects.filter(applicant=applicant).exists()
    body = [m for m in mailoutbox if applicant.email in m.to][-1].body
    assert "credit is back" not in body and "used up" not in body


def test_staff_cancel_returns_the_credit_even_late(booked, time_machine):
    staff = UserFactory(coaching_staff=True)
    time_machine.move_to(SLOT - timedelta(hours=1), tick=False)
    services.booking_cancel(booking=booked, actor=staff, reason="Coach ill", by_staff=True)
    assert Credit.objects.get().remaining == 1


def test_cancel_twice_is_a_no_op_and_returns_the_credit_once(booked, applicant):
    services.booking_cancel(booking=booked, actor=applicant, reason="x")
    services.booking_cancel(booking=booked, actor=applicant, reason="x")
    assert Credit.objects.get().remaining == 1
    assert entries(booked).filter(action="booking.cancelled").count() == 1


def test_someone_else_cannot_cancel_a_booking(booked):
    with pytest.raises(PolicyError):
        services.booking_cancel(booking=booked, actor=UserFactory(), reason="mischief")
    with pytest.raises(PolicyError):
        services.booking_cancel(booking=booked, actor=UserFactory(), reason="x", by_staff=True)


def test_a_completed_session_cannot_be_cancelled(booked, applicant, coach, time_machine):
    time_machine.move_to(SLOT + timedelta(minutes=5), tick=False)
    services.booking_mark(booking=booked, actor=coach.user, outcome="completed")
    with pytest.raises(BookingStateError):
        services.booking_cancel(booking=booked, actor=applicant, reason="x")
    with pytest.raises(BookingStateError):
        services.booking_cancel(
            booking=booked, actor=UserFactory(coaching_staff=True), reason="x", by_staff=True
        )


# --- reschedule ---------------------------------------------------------------------------


def test_reschedule_moves_the_booking_and_frees_the_old_time(
    booked, applicant, coach, service, mails, django_capture_on_commit_callbacks
):
    new_start = SLOT + timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        moved = services.booking_reschedule(booking=booked, actor=applicant, new_start=new_start)
    assert (moved.start, moved.sequence) == (new_start, 1)
    assert last(moved).data["from_start"] == SLOT.isoformat()
    assert last(moved).data["to_start"] == new_start.isoformat()
    assert {m.subject for m in mails} == {"New time: Strategy session"}
    # The old slot is free again.
    other = UserFactory()
    CreditFactory(applicant=other, service=service)
    services.booking_book_with_credit(applicant=other, service=service, start=SLOT, coach=coach)


def test_reschedule_to_a_taken_time_leaves_the_booking_untouched(booked, applicant, coach, service):
    taken = SLOT + timedelta(days=1)
    BookingFactory(coach=coach, service=service, start=taken)
    with pytest.raises(SlotUnavailable):
        services.booking_reschedule(booking=booked, actor=applicant, new_start=taken)
    booked.refresh_from_db()
    assert (booked.start, booked.sequence) == (SLOT, 0)
    assert not entries(booked).filter(action="booking.rescheduled").exists()


def test_reschedule_after_the_notice_deadline_is_refused(booked, applicant, time_machine):
    time_machine.move_to(SLOT - timedelta(hours=24) + timedelta(seconds=1), tick=False)
    with pytest.raises(PolicyError) as error:
        services.booking_reschedule(
            booking=booked, actor=applicant, new_start=SLOT + timedelta(days=2)
        )
    assert error.value.code == "too_late"


def test_reschedule_exactly_at_the_deadline_is_allowed(booked, applicant, time_machine):
    time_machine.move_to(SLOT - timedelta(hours=24), tick=False)
    moved = services.booking_reschedule(
        booking=booked, actor=applicant, new_start=SLOT + timedelta(days=2)
    )
    assert moved.start == SLOT + timedelta(days=2)


def test_staff_can_move_a_booking_outside_hours_but_not_onto_another(booked, coach, service):
    staff = UserFactory(coaching_staff=True)
    evening = utc(2027, 3, 5, 23, 0)  # 18:00 Toronto, after hours
    moved = services.booking_reschedule(
        booking=booked, actor=staff, new_start=evening, by_staff=True
    )
    assert moved.start == evening
    other = BookingFactory(coach=coach, service=service, start=utc(2027, 3, 6, 15, 0))
    with pytest.raises(SlotUnavailable):
        services.booking_reschedule(
            booking=booked, actor=staff, new_start=other.start, by_staff=True
        )


# --- outcome ------------------------------------------------------------------------------


def test_coach_marks_outcome_only_after_the_start(booked, coach, time_machine):
    with pytest.raises(PolicyError):
        services.booking_mark(booking=booked, actor=coach.user, outcome="no_show")
    time_machine.move_to(SLOT + timedelta(minutes=1), tick=False)
    marked = services.booking_mark(booking=booked, actor=coach.user, outcome="no_show")
    assert marked.status == BookingStatus.NO_SHOW
    assert (
        services.booking_mark(booking=booked, actor=coach.user, outcome="no_show").status
        == "no_show"
    )
    with pytest.raises(BookingStateError):
        services.booking_mark(booking=booked, actor=coach.user, outcome="completed")


def test_another_coach_cannot_mark_a_session(booked, time_machine):
    from tests.coaching.factories import CoachFactory

    time_machine.move_to(SLOT + timedelta(minutes=1), tick=False)
    with pytest.raises(PolicyError):
        services.booking_mark(booking=booked, actor=CoachFactory().user, outcome="completed")


def test_every_change_is_recorded_with_actor_and_statuses(booked, applicant):
    services.booking_cancel(booking=booked, actor=applicant, reason="Changed plans")
    recorded = [(e.action, e.data.get("from_status"), e.data["to_status"]) for e in entries(booked)]
    assert recorded == [
        ("booking.booked", None, "confirmed"),
        ("booking.cancelled", "confirmed", "cancelled"),
    ]
