"""Both event tables moved into the one history without losing a row: a database migrated
before the move keeps every booking and review event, field for field, as log entries; and
migrating back puts them into the tables again."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from wagtail.models import ModelLogEntry

from booking.models import Booking
from core.history import entries_for
from reviews.models import Review
from tests.accounts.factories import BuyerFactory
from tests.booking.factories import BookingFactory
from tests.coaching.factories import CoachFactory
from tests.reviews.factories import ReviewFactory

BEFORE = [("booking", "0003_meeting_room"), ("reviews", "0001_initial")]
MOVED_ON = datetime(2027, 1, 5, 14, 30, tzinfo=UTC)
SESSION = datetime(2027, 1, 12, 15, 0, tzinfo=UTC)


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


def _leaf_nodes():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def _old_rows(old, booking, review, applicant, coach):
    BookingEvent = old.get_model("booking", "BookingEvent")
    ReviewEvent = old.get_model("reviews", "ReviewEvent")
    held = BookingEvent.objects.create(
        booking_id=booking.pk,
        action="held",
        actor_id=applicant.pk,
        to_start=SESSION,
        to_status="held",
    )
    moved = BookingEvent.objects.create(
        booking_id=booking.pk,
        action="rescheduled",
        actor_id=coach.user_id,
        reason="Moved by staff.",
        from_start=SESSION,
        to_start=MOVED_ON,
        from_status="confirmed",
        to_status="confirmed",
    )
    expired = BookingEvent.objects.create(
        booking_id=booking.pk,
        action="expired",
        reason="Hold expired.",
        from_status="held",
        to_status="expired",
    )
    for event, at in ((held, MOVED_ON.replace(hour=9)), (moved, MOVED_ON), (expired, MOVED_ON)):
        BookingEvent.objects.filter(pk=event.pk).update(created_at=at)
    ReviewEvent.objects.create(
        review_id=review.pk,
        action="submitted",
        actor_id=applicant.pk,
        to_status="submitted",
        note="Credit: Personal statement review",
        created_at=MOVED_ON,
    )
    ReviewEvent.objects.create(
        review_id=review.pk,
        action="auto_closed",
        from_status="returned",
        to_status="closed",
        note="No revision requested within 14 days of the return.",
        created_at=MOVED_ON,
    )
    return BookingEvent, ReviewEvent


@pytest.mark.django_db(transaction=True)
def test_every_event_row_becomes_one_entry_with_the_same_contents_and_back_again():
    after = _leaf_nodes()
    applicant, coach = BuyerFactory(), CoachFactory()
    booking = BookingFactory(applicant=applicant)
    review = ReviewFactory(applicant=applicant)
    old = _migrate(BEFORE)
    BookingEvent, ReviewEvent = _old_rows(old, booking, review, applicant, coach)
    booking_rows = list(
        BookingEvent.objects.order_by("created_at", "id").values_list(
            "action",
            "actor_id",
            "reason",
            "from_start",
            "to_start",
            "from_status",
            "to_status",
            "created_at",
        )
    )
    review_rows = list(
        ReviewEvent.objects.order_by("created_at", "id").values_list(
            "action", "actor_id", "note", "from_status", "to_status", "created_at"
        )
    )

    _migrate(after)

    booking_entries = list(entries_for(Booking.objects.get(pk=booking.pk)))
    assert len(booking_entries) == len(booking_rows) == 3
    for entry, (action, actor, reason, from_start, to_start, was, became, at) in zip(
        booking_entries, booking_rows, strict=True
    ):
        assert entry.action == f"booking.{action}"
        assert (entry.user_id, entry.timestamp) == (actor, at)
        assert entry.label == f"Booking {booking.public_id}"
        expected = {
            "reason": reason,
            "from_start": from_start.isoformat() if from_start else "",
            "to_start": to_start.isoformat() if to_start else "",
            "from_status": was,
            "to_status": became,
        }
        assert entry.data == {key: value for key, value in expected.items() if value}
    review_entries = list(entries_for(Review.objects.get(pk=review.pk)))
    assert [
        (
            e.action,
            e.user_id,
            e.data.get("reason", ""),
            e.data.get("from_status", ""),
            e.data.get("to_status", ""),
            e.timestamp,
        )
        for e in review_entries
    ] == [(f"review.{row[0]}", *row[1:]) for row in review_rows]

    back = _migrate(BEFORE)
    assert not ModelLogEntry.objects.filter(action__regex=r"^(booking|review)\.").exists()
    assert (
        list(
            back.get_model("booking", "BookingEvent")
            .objects.order_by("created_at", "id")
            .values_list(
                "action",
                "actor_id",
                "reason",
                "from_start",
                "to_start",
                "from_status",
                "to_status",
                "created_at",
            )
        )
        == booking_rows
    )
    assert (
        list(
            back.get_model("reviews", "ReviewEvent")
            .objects.order_by("created_at", "id")
            .values_list("action", "actor_id", "note", "from_status", "to_status", "created_at")
        )
        == review_rows
    )
    _migrate(after)
