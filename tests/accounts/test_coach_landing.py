"""Where each role lands after logging in (coaches in their area, editors and staff in the
admin, applicants on the dashboard); coaches find their area in the header at no query."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from medpath.accounts.roles import SESSION_KEY
from tests.accounts.factories import USER_PASSWORD, UserFactory
from tests.coaching.factories import CoachFactory

pytestmark = pytest.mark.django_db

COACH_LINK = '<a href="/coach/"'


def log_in(client, email, *, next_url=None):
    url = reverse("account_login") + (f"?next={next_url}" if next_url else "")
    return client.post(url, {"login": email, "password": USER_PASSWORD})


@pytest.fixture
def coach():
    return CoachFactory(user=UserFactory(email="priya@example.com", verified=True))


def test_a_coach_logging_in_lands_on_the_coach_area(client, coach):
    response = log_in(client, "priya@example.com")

    assert response.status_code == 302
    assert response["Location"] == "/coach/"


def test_an_applicant_logging_in_lands_on_the_dashboard(client):
    UserFactory(email="amal@example.com", verified=True)

    response = log_in(client, "amal@example.com")

    assert response["Location"] == "/dashboard/"


def test_an_editor_logging_in_lands_in_the_admin(client):
    editor = UserFactory(email="erin@example.com", verified=True, staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))

    response = log_in(client, "erin@example.com")

    assert response["Location"] == "/admin/"


def test_a_superuser_logging_in_lands_in_the_admin(client):
    UserFactory(email="sam@example.com", verified=True, staff=True, is_superuser=True)

    assert log_in(client, "sam@example.com")["Location"] == "/admin/"


def test_staff_without_admin_access_land_on_the_dashboard(client):
    UserFactory(email="nobody@example.com", verified=True, staff=True)

    assert log_in(client, "nobody@example.com")["Location"] == "/dashboard/"


def test_an_explicit_next_wins_over_the_admin(client):
    UserFactory(email="sam@example.com", verified=True, staff=True, is_superuser=True)

    assert log_in(client, "sam@example.com", next_url="/coaches/")["Location"] == "/coaches/"


def test_an_explicit_next_wins_over_the_coach_area(client, coach):
    response = log_in(client, "priya@example.com", next_url="/coaches/")

    assert response["Location"] == "/coaches/"


def test_an_unsafe_next_is_ignored_and_the_coach_still_lands_on_the_coach_area(client, coach):
    response = log_in(client, "priya@example.com", next_url="https://evil.example/")

    assert response["Location"] == "/coach/"


def test_a_coach_without_admin_access_sent_to_the_admin_goes_to_the_coach_area(client, coach):
    client.force_login(coach.user)

    response = client.get("/admin/login/")

    assert response["Location"] == "/coach/"


def test_the_header_has_a_coach_item_for_coaches_only(client, coach):
    applicant = UserFactory()

    assert COACH_LINK not in client.get("/coaches/").content.decode()  # anonymous
    client.force_login(applicant)
    assert COACH_LINK not in client.get("/coaches/").content.decode()
    client.force_login(coach.user)
    html = client.get("/coaches/").content.decode()
    assert f"{COACH_LINK}>Coach</a>" in html


def test_the_coach_item_is_marked_current_in_the_coach_area(client, coach):
    client.force_login(coach.user)

    assert f'{COACH_LINK} aria-current="page">Coach' in client.get("/coach/").content.decode()
    availability = client.get("/coach/availability/").content.decode()
    assert f'{COACH_LINK} aria-current="true">Coach' in availability


def test_the_coach_item_costs_no_query_on_ordinary_pages(client, coach):
    def queries(user) -> int:
        client.force_login(user)
        client.get("/packages/")  # warm per-process caches
        with CaptureQueriesContext(connection) as context:
            client.get("/packages/")
        return len(context.captured_queries)

    assert queries(coach.user) == queries(UserFactory())


def test_a_session_from_before_the_coach_flag_looks_it_up_once(client, coach):
    client.force_login(coach.user)
    session = client.session
    del session[SESSION_KEY]
    session.save()

    assert COACH_LINK in client.get("/coaches/").content.decode()
    assert client.session[SESSION_KEY] is True
