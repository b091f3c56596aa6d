"""Years 0001 and 9999 in every date people send: a clear 4xx or form error, never a 500.

One rule (`core.dates`) bounds every date to the years the code can compute with."""

from datetime import date, datetime, timedelta

import pytest
from django.test import Client

from booking.forms import OverrideForm, TimeOffForm
from booking.models import Booking
from core.dates import DateInvalid, ensure_supported, parse_date, parse_datetime
from tests.accounts.factories import UserFactory
from tests.booking.factories import BookingFactory, CreditFactory

pytestmark = pytest.mark.django_db

FAR = ["9999-12-31", "0001-01-01"]
FAR_TIMES = ["9999-12-31T23:00:00Z", "0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59+14:00"]


@pytest.mark.parametrize("day", FAR)
def test_slots_for_a_far_date_are_a_400(client, coach, day):
    response = client.get(
        "/api/v1/slots",
        {"service": "strategy", "start": day, "end": day, "tz": "Pacific/Kiritimati"},
    )
    assert response.status_code == 400
    assert response.json()["code"] == "date_out_of_range"
    assert "between 1900 and 2199" in response.json()["detail"]


@pytest.mark.parametrize("start", FAR_TIMES)
def test_booking_or_buying_a_far_time_is_a_400_and_changes_nothing(coach, service, start):
    applicant = UserFactory(verified=True)
    CreditFactory(applicant=applicant, service=service)
    client = Client()
    client.force_login(applicant)
    body = {"service": "strategy", "coach": "priya", "start": start}

    booked = client.post("/api/v1/bookings", body, content_type="application/json")
    bought = client.post("/api/v1/checkout/session", body, content_type="application/json")
    form = client.post("/checkout/session/", body)

    assert booked.status_code == 400, booked.content
    assert bought.status_code == 400, bought.content
    assert form.status_code == 303  # back to the picker with the message
    assert not Booking.objects.exists()


@pytest.mark.parametrize("start", FAR_TIMES)
def test_rescheduling_to_a_far_time_is_a_400(coach, service, applicant, start):
    booking = BookingFactory(applicant=applicant, coach=coach, service=service, confirmed=True)
    before = booking.start
    client = Client()
    client.force_login(applicant)
    response = client.post(
        f"/api/v1/bookings/{booking.public_id}/reschedule",
        {"start": start},
        content_type="application/json",
    )
    assert response.status_code == 400, response.content
    booking.refresh_from_db()
    assert booking.start == before


@pytest.mark.parametrize("day", FAR)
def test_availability_put_with_a_far_date_is_a_4xx_and_changes_nothing(coach, day):
    client = Client()
    client.force_login(coach.user)
    rules = client.get("/api/v1/coach/availability").json()["rules"]
    for payload in (
        {"rules": rules, "overrides": [{"date": day}]},
        {"rules": rules, "time_off": [{"start": f"{day}T09:00:00Z", "end": f"{day}T10:00:00Z"}]},
    ):
        response = client.put(
            "/api/v1/coach/availability", payload, content_type="application/json"
        )
        assert 400 <= response.status_code < 500, response.content
    assert not coach.date_overrides.exists()
    assert not coach.time_off.exists()


@pytest.mark.parametrize("day", FAR)
def test_availability_forms_refuse_far_dates(day):
    override = OverrideForm(data={"date": day})
    time_off = TimeOffForm(data={"start": f"{day}T09:00", "end": f"{day}T10:00"})
    assert not override.is_valid()
    assert "between 1900 and 2199" in str(override.errors)
    assert not time_off.is_valid()


@pytest.mark.parametrize("when", ["9999-12-31T23:00", "0001-01-01T00:00"])
def test_staff_move_to_a_far_time_is_a_form_error(coach, service, applicant, when):
    staff = UserFactory(is_staff=True, is_superuser=True)
    booking = BookingFactory(applicant=applicant, coach=coach, service=service, confirmed=True)
    client = Client()
    client.force_login(staff)
    response = client.post(f"/admin/booking-staff/{booking.public_id}/", {"move-new_start": when})
    assert response.status_code == 200
    assert "between 1900 and 2199" in response.content.decode()


def test_the_rule_itself():
    assert ensure_supported(date(1900, 1, 1)) == date(1900, 1, 1)
    assert parse_date("2199-12-31", name="end") == date(2199, 12, 31)
    with pytest.raises(DateInvalid):
        parse_date("1899-12-31", name="start")
    with pytest.raises(DateInvalid):
        parse_datetime("2200-01-01T00:00:00Z", name="start")
    with pytest.raises(DateInvalid):
        parse_datetime("2027-01-01T00:00:00", name="start")  # no offset
    assert parse_datetime("2027-01-01T00:00:00Z", name="start") == datetime.fromisoformat(
        "2027-01-01T00:00:00+00:00"
    )
    assert date(2199, 12, 31) + timedelta(days=400)  # the bound leaves room to compute
