"""Pages: /book/, booking detail, the coach dashboard, availability and the calendar feed."""

import re
from datetime import time, timedelta

import pytest
from django.test import Client

from booking.models import BookingStatus, CoachSchedule
from core.calendars import parse
from tests.accounts.factories import UserFactory
from tests.booking.factories import BookingFactory, CreditFactory, utc
from tests.coaching.factories import CoachFactory, ServiceFactory
from tests.history import entries

pytestmark = pytest.mark.django_db

SLOT = utc(2027, 3, 3, 15, 0)


def login(user):
    client = Client()
    client.force_login(user)
    return client


# --- applicants ---------------------------------------------------------------------------


def test_book_page_is_open_to_visitors_without_an_account(client, service, now):
    """As on Calendly: the times first, log in at the confirm step (tests/booking/test_picker.py)."""
    ServiceFactory(slug="mock", name="Mock interview", single_price_cents=17500)
    response = client.get("/book/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="mock" data-pay="CA$175.00"' in html  # a price, since nobody has a credit
    assert "Strategy session" in html and 'href="/packages/"' in html
    assert 'data-zone=""' in html  # the browser's zone, not a profile's
    assert "Log in or sign up to book" in html and "Book with 1 credit" not in html


def test_book_page_offers_credited_services_and_buy_for_others(applicant, service, now):
    CreditFactory(applicant=applicant, service=service, quantity=3)
    ServiceFactory(slug="mock", name="Mock interview")
    ServiceFactory(slug="review", name="Application review", review=True)
    html = login(applicant).get("/book/").content.decode()
    assert 'value="strategy"' in html and "3 credits left" in html
    assert "Mock interview" in html and 'href="/packages/"' in html
    assert "Application review" not in html  # reviews are not booked on a calendar
    assert "booking/slot-picker.js" in html
    assert 'data-zone="Asia/Kolkata"' in html


def test_book_page_sells_a_single_session_where_there_is_no_credit_but_a_price(
    applicant, service, now
):
    CreditFactory(applicant=applicant, service=service, quantity=1)
    ServiceFactory(slug="mock", name="Mock interview", single_price_cents=17500)
    ServiceFactory(slug="casper", name="CASPer prep", single_price_cents=None)
    html = login(applicant).get("/book/").content.decode()
    # Paid on its own: selectable, priced, sent through the checkout that holds the slot.
    assert 'value="mock" data-pay="CA$175.00"' in html
    assert "CA$175.00 for one session, paid at checkout" in html
    assert 'data-checkout-url="/api/v1/checkout/session"' in html
    # With a credit, no price; without a price, only the way to a package.
    assert 'value="strategy">' in html
    assert 'value="casper"' not in html and "CASPer prep" in html


def test_someone_elses_booking_page_is_a_404(applicant, coach, service, now):
    theirs = BookingFactory(coach=coach, service=service)
    client = login(applicant)
    assert client.get(f"/book/bookings/{theirs.public_id}/").status_code == 404
    assert client.post(f"/book/bookings/{theirs.public_id}/cancel/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == BookingStatus.CONFIRMED


def test_applicant_sees_and_cancels_their_booking(applicant, coach, service, now):
    credit = CreditFactory(applicant=applicant, service=service, quantity=1, remaining=0)
    mine = BookingFactory(
        coach=coach, service=service, applicant=applicant, start=SLOT, credit=credit
    )
    client = login(applicant)
    page = client.get(f"/book/bookings/{mine.public_id}/").content.decode()
    assert "20:30" in page  # 10:00 Toronto in Kolkata
    assert "returns your credit" in page
    response = client.post(
        f"/book/bookings/{mine.public_id}/cancel/", {"reason": "Clash"}, follow=True
    )
    assert "cancelled" in response.content.decode()
    mine.refresh_from_db()
    credit.refresh_from_db()
    assert mine.status == BookingStatus.CANCELLED
    assert credit.remaining == 1


# --- coaches ------------------------------------------------------------------------------


def test_coach_area_is_for_coaches_only(applicant, client, now):
    assert client.get("/coach/").status_code == 302
    assert login(applicant).get("/coach/").status_code == 403
    assert login(applicant).get("/coach/availability/").status_code == 403


def test_dashboard_lists_own_sessions_in_the_coach_zone(coach, service, applicant, now):
    BookingFactory(
        coach=coach,
        service=service,
        applicant=applicant,
        start=SLOT,
        applicant_notes="Nervous about MMI",
    )
    BookingFactory(service=service, start=SLOT, applicant=UserFactory(display_name="Someone Else"))
    html = login(coach.user).get("/coach/").content.decode()
    assert "Amal" in html and applicant.email in html
    assert "10:00" in html  # Toronto time
    assert "Nervous about MMI" in html
    assert "Someone Else" not in html


def test_coach_marks_a_started_session_but_not_another_coachs(
    coach, service, applicant, now, time_machine
):
    mine = BookingFactory(coach=coach, service=service, applicant=applicant, start=SLOT)
    theirs = BookingFactory(service=service, start=SLOT)
    time_machine.move_to(SLOT + timedelta(minutes=70), tick=False)
    client = login(coach.user)
    client.post(f"/coach/sessions/{mine.public_id}/outcome/", {"outcome": "completed"})
    assert (
        client.post(
            f"/coach/sessions/{theirs.public_id}/outcome/", {"outcome": "no_show"}
        ).status_code
        == 404
    )
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.status, theirs.status) == ("completed", "confirmed")
    assert entries(mine).get().user == coach.user


def test_calendar_feed_lists_confirmed_sessions_and_its_token_can_be_reset(
    coach, service, applicant, now
):
    BookingFactory(coach=coach, service=service, applicant=applicant, start=SLOT)
    BookingFactory(coach=coach, service=service, start=SLOT + timedelta(days=1), cancelled=True)
    BookingFactory(service=service, start=SLOT)  # another coach's
    token = CoachSchedule.objects.get(coach=coach).calendar_token
    response = Client().get(f"/coach/calendar/{token}.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    events = parse(response.content).walk("VEVENT")
    assert len(events) == 1
    assert events[0].decoded("dtstart") == SLOT
    login(coach.user).post("/coach/calendar/reset/")
    assert Client().get(f"/coach/calendar/{token}.ics").status_code == 404
    new_token = CoachSchedule.objects.get(coach=coach).calendar_token
    assert new_token != token and len(new_token) >= 40
    assert Client().get(f"/coach/calendar/{new_token}.ics").status_code == 200


def _availability_post(**overrides):
    data = {
        "slot_step_minutes": "30",
        "buffer_before_minutes": "0",
        "buffer_after_minutes": "15",
        "min_notice_hours": "24",
        "booking_window_days": "60",
        "daily_cap": "",
        "weekly-TOTAL_FORMS": "2",
        "weekly-INITIAL_FORMS": "0",
        "weekly-0-weekday": "0",
        "weekly-0-start": "09:00",
        "weekly-0-end": "12:00",
        "weekly-1-weekday": "0",
        "weekly-1-start": "13:00",
        "weekly-1-end": "17:00",
        "overrides-TOTAL_FORMS": "1",
        "overrides-INITIAL_FORMS": "0",
        "overrides-0-date": "2027-03-08",
        "overrides-0-start": "",
        "overrides-0-end": "",
        "timeoff-TOTAL_FORMS": "1",
        "timeoff-INITIAL_FORMS": "0",
        "timeoff-0-start_date": "2027-03-20",
        "timeoff-0-start_time": "00:00",
        "timeoff-0-end_date": "2027-03-22",
        "timeoff-0-end_time": "00:00",
        "timeoff-0-reason": "Conference",
    }
    data.update(overrides)
    return data


def test_availability_page_saves_hours_overrides_and_time_off_in_the_coach_zone(coach, now):
    client = login(coach.user)
    page = client.get("/coach/availability/")
    assert page.status_code == 200
    assert "What applicants see" in page.content.decode()
    response = client.post("/coach/availability/", _availability_post())
    assert response.status_code == 302
    assert list(coach.weekly_hours.values_list("weekday", "start_time", "end_time")) == [
        (0, time(9), time(12)),
        (0, time(13), time(17)),
    ]
    assert coach.date_overrides.get().start_time is None
    off = coach.time_off.get()
    assert off.start == utc(2027, 3, 20, 4, 0)  # midnight in Toronto (EDT from 14 March)


def test_availability_page_shows_errors_and_changes_nothing(coach, now):
    client = login(coach.user)
    bad = _availability_post(**{"weekly-1-start": "11:00"})  # overlaps 09:00–12:00
    response = client.post("/coach/availability/", bad)
    assert response.status_code == 200
    assert "overlap" in response.content.decode()
    assert coach.weekly_hours.count() == 7
    bad = _availability_post(**{"weekly-0-end": "08:00"})
    response = client.post("/coach/availability/", bad)
    assert "The end must be after the start." in response.content.decode()
    assert coach.weekly_hours.count() == 7


def test_availability_inputs_are_24_hour_text_boxes_filled_as_hh_mm(coach, now):
    html = login(coach.user).get("/coach/availability/").content.decode()

    # No <input type="time"> or datetime-local: browsers draw those with AM/PM in many locales.
    assert 'type="time"' not in html
    assert "datetime-local" not in html
    assert re.search(
        r'<input type="text" name="weekly-0-start" value="09:00"[^>]*placeholder="HH:MM"', html
    )
    assert re.search(r'name="weekly-\d+-end" value="17:00"', html)
    assert not re.search(r"\d\s?[AaPp]\.?[Mm]\b", html)


@pytest.mark.parametrize(
    ("typed", "saved"),
    [("9:00", time(9)), ("09.30", time(9, 30)), ("1745", time(17, 45)), ("21h15", time(21, 15))],
)
def test_availability_reads_24_hour_times_typed_in_common_ways(coach, now, typed, saved):
    data = _availability_post(**{"weekly-0-start": typed, "weekly-0-end": "23:59"})
    data.update({"weekly-TOTAL_FORMS": "1"})

    response = login(coach.user).post("/coach/availability/", data)

    assert response.status_code == 302
    assert coach.weekly_hours.get().start_time == saved


@pytest.mark.parametrize("typed", ["5:30 pm", "25:00", "noon", "9"])
def test_availability_refuses_times_not_on_the_24_hour_clock_and_says_how(coach, now, typed):
    response = login(coach.user).post(
        "/coach/availability/", _availability_post(**{"weekly-0-start": typed})
    )

    assert response.status_code == 200
    assert "Enter a time on the 24-hour clock, such as 09:00 or 17:30." in response.content.decode()
    assert coach.weekly_hours.count() == 7  # nothing changed


def test_time_off_at_a_time_the_clocks_skip_is_a_form_error(coach, now):
    # 02:30 on 14 March 2027 does not exist in Toronto (clocks go from 02:00 to 03:00).
    data = _availability_post(
        **{"timeoff-0-start_date": "2027-03-14", "timeoff-0-start_time": "02:30"}
    )

    response = login(coach.user).post("/coach/availability/", data)

    assert response.status_code == 200
    assert "The clocks change at this time in your zone" in response.content.decode()
    assert not coach.time_off.exists()


def test_availability_page_shows_saved_time_off_as_dates_and_24_hour_times(coach, now):
    client = login(coach.user)
    client.post("/coach/availability/", _availability_post(**{"timeoff-0-end_time": "18:30"}))

    html = client.get("/coach/availability/").content.decode()

    assert 'name="timeoff-0-start_date" value="2027-03-20"' in html
    assert re.search(r'name="timeoff-0-end_time" value="18:30"', html)


def test_availability_page_offers_add_row_buttons_with_each_formsets_empty_form(coach, now):
    html = login(coach.user).get("/coach/availability/").content.decode()

    for prefix in ("weekly", "overrides", "timeoff"):
        assert f'data-formset="{prefix}"' in html
        assert f'name="{prefix}-__prefix__-' in html  # the empty form the button clones
        assert f'name="{prefix}-MAX_NUM_FORMS"' in html
    assert html.count("data-formset-add hidden") == 3  # shown by the script
    assert "booking/formset-rows.js" in html
    assert "data-formset-no-js" in html  # the old "save to get more rows" note, without JS


def test_availability_preview_shows_the_next_two_weeks_of_slots(coach, now):
    html = login(coach.user).get("/coach/availability/").content.decode()
    assert "09:00, 09:30" in html


def test_a_coach_cannot_reach_another_coachs_sessions_or_availability(coach, service, now):
    other = CoachFactory(slug="tom", services=[service])
    theirs = BookingFactory(coach=coach, service=service, start=SLOT)
    client = login(other.user)
    assert theirs.applicant.email not in client.get("/coach/").content.decode()
    client.post("/coach/availability/", _availability_post())
    assert coach.weekly_hours.count() == 7
    assert other.weekly_hours.count() == 2


def test_untouched_empty_rows_are_ignored(coach, now):
    data = _availability_post(
        **{
            "weekly-TOTAL_FORMS": "3",
            "weekly-2-weekday": "",
            "weekly-2-start": "",
            "weekly-2-end": "",
            "timeoff-TOTAL_FORMS": "2",
            "timeoff-1-start_date": "",
            "timeoff-1-start_time": "",
            "timeoff-1-end_date": "",
            "timeoff-1-end_time": "",
            "timeoff-1-reason": "",
        }
    )
    response = login(coach.user).post("/coach/availability/", data)
    assert response.status_code == 302
    assert coach.weekly_hours.count() == 2


def test_deleted_rows_are_removed(coach, now):
    data = _availability_post(**{"weekly-1-DELETE": "on"})
    login(coach.user).post("/coach/availability/", data)
    assert coach.weekly_hours.count() == 1


def test_availability_form_refuses_more_rows_than_the_limit():
    from booking.forms import WeeklyHoursFormSet
    from booking.rules import MAX_WEEKLY_ROWS

    total = MAX_WEEKLY_ROWS + 1
    data = {"weekly-TOTAL_FORMS": str(total), "weekly-INITIAL_FORMS": "0"}
    for n in range(total):
        data.update(
            {f"weekly-{n}-weekday": "0", f"weekly-{n}-start": "09:00", f"weekly-{n}-end": "10:00"}
        )
    formset = WeeklyHoursFormSet(data, prefix="weekly")
    assert not formset.is_valid()
    assert len(formset.forms) <= MAX_WEEKLY_ROWS
    forged = {**data, "weekly-TOTAL_FORMS": "100000"}
    assert len(WeeklyHoursFormSet(forged, prefix="weekly").forms) <= MAX_WEEKLY_ROWS


def test_an_unknown_service_is_named_as_missing_with_a_404_and_the_sessions_listed(
    client, service, now
):
    response = client.get("/book/?service=no-such-session")
    assert response.status_code == 404
    html = response.content.decode()
    assert "We have no session by that name." in html
    assert 'href="/packages/"' in html
    assert f'value="{service.slug}"' in html  # the sessions there are, to choose from
    ok = client.get(f"/book/?service={service.slug}")
    assert ok.status_code == 200 and "no session by that name" not in ok.content.decode()


@pytest.mark.parametrize("value", ["a\x00b", "x" * 20_000, "%", "../../etc", "<script>"])
def test_odd_service_values_are_answered_without_an_error(client, service, now, value):
    response = client.get("/book/", {"service": value, "resume": "1"})
    # A NUL byte is refused before any view with 400 (medpath.middleware); the rest get the page.
    assert response.status_code == (400 if "\x00" in value else 404)
    if response.status_code == 404:
        main = response.content.decode().split('id="main"')[1].split("</main>")[0]
        assert "no session by that name" in main and "<script>" not in main
    posted = client.post("/book/continue/", {"service": value, "start": "2027-03-03T15:00:00Z"})
    assert posted.status_code in (302, 400, 404)
