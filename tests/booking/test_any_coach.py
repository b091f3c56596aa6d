""" "Any coach": one time per start in the API, and the coach assigned when booking.

The rule: among the coaches free at that time, the one with the fewest active sessions on that
date in their own zone; ties by slug. Assigned inside the booking's transaction and locks; if
the database still vetoes the chosen coach, the next one in that order takes the booking.
"""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from booking import services
from booking.errors import HoldLimitReached, SlotUnavailable
from booking.history import BookingAction
from booking.models import Booking
from booking.slots import Slot
from core.timezones import is_night
from tests.accounts.factories import UserFactory
from tests.booking.factories import EVERY_DAY_9_TO_5, BookingFactory, CreditFactory, utc
from tests.booking.test_api import all_slots
from tests.booking.test_api import slots as slot_query
from tests.coaching.factories import CoachFactory
from tests.history import entries

pytestmark = pytest.mark.django_db

TORONTO = ZoneInfo("America/Toronto")
TEN = utc(2027, 3, 3, 15)  # Wednesday 10:00 in Toronto, 20:30 in Kolkata
TEN_LOCAL = "2027-03-03T10:00:00-05:00"


def coach(slug, service, **kwargs):
    return CoachFactory(slug=slug, services=[service], hours=EVERY_DAY_9_TO_5, **kwargs)


def slots(client, **params):
    response = slot_query(client, **{"tz": "America/Toronto", **params})
    assert response.status_code == 200, response.content
    return all_slots(response.json())


def book_any(applicant, service, start=TEN):
    return services.booking_book_with_credit(applicant=applicant, service=service, start=start)


def with_credit(service, quantity=1):
    person = UserFactory()
    CreditFactory(applicant=person, service=service, quantity=quantity)
    return person


# --- the API: one entry per time ---------------------------------------------------------


def test_any_coach_lists_each_time_once_with_how_many_coaches_are_free(client, service, now):
    coach("ali", service)
    bea = coach("bea", service)
    BookingFactory(coach=bea, service=service, start=utc(2027, 3, 3, 18))  # 13:00 Toronto

    merged = slots(client)
    starts = [slot["start"] for slot in merged]
    assert len(starts) == len(set(starts))
    by_start = {slot["start"]: slot for slot in merged}
    assert by_start[TEN_LOCAL]["coaches_free"] == 2
    # 13:00 and the 12:00 before it (buffer) are ali's alone.
    assert by_start["2027-03-03T13:00:00-05:00"]["coaches_free"] == 1
    assert by_start["2027-03-03T13:00:00-05:00"]["coach"]["slug"] == "ali"

    # One coach asked for: that coach's times, one entry each, without the count.
    only_bea = slots(client, coach="bea")
    assert {slot["coach"]["slug"] for slot in only_bea} == {"bea"}
    assert "coaches_free" not in only_bea[0]
    assert "2027-03-03T13:00:00-05:00" not in {slot["start"] for slot in only_bea}


def test_the_time_names_the_coach_with_the_fewest_sessions_that_day(client, service, now):
    ali, bea = coach("ali", service), coach("bea", service)
    BookingFactory(coach=ali, service=service, start=utc(2027, 3, 3, 20))  # 15:00 Toronto
    merged = {slot["start"]: slot for slot in slots(client)}
    assert merged[TEN_LOCAL]["coach"]["slug"] == "bea"
    # The next day ali has nothing booked either: a tie, decided by slug.
    next_day = {slot["start"]: slot for slot in slots(client, start="2027-03-04", end="2027-03-04")}
    assert next_day["2027-03-04T10:00:00-05:00"]["coach"]["slug"] == "ali"
    assert bea.slug == "bea"


