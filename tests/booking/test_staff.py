"""Staff cancel or move any booking from the Wagtail admin, through the booking services."""

from datetime import timedelta

import pytest
from django.test import Client

from booking.models import BookingStatus
from tests.accounts.factories import UserFactory
from tests.booking.factories import BookingFactory, CreditFactory, utc
from tests.history import last

pytestmark = pytest.mark.django_db

SLOT = utc(2027, 3, 3, 15, 0)


@pytest.fixture
def staff(now):
    user = UserFactory(email="ops@example.com", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def booking(coach, service, applicant, now):
    credit = CreditFactory(applicant=applicant, service=service, quantity=1, remaining=0)
    return BookingFactory(
        coach=coach, service=service, applicant=applicant, start=SLOT, credit=credit
    )


def test_staff_list_and_manage_pages_render(staff, booking):
    assert staff.get("/admin/bookings/").status_code == 200
    page = staff.get(f"/admin/booking-staff/{booking.public_id}/")
    assert page.status_code == 200
    assert "10:00" in page.content.decode()  # coach's time


def test_staff_cancel_late_still_returns_the_credit(staff, booking, time_machine):
    time_machine.move_to(SLOT - timedelta(hours=2), tick=False)
    response = staff.post(
        f"/admin/booking-staff/{booking.public_id}/",
        {"cancel": "1", "cancel-reason": "Coach unwell"},
    )
    assert response.status_code == 302
    booking.refresh_from_db()
    booking.credit.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert booking.credit.remaining == 1
    event = last(booking)
    assert event.data["reason"] == "Coach unwell" and event.user.email == "ops@example.com"


def test_staff_move_is_typed_in_the_coach_zone(staff, booking):
    response = staff.post(
        f"/admin/booking-staff/{booking.public_id}/",
        {"move": "1", "move-new_start": "2027-03-05T18:00"},
    )
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.start == utc(2027, 3, 5, 23, 0)  # 18:00 Toronto


def test_staff_move_onto_another_session_shows_the_error(staff, booking, coach, service):
    BookingFactory(coach=coach, service=service, start=utc(2027, 3, 5, 23, 0))
    response = staff.post(
        f"/admin/booking-staff/{booking.public_id}/",
        {"move": "1", "move-new_start": "2027-03-05T18:00"},
    )
    assert response.status_code == 200
    assert "taken" in response.content.decode()
    booking.refresh_from_db()
    assert booking.start == SLOT


def test_non_staff_cannot_reach_the_staff_page(applicant, booking):
    client = Client()
    client.force_login(applicant)
    response = client.get(f"/admin/booking-staff/{booking.public_id}/")
    assert response.status_code in (302, 403)


def test_bookings_cannot_be_edited_through_a_generic_form(staff, booking):
    assert staff.get(f"/admin/bookings/edit/{booking.pk}/").status_code in (302, 403)
    assert staff.get("/admin/bookings/new/").status_code in (302, 403)


def test_staff_can_export_bookings_as_csv(staff, booking):
    response = staff.get("/admin/bookings/?export=csv")
    assert response.status_code == 200
    content = b"".join(response.streaming_content if response.streaming else [response.content])
    assert booking.public_id.encode() in content
