import re
from datetime import timedelta

import pytest

from booking import services
from core.calendars import parse
from tests.booking.factories import CreditFactory, utc

pytestmark = pytest.mark.django_db

SLOT = utc(2027, 3, 3, 15, 0)  # 10:00 Toronto, 20:30 Kolkata


def book(applicant, coach, service, django_capture_on_commit_callbacks):
    CreditFactory(applicant=applicant, service=service)
    with django_capture_on_commit_callbacks(execute=True):
        return services.booking_book_with_credit(
            applicant=applicant, service=service, start=SLOT, coach=coach
        )


def test_confirmation_shows_each_recipient_their_own_local_time_and_the_link(
    applicant, coach, service, now, mailoutbox, django_capture_on_commit_callbacks
):
    coach.user.time_zone = "Europe/Paris"  # the coach's account zone; sessions use Coach.time_zone
    coach.user.save()
    book(applicant, coach, service, django_capture_on_commit_callbacks)
    by_recipient = {m.to[0]: m for m in mailoutbox}
    to_applicant = by_recipient[applicant.email]
    to_coach = by_recipient[coach.user.email]
    assert re.search(r"Wed 3 Mar( 2027)?, 20:30–21:30 \(India\)", to_applicant.body)
    assert re.search(r"Wed 3 Mar( 2027)?, 10:00–11:00 \(Toronto\)", to_coach.body)
    assert coach.meeting_url in to_applicant.body
    assert coach.meeting_url in to_applicant.alternatives[0][0]


def test_invites_keep_their_uid_raise_sequence_and_cancel_with_method_cancel(
    applicant, coach, service, now, mailoutbox, django_capture_on_commit_callbacks
):
    booking = book(applicant, coach, service, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_reschedule(
            booking=booking, actor=applicant, new_start=SLOT + timedelta(days=1)
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_cancel(booking=booking, actor=applicant, reason="Plans changed")
    invites = [parse(m.attachments[0][1]) for m in mailoutbox if m.to == [applicant.email]]
    assert [str(cal["method"]) for cal in invites] == ["REQUEST", "REQUEST", "CANCEL"]
    events = [cal.walk("VEVENT")[0] for cal in invites]
    assert len({str(e["uid"]) for e in events}) == 1
    assert [int(e["sequence"]) for e in events] == [0, 1, 2]
    assert events[0].decoded("dtstart") == SLOT
    assert events[1].decoded("dtstart") == SLOT + timedelta(days=1)
    assert str(events[2]["status"]) == "CANCELLED"
    assert str(events[0]["location"]) == coach.meeting_url
    attendees = {str(a) for a in events[0]["attendee"]}
    assert attendees == {f"mailto:{applicant.email}", f"mailto:{coach.user.email}"}