def test_the_api_books_any_coach_and_names_the_coach_it_assigned(client, service, now):
    ali, bea = coach("ali", service), coach("bea", service)
    BookingFactory(coach=ali, service=service, start=utc(2027, 3, 3, 20))
    person = with_credit(service)
    client.force_login(person)
    response = client.post(
        "/api/v1/bookings",
        {"service": "strategy", "start": "2027-03-03T20:30:00+05:30"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["coach"]["slug"] == "bea"
    assert body["url"] == f"/book/bookings/{body['id']}/"
    assert Booking.objects.get(public_id=body["id"]).coach == bea


# --- the assignment rule ------------------------------------------------------------------


def test_the_coach_with_the_fewest_active_sessions_that_day_gets_the_booking(service, now):
    ali, bea = coach("ali", service), coach("bea", service)
    BookingFactory(coach=ali, service=service, start=utc(2027, 3, 3, 20))  # 15:00 Toronto
    # Cancelled sessions and lapsed holds are not sessions that day.
    BookingFactory(coach=bea, service=service, start=utc(2027, 3, 3, 18), cancelled=True)
    BookingFactory(coach=bea, service=service, start=utc(2027, 3, 3, 17), expired=True)

    booking = book_any(with_credit(service), service)

    assert booking.coach == bea
    assert entries(booking).get().data["reason"].endswith(services.ANY_COACH_REASON)


def test_sessions_are_counted_on_the_date_in_the_coach_own_zone(service, now):
    # Tuesday 23:00 in Toronto is already Wednesday in UTC (04:00) and in Kolkata (09:30): it
    # is zed's Tuesday, so on Wednesday zed has nothing yet and amy has one session.
    zed, amy = coach("zed", service), coach("amy", service)
    BookingFactory(coach=zed, service=service, start=utc(2027, 3, 3, 4))
    BookingFactory(coach=amy, service=service, start=utc(2027, 3, 3, 19))  # Wed 14:00 Toronto
    booking = book_any(with_credit(service), service)
    assert booking.coach == zed


def test_a_tie_goes_to_the_same_coach_every_time_by_slug(service, now):
    # Created in the other order and listed first by the editors' order: the slug decides.
    zoe = coach("zoe", service, sort_order=0)
    ali = coach("ali", service, sort_order=5)
    first = book_any(with_credit(service), service)
    assert first.coach == ali
    # The next day (both free, both with nothing that day) goes the same way.
    again = book_any(with_credit(service), service, start=TEN + timedelta(days=1))
    assert again.coach == ali
    assert zoe.slug == "zoe"


def test_when_the_first_coach_is_taken_the_next_free_one_gets_the_time(service, now):
    ali, bea = coach("ali", service), coach("bea", service)
    first = book_any(with_credit(service), service)
    second = book_any(with_credit(service), service)
    assert (first.coach, second.coach) == (ali, bea)
    last = with_credit(service)
    with pytest.raises(SlotUnavailable):
        book_any(last, service)
    assert last.credits.get().remaining == 1  # nothing spent


def hold_twice(applicant, coach, service, now):
    """Two holds with `coach` on the next two days: the most one may hold with one coach."""
    hold_until = now + timedelta(minutes=30)
    for day in (1, 2):
        services.booking_hold(
            applicant=applicant,
            coach=coach,
            service=service,
            start=TEN + timedelta(days=day),
            hold_until=hold_until,
        )
    return hold_until


def test_a_hold_with_any_coach_skips_a_coach_the_hold_limits_refuse(applicant, service, now):
    ali, bea = coach("ali", service), coach("bea", service)
    hold_until = hold_twice(applicant, ali, service, now)
    held = services.booking_hold(
        applicant=applicant, coach=None, service=service, start=TEN, hold_until=hold_until
    )
    assert held.coach == bea  # ali would have had the fewest sessions that day
    assert entries(held).get().action == BookingAction.HELD
    # The limit in all still stands, whoever is free.
    with pytest.raises(HoldLimitReached):
        services.booking_hold(
            applicant=applicant,
            coach=None,
            service=service,
            start=TEN + timedelta(days=3),
            hold_until=hold_until,
        )


def test_a_hold_with_any_coach_when_only_a_refused_coach_is_free_says_why(applicant, service, now):
    ali = coach("ali", service)
    hold_until = hold_twice(applicant, ali, service, now)
    with pytest.raises(HoldLimitReached, match="with this coach"):
        services.booking_hold(
            applicant=applicant, coach=None, service=service, start=TEN, hold_until=hold_until
        )


# --- under concurrency (PostgreSQL) -------------------------------------------------------

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL (real row locks and constraints)"
)
ATTEMPTS = 20


@postgres_only
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_any_coach_attempts_at_one_time_fill_both_coaches_exactly_once(service, now):
    ali, bea = coach("ali", service), coach("bea", service)
    people = [with_credit(service) for _ in range(ATTEMPTS)]
    barrier = threading.Barrier(ATTEMPTS)

    def attempt(index):
        try:
            barrier.wait(timeout=10)
            if index % 3 == 2:  # some pay for a single session: a hold
                services.booking_hold(
                    applicant=people[index],
                    coach=None,
                    service=service,
                    start=TEN,
                    hold_until=now + timedelta(minutes=30),
                )
            else:
                book_any(people[index], service)
            return "booked"
        except SlotUnavailable as error:
            return error.code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=ATTEMPTS) as pool:
        results = list(pool.map(attempt, range(ATTEMPTS)))

    assert results.count("booked") == 2, results
    assert results.count("slot_taken") == ATTEMPTS - 2, results
    active = Booking.objects.active()
    assert sorted(active.values_list("coach__slug", flat=True)) == ["ali", "bea"]
    assert set(active.values_list("start", flat=True)) == {TEN}
    spent = sum(1 for person in people if person.credits.get().remaining == 0)
    assert spent == active.filter(credit__isnull=False).count()
    assert {ali.pk, bea.pk} == set(active.values_list("coach_id", flat=True))


@postgres_only
@pytest.mark.postgres
def test_when_the_database_vetoes_the_chosen_coach_the_next_one_books(service, now, monkeypatch):
    ali, bea = coach("ali", service), coach("bea", service)
    BookingFactory(coach=ali, service=service, start=TEN)
    end = TEN + timedelta(minutes=60)
    # An engine that missed ali's booking: the exclusion constraint refuses ali, bea books.
    monkeypatch.setattr(
        services, "find_slots", lambda **kwargs: [Slot(ali, TEN, end), Slot(bea, TEN, end)]
    )
    person = with_credit(service)
    booking = book_any(person, service)
    assert booking.coach == bea
    assert person.credits.get().remaining == 0


# --- night times --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("wall_clock", "night"),
    [("22:59", False), ("23:00", True), ("00:00", True), ("05:59", True), ("06:00", False)],
)
def test_night_is_23_to_6_on_the_viewer_clock(wall_clock, night):
    hour, minute = map(int, wall_clock.split(":"))
    assert is_night(datetime(2027, 3, 3, hour, minute, tzinfo=ZoneInfo("Asia/Kolkata"))) is night


def test_slots_mark_night_times_in_the_viewer_zone_not_the_coach(client, service, now):
    coach("ali", service)
    in_kolkata = {s["start"][11:16]: s["night"] for s in slots(client, tz="Asia/Kolkata")}
    # 09:00 Toronto = 19:30 Kolkata (evening); 12:30 Toronto = 23:00 Kolkata (night).
    assert in_kolkata["19:30"] is False
    assert in_kolkata["22:30"] is False
    assert in_kolkata["23:00"] is True
    assert in_kolkata["02:30"] is True
    in_toronto = [s["night"] for s in slots(client)]
    assert not any(in_toronto)  # the coach's 09:00–17:00 is daytime for a viewer there
