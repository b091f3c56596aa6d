"""The coach of a school-selection session sees the applicant's shortlist; nobody else does."""

from datetime import timedelta

import pytest

from members import services
from tests.booking.factories import BookingFactory, CoachFactory, ServiceFactory
from tests.members.area import SchoolFactory
from tests.payments.factories import BuyerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(db):
    service = ServiceFactory(slug="school-selection", name="School selection")
    booking = BookingFactory(service=service, coach=CoachFactory(services=[service]))
    school = SchoolFactory(name="Dalhousie", slug="dalhousie")
    services.shortlist_add(member=booking.applicant, school=school)
    services.shortlist_update_notes(
        member=booking.applicant, school=school, notes="Ask about rural sites."
    )
    return booking


def url(booking):
    return f"/coach/sessions/{booking.public_id}/shortlist/"


def test_the_sessions_coach_sees_the_shortlist_with_notes(client, session):
    client.force_login(session.coach.user)
    response = client.get(url(session))
    assert response.status_code == 200
    assert "Dalhousie" in response.content.decode()
    assert "Ask about rural sites." in response.content.decode()


def test_coaching_staff_see_it_too(client, session):
    client.force_login(BuyerFactory(email="desk@example.com", coaching_staff=True))
    assert client.get(url(session)).status_code == 200


@pytest.mark.parametrize("duty", ["staff", "editor", "finance"])
def test_other_staff_do_not(client, session, duty):
    client.force_login(BuyerFactory(email="desk@example.com", **{duty: True}))
    assert client.get(url(session)).status_code == 404


def test_anyone_else_gets_a_404(client, session):
    other_coach = CoachFactory()
    for person in (other_coach.user, session.applicant, BuyerFactory(email="x@example.com")):
        client.force_login(person)
        assert client.get(url(session)).status_code == 404
    client.logout()
    assert client.get(url(session)).status_code == 302  # to the login page


def test_only_school_selection_sessions_share_a_shortlist(client, session):
    other = BookingFactory(
        coach=session.coach, applicant=session.applicant, start=session.start + timedelta(days=1)
    )
    client.force_login(session.coach.user)
    assert client.get(url(other)).status_code == 404
    assert client.get("/coach/sessions/%00/shortlist/").status_code == 400  # the NUL-byte rule


def test_coach_dashboard_links_school_selection_sessions_only(client, session):
    BookingFactory(coach=session.coach, start=session.start + timedelta(days=1))  # another kind
    client.force_login(session.coach.user)
    page = client.get("/coach/").content.decode()
    assert page.count("/shortlist/") == 1
    assert url(session) in page
