"""Reminders 24 h and 1 h before: each exactly once, even when the job runs late or twice."""

from datetime import timedelta

import pytest

from booking import services, tasks
from booking.models import Booking
from tests.accounts.factories import UserFactory
from tests.booking.factories import BookingFactory, utc

pytestmark = pytest.mark.django_db

START = utc(2027, 3, 10, 15, 0)


@pytest.fixture
def booking(coach, service, applicant, now):
    return BookingFactory(coach=coach, service=service, applicant=applicant, start=START)


def run(django_capture_on_commit_callbacks, at, time_machine):
    time_machine.move_to(at, tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        return tasks.send_reminders()


def test_each_reminder_is_sent_once_to_applicant_and_coach(
    booking, mailoutbox, django_capture_on_commit_callbacks, time_machine
):
    assert run(django_capture_on_commit_callbacks, START - timedelta(hours=25), time_machine) == 0
    assert (
        run(
            django_capture_on_commit_callbacks,
            START - timedelta(hours=23, minutes=58),
            time_machine,
        )
        == 1
    )
    assert (
        run(
            django_capture_on_commit_callbacks,
            START - timedelta(hours=23, minutes=53),
            time_machine,
        )
        == 0
    )
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [booking.applicant.email, booking.coach.user.email]
    )
    assert all(m.subject == "Reminder: Strategy session in 24 hours" for m in mailoutbox)
    mailoutbox.clear()
    assert run(django_capture_on_commit_callbacks, START - timedelta(minutes=58), time_machine) == 1
    assert run(django_capture_on_commit_callbacks, START - timedelta(minutes=53), time_machine) == 0
    assert len(mailoutbox) == 2
    assert all("in 1 hour" in m.subject for m in mailoutbox)
    assert booking.coach.meeting_url in mailoutbox[0].body


def test_a_late_job_sends_only_the_relevant_reminder(
    booking, mailoutbox, django_capture_on_commit_callbacks, time_machine
):
    assert run(django_capture_on_commit_callbacks, START - timedelta(minutes=30), time_machine) == 1
    assert len(mailoutbox) == 2
    assert all(m.subject.endswith("in 30 minutes") for m in mailoutbox)
    booking.refresh_from_db()
    assert booking.reminder_24h_sent_at and booking.reminder_1h_sent_at
    assert run(django_capture_on_commit_callbacks, START - timedelta(minutes=20), time_machine) == 0


def test_two_runs_racing_for_the_same_reminder_send_it_once(
    booking, mailoutbox, django_capture_on_commit_callbacks, time_machine, monkeypatch
):
    """The second run read the booking as due but loses the conditional UPDATE."""
    at = START - timedelta(hours=23)
    time_machine.move_to(at, tick=False)
    real_filter = Booking.objects.filter
    claimed_by_other = {"done": False}

    def filter_then_race(*args, **kwargs):
        # Just before our claim, "another worker" claims the reminder.
        if (
            "reminder_24h_sent_at__isnull" in kwargs
            and "pk" in kwargs
            and not claimed_by_other["done"]
        ):
            claimed_by_other["done"] = True
            real_filter(pk=kwargs["pk"]).update(reminder_24h_sent_at=at)
        return real_filter(*args, **kwargs)

    monkeypatch.setattr(Booking.objects, "filter", filter_then_race)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.bookings_send_reminders() == 0
    assert mailoutbox == []


def test_cancelled_and_past_sessions_get_no_reminders(
    coach, service, now, mailoutbox, django_capture_on_commit_callbacks, time_machine
):
    BookingFactory(coach=coach, service=service, start=START, cancelled=True)
    BookingFactory(coach=coach, service=service, start=START - timedelta(hours=2))
    assert run(django_capture_on_commit_callbacks, START - timedelta(minutes=30), time_machine) == 0
    assert mailoutbox == []


def test_a_moved_session_is_reminded_again_for_its_new_time(
    booking, applicant, coach, service, mailoutbox, django_capture_on_commit_callbacks, time_machine
):
    run(django_capture_on_commit_callbacks, START - timedelta(hours=23), time_machine)
    time_machine.move_to(START - timedelta(hours=23), tick=False)
    staff = UserFactory(coaching_staff=True)
    services.booking_reschedule(
        booking=booking, actor=staff, new_start=START + timedelta(days=2), by_staff=True
    )
    booking.refresh_from_db()
    assert booking.reminder_24h_sent_at is None
