"""After booking: the "You're booked" page, add to calendar, cancel with confirmation, and each
session's own meeting room."""

import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client

from booking import services
from booking.meetings import ROOM_PREFIX
from booking.models import Booking, BookingStatus
from core.calendars import parse
from tests.accounts.factories import UserFactory
from tests.booking.factories import CreditFactory, utc

pytestmark = pytest.mark.django_db

SLOT = utc(2027, 3, 3, 15, 0)  # Wednesday: 10:00 in Toronto, 20:30 in Kolkata
ROOM_LINK = re.compile(r"https://video\.medpath\.test/medpath-[a-z0-9]{20}")


def login(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def room_coach(coach):
    """A coach without a fixed link of their own: each session gets its own room."""
    coach.meeting_url = ""
    coach.save()
    return coach


def book(applicant, coach, service, *, start=SLOT, capture=None) -> Booking:
    credit = CreditFactory(applicant=applicant, service=service, quantity=1)
    if capture is None:
        booking = services.booking_book_with_credit(
            applicant=applicant, service=service, start=start, coach=coach
        )
    else:
        with capture(execute=True):
            booking = services.booking_book_with_credit(
                applicant=applicant, service=service, start=start, coach=coach
            )
    booking.credit = credit
    return booking


def page(client, booking, query="") -> str:
    response = client.get(f"/book/bookings/{booking.public_id}/{query}")
    assert response.status_code == 200
    return response.content.decode()


# --- the confirmation page ----------------------------------------------------------------


def test_booked_page_shows_both_zones_the_meeting_link_and_until_when_it_can_change(
    applicant, room_coach, service, now
):
    booking = book(applicant, room_coach, service)
    html = page(login(applicant), booking, "?booked=1")
    assert "<h1>You're booked</h1>" in html
    assert ">Wed 3 Mar, 20:30–21:30</time></strong>" in html  # the applicant's zone
    assert "(India (Kolkata) · GMT+5:30)" in html
    assert "Wed 3 Mar, 10:00–11:00 (Toronto)" in html  # the coach's zone
    assert service.name in html and room_coach.display_name in html
    assert ROOM_LINK.search(html).group(0) == booking.meeting_url
    # The deadline is the policy's: 24 hours before, shown in the applicant's zone.
    assert "Free to change until" in html and "Tue 2 Mar, 20:30" in html
    assert f'href="/book/bookings/{booking.public_id}/calendar.ics"' in html
    assert "calendar.google.com" in html and "outlook.live.com" in html


def test_the_deadline_shown_is_the_one_the_policy_computes(applicant, room_coach, service, now):
    service.cancellation_notice_hours = 48
    service.save()
    html = page(login(applicant), book(applicant, room_coach, service), "?booked=1")
    assert "Mon 1 Mar, 20:30" in html  # 48 hours before, in Kolkata
    assert "Tue 2 Mar, 20:30" not in html


def test_moved_page_says_so_and_a_plain_visit_is_the_booking_page(
    applicant, room_coach, service, now
):
    booking = book(applicant, room_coach, service)
    client = login(applicant)
    assert "<h1>Moved to a new time</h1>" in page(client, booking, "?rescheduled=1")
    plain = page(client, booking)
    assert "You're booked" not in plain and f"<h1>{service.name}</h1>" in plain
    assert "Add to your calendar" in plain  # still there to come back to


def test_a_held_session_is_not_called_booked_and_offers_no_calendar(
    applicant, room_coach, service, now
):
    hold = services.booking_hold(
        applicant=applicant,
        coach=room_coach,
        service=service,
        start=SLOT,
        hold_until=now + timedelta(minutes=30),
    )
    html = page(login(applicant), hold, "?booked=1")
    assert "You're booked" not in html and "Awaiting payment" in html
    assert "Add to your calendar" not in html and "Meeting link" not in html
    assert login(applicant).get(f"/book/bookings/{hold.public_id}/calendar.ics").status_code == 404


# --- add to calendar ----------------------------------------------------------------------


def test_ics_download_is_the_owners_with_the_invites_uid_and_sequence(
    applicant, room_coach, service, now
):
    booking = book(applicant, room_coach, service)
    services.booking_reschedule(
        booking=booking, actor=applicant, new_start=SLOT + timedelta(days=1)
    )
    booking.refresh_from_db()
    response = login(applicant).get(f"/book/bookings/{booking.public_id}/calendar.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"DTSTART:20270304T150000Z" in response.content
    cal = parse(response.content)
    assert str(cal["method"]) == "PUBLISH"
    (event,) = cal.walk("VEVENT")
    assert str(event["uid"]) == booking.uid
    assert int(event["sequence"]) == booking.sequence == 1
    assert event.decoded("dtstart") == SLOT + timedelta(days=1)
    assert str(event["location"]) == booking.meeting_url


def test_ics_download_is_404_for_others_and_asks_anonymous_visitors_to_log_in(
    applicant, room_coach, service, now
):
    booking = book(applicant, room_coach, service)
    url = f"/book/bookings/{booking.public_id}/calendar.ics"
    assert login(UserFactory()).get(url).status_code == 404
    assert login(room_coach.user).get(url).status_code == 404  # the coach has the feed
    anonymous = Client().get(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/accounts/login/?next=")
    services.booking_cancel(booking=booking, actor=applicant, reason="")
    assert login(applicant).get(url).status_code == 404


def test_google_and_outlook_links_carry_the_sessions_utc_times(applicant, room_coach, service, now):
    from booking.calendars import booking_calendar_links

    booking = book(applicant, room_coach, service)
    links = {
        link.key: parse_qs(urlsplit(link.url).query) for link in booking_calendar_links(booking)
    }
    google = links["google"]
    assert google["dates"] == ["20270303T150000Z/20270303T160000Z"]
    assert google["text"] == [f"{service.name} with {room_coach.display_name}"]
    assert google["location"] == [booking.meeting_url]
    for key in ("outlook", "office"):
        assert links[key]["startdt"] == ["2027-03-03T15:00:00Z"]
        assert links[key]["enddt"] == ["2027-03-03T16:00:00Z"]
        assert links[key]["rru"] == ["addevent"]
    html = page(login(applicant), booking, "?booked=1")
    assert "dates=20270303T150000Z%2F20270303T160000Z" in html


# --- cancelling asks first and says what comes back ---------------------------------------


def test_cancel_page_changes_nothing_and_says_the_credit_comes_back(
    applicant, room_coach, service, now, mailoutbox, django_capture_on_commit_callbacks
):
    booking = book(applicant, room_coach, service)
    client = login(applicant)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(f"/book/bookings/{booking.public_id}/cancel/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Cancel this session?" in html
    assert "Cancelling now returns your credit." in html
    assert "Yes, cancel the session" in html and "Keep my session" in html
    booking.refresh_from_db()
    booking.credit.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED and booking.credit.remaining == 0
    assert mailoutbox == []

    response = client.post(
        f"/book/bookings/{booking.public_id}/cancel/",
        {"reason": "Exam moved", "expected": "credit_returned"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/book/bookings/{booking.public_id}/"
    booking.refresh_from_db()
    booking.credit.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED and booking.credit.remaining == 1


def test_a_late_cancel_says_the_session_is_forfeited(
    applicant, room_coach, service, now, time_machine
):
    booking = book(applicant, room_coach, service)
    time_machine.move_to(SLOT - timedelta(hours=3), tick=False)
    client = login(applicant)
    html = client.get(f"/book/bookings/{booking.public_id}/cancel/").content.decode()
    assert "the session is forfeited" in html
    assert "cancelling now uses up the session, and no credit comes back" in html
    client.post(f"/book/bookings/{booking.public_id}/cancel/", {"expected": "nothing"})
    booking.refresh_from_db()
    booking.credit.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED and booking.credit.remaining == 0


def test_a_paid_single_session_says_it_becomes_a_credit(applicant, room_coach, service, now):
    hold = services.booking_hold(
        applicant=applicant,
        coach=room_coach,
        service=service,
        start=SLOT,
        hold_until=now + timedelta(minutes=30),
    )
    services.booking_confirm_hold(booking=hold)
    html = login(applicant).get(f"/book/bookings/{hold.public_id}/cancel/").content.decode()
    assert f"Cancelling now gives you a credit for another {service.name}." in html


def test_cancel_refuses_when_the_deadline_passed_after_the_page_was_shown(
    applicant, room_coach, service, now, time_machine
):
    booking = book(applicant, room_coach, service)
    client = login(applicant)
    shown = client.get(f"/book/bookings/{booking.public_id}/cancel/").content.decode()
    assert 'name="expected" value="credit_returned"' in shown
    time_machine.move_to(SLOT - timedelta(hours=3), tick=False)  # past the deadline
    response = client.post(
        f"/book/bookings/{booking.public_id}/cancel/",
        {"reason": "Clash", "expected": "credit_returned"},
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "This has changed since you opened the page" in html
    assert 'name="expected" value="nothing"' in html and "Clash" in html
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED


def test_booking_page_and_dashboard_cancel_go_through_the_confirmation(
    applicant, room_coach, service, now
):
    booking = book(applicant, room_coach, service)
    client = login(applicant)
    cancel_url = f"/book/bookings/{booking.public_id}/cancel/"
    html = page(client, booking)
    assert f'href="{cancel_url}"' in html
    assert 'method="post"' not in html.split("<main", 1)[1].split("</main>", 1)[0]
    assert f'href="/book/?reschedule={booking.public_id}"' in html  # moving stays one click
    assert f'href="{cancel_url}"' in client.get("/dashboard/").content.decode()


def test_someone_elses_cancel_page_is_a_404(applicant, room_coach, service, now):
    booking = book(applicant, room_coach, service)
    other = login(UserFactory())
    assert other.get(f"/book/bookings/{booking.public_id}/cancel/").status_code == 404
    assert other.post(f"/book/bookings/{booking.public_id}/cancel/").status_code == 404
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED


# --- a meeting room per session -----------------------------------------------------------


def test_each_confirmed_session_gets_its_own_room_kept_when_moved(
    applicant, room_coach, service, now
):
    first = book(applicant, room_coach, service)
    second = book(applicant, room_coach, service, start=SLOT + timedelta(days=1))
    assert first.meeting_room.startswith(ROOM_PREFIX) and len(first.meeting_room) == 28
    assert first.meeting_room != second.meeting_room
    assert ROOM_LINK.fullmatch(first.meeting_url)
    room = first.meeting_room
    services.booking_reschedule(booking=first, actor=applicant, new_start=SLOT + timedelta(days=2))
    first.refresh_from_db()
    assert first.meeting_room == room


def test_a_hold_gets_its_room_when_payment_confirms_it(applicant, room_coach, service, now):
    hold = services.booking_hold(
        applicant=applicant,
        coach=room_coach,
        service=service,
        start=SLOT,
        hold_until=now + timedelta(minutes=30),
    )
    assert hold.meeting_room == "" and hold.meeting_url == ""
    services.booking_confirm_hold(booking=hold)
    hold.refresh_from_db()
    assert ROOM_LINK.fullmatch(hold.meeting_url)


def test_the_room_link_is_in_both_emails_and_the_invite(
    applicant, room_coach, service, now, mailoutbox, django_capture_on_commit_callbacks
):
    booking = book(applicant, room_coach, service, capture=django_capture_on_commit_callbacks)
    assert {m.to[0] for m in mailoutbox} == {applicant.email, room_coach.user.email}
    for message in mailoutbox:
        assert booking.meeting_url in message.body
        assert f'href="{booking.meeting_url}"' in message.alternatives[0][0]
        (event,) = parse(message.attachments[0][1]).walk("VEVENT")
        assert str(event["location"]) == str(event["url"]) == booking.meeting_url
    (to_applicant,) = [m for m in mailoutbox if m.to == [applicant.email]]
    # Until when it can change: the policy's deadline, in the applicant's zone.
    assert "You can move or cancel it until Tue 2 Mar, 20:30 (India)" in (to_applicant.body)
    with django_capture_on_commit_callbacks(execute=True):
        services.bookings_send_reminders(now=SLOT - timedelta(minutes=50))
    reminders = [m for m in mailoutbox if m.subject.startswith("Reminder")]
    assert reminders and all(booking.meeting_url in m.body for m in reminders)


def test_the_room_link_is_on_both_dashboards_and_in_the_api(applicant, room_coach, service, now):
    booking = book(applicant, room_coach, service)
    assert booking.meeting_url in login(applicant).get("/dashboard/").content.decode()
    assert booking.meeting_url in login(room_coach.user).get("/coach/").content.decode()
    api = login(applicant).get(f"/api/v1/bookings/{booking.public_id}").json()
    assert api["meeting_url"] == booking.meeting_url


def test_a_coachs_own_fixed_link_wins_over_the_room(applicant, coach, service, now):
    coach.meeting_url = "https://zoom.example/j/priya"
    coach.save()
    booking = book(applicant, coach, service)
    assert booking.meeting_room  # kept, should the coach drop their link later
    assert booking.meeting_url == "https://zoom.example/j/priya"
    assert 'href="https://zoom.example/j/priya"' in page(login(applicant), booking, "?booked=1")


def test_without_a_video_server_only_a_fixed_link_is_shown(
    applicant, room_coach, service, now, settings
):
    settings.MEETING_BASE_URL = ""
    booking = book(applicant, room_coach, service)
    assert booking.meeting_url == ""
    assert "Meeting link" not in page(login(applicant), booking, "?booked=1")


def test_the_migration_gives_sessions_confirmed_before_rooms_existed_a_room(
    applicant, room_coach, service, now
):
    from importlib import import_module

    from django.apps import apps

    from tests.booking.factories import BookingFactory

    migration = import_module("booking.migrations.0003_meeting_room")
    old = BookingFactory(coach=room_coach, service=service, start=SLOT, meeting_room="")
    hold = BookingFactory(
        coach=room_coach, service=service, start=SLOT + timedelta(days=1), held=True
    )
    migration.give_confirmed_bookings_a_room(apps, None)
    old.refresh_from_db()
    hold.refresh_from_db()
    assert ROOM_LINK.fullmatch(old.meeting_url)
    assert hold.meeting_room == ""
