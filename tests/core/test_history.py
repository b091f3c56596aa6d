"""The one history (`core.history`): what an entry keeps, what it refuses, how a timeline names
who acted, and how a person is erased from it."""

from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from wagtail.models import ModelLogEntry

from booking.history import BookingAction
from core.history import entries_for, forget_person, record, timeline
from tests.accounts.factories import BuyerFactory, UserFactory
from tests.booking.factories import BookingFactory
from tests.coaching.factories import CoachFactory

pytestmark = pytest.mark.django_db

START = datetime(2027, 2, 3, 14, 0, tzinfo=UTC)


@pytest.fixture
def booking():
    return BookingFactory(applicant=BuyerFactory(display_name="Amara Okafor"))


def test_an_entry_keeps_ids_iso_times_and_a_short_reason_never_a_persons_name(booking):
    entry = record(
        booking,
        BookingAction.RESCHEDULED,
        actor=booking.applicant,
        reason="x" * 600,
        data={"from_start": START, "coach": booking.coach, "from_status": "", "note": None},
    )
    entry.refresh_from_db()
    assert entry.label == f"Booking {booking.public_id}"
    assert "Amara" not in entry.label
    assert entry.object_id == str(booking.pk) and entry.user == booking.applicant
    assert entry.data == {
        "from_start": "2027-02-03T14:00:00+00:00",
        "coach": booking.coach.pk,
        "reason": "x" * 500,
    }


def test_the_system_and_anonymous_visitors_act_as_nobody(booking):
    record(booking, BookingAction.EXPIRED)
    record(booking, BookingAction.RELEASED, actor=AnonymousUser())
    assert [entry.user for entry in entries_for(booking)] == [None, None]


def test_an_unregistered_action_is_refused_and_nothing_is_written(booking):
    with pytest.raises(ValidationError):
        record(booking, "booking.teleported")
    assert not ModelLogEntry.objects.exists()


def test_a_rolled_back_change_leaves_no_entry(booking):
    with pytest.raises(RuntimeError), transaction.atomic():
        record(booking, BookingAction.CANCELLED, reason="Exam moved")
        raise RuntimeError("the change failed")
    assert not entries_for(booking).exists()


def test_the_timeline_is_oldest_first_and_names_people_as_the_viewer_knows_them(booking):
    coach = CoachFactory(display_name="Dr. Priya Raman")
    ops = UserFactory(staff=True, display_name="Ops Person")
    record(booking, BookingAction.BOOKED, actor=booking.applicant, at=START)
    record(booking, BookingAction.RESCHEDULED, actor=coach.user, at=START.replace(hour=15))
    record(
        booking,
        BookingAction.CANCELLED,
        actor=ops,
        reason="Coach unwell",
        at=START.replace(hour=16),
    )
    record(booking, BookingAction.EXPIRED, at=START.replace(hour=16))

    mine = timeline(booking, viewer=booking.applicant, applicant_id=booking.applicant_id)
    assert [(e.label, e.who, e.reason) for e in mine] == [
        ("Booked with a credit", "you", ""),
        ("Rescheduled", "Dr. Priya Raman", ""),
        ("Cancelled", "MedPath staff", "Coach unwell"),
        ("Hold expired", "", ""),
    ]
    theirs = timeline(booking, viewer=coach.user, applicant_id=booking.applicant_id)
    assert [e.who for e in theirs][:2] == ["the applicant", "you"]
    staff = timeline(booking, staff=True)
    assert [e.who for e in staff] == ["Amara Okafor", coach.user.get_full_name(), "Ops Person", ""]


def test_forgetting_a_person_keeps_their_entries_acted_by_nobody(booking):
    other = BuyerFactory()
    record(booking, BookingAction.BOOKED, actor=booking.applicant)
    record(booking, BookingAction.CANCELLED, actor=other)
    assert forget_person(booking.applicant) == 1
    assert [(e.action, e.user) for e in entries_for(booking)] == [
        (BookingAction.BOOKED, None),
        (BookingAction.CANCELLED, other),
    ]


def test_a_timeline_reads_in_a_process_that_has_logged_nothing_yet(monkeypatch):
    # A fresh web process: Wagtail has not run the register_log_actions hooks yet.
    from wagtail.log_actions import registry

    booking = BookingFactory()
    record(booking, BookingAction.HELD)
    monkeypatch.setattr(registry, "has_scanned_for_actions", False)
    monkeypatch.setattr(registry, "formatters", {})
    monkeypatch.setattr(registry, "choices", [])
    (entry,) = timeline(booking, staff=True)
    assert entry.label == "Held"
