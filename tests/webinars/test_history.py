"""A registration's history (core.history): seat, waitlist, promotion and cancellation, each
with who acted, in the staff page's attendee table."""

import pytest

from tests.history import actions, last
from tests.webinars.conftest import perk_member
from tests.webinars.factories import WebinarFactory
from webinars import services

pytestmark = pytest.mark.django_db


def test_a_freed_seat_goes_to_the_waitlist_and_both_stories_are_kept(client, host, now, staff):
    webinar = WebinarFactory(host=host, capacity=1)
    first, second = perk_member(email="a@example.com"), perk_member(email="b@example.com")
    seated = services.webinar_register(webinar=webinar, member=first)
    waiting = services.webinar_register(webinar=webinar, member=second)
    services.registration_cancel(registration=seated, actor=first, reason="Clinic shift")
    assert actions(seated) == ["registered", "cancelled"]
    assert last(seated).user == first and last(seated).data["reason"] == "Clinic shift"
    assert actions(waiting) == ["waitlisted", "promoted"]
    assert last(waiting).user is None

    services.webinar_cancel(webinar=webinar, actor=staff, reason="The host is ill")
    assert actions(waiting) == ["waitlisted", "promoted", "cancelled"]
    assert last(waiting).user == staff
    assert last(waiting).data["reason"] == "Webinar cancelled: The host is ill"

    client.force_login(staff)
    page = client.get(f"/admin/webinar-staff/{webinar.public_id}/").content.decode()
    assert "3 events" in page and "2 events" in page
    assert "Given a seat from the waitlist" in page and "Clinic shift" in page
