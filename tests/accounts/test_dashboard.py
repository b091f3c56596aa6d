import datetime as dt

import pytest
import time_machine

from medpath.dashboard import greeting_for
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_dashboard_sends_anonymous_visitors_to_log_in(client):
    response = client.get("/dashboard/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/dashboard/"


@time_machine.travel(dt.datetime(2026, 3, 2, 4, 30, tzinfo=dt.UTC), tick=False)
def test_dashboard_greets_the_user_in_their_zone(client):
    user = UserFactory(display_name="Amal Haddad", time_zone="Asia/Kolkata", verified=True)
    client.force_login(user)

    html = client.get("/dashboard/").content.decode()

    # 04:30 UTC is 10:00 in Kolkata: morning there, whatever the server's clock says.
    assert "Good morning, Amal Haddad" in html
    assert "Mon 2 Mar, 10:00" in html
    assert "India (Kolkata) · GMT+5:30" in html


def test_dashboard_falls_back_to_the_email_name_without_a_display_name(client):
    user = UserFactory(email="amal.h@example.com", display_name="", verified=True)
    client.force_login(user)

    assert ", amal.h</h1>" in client.get("/dashboard/").content.decode()


def test_new_user_dashboard_shows_empty_states_with_next_steps(
    client, django_assert_max_num_queries
):
    client.force_login(UserFactory(verified=True))

    # Session and user; credits, upcoming and past sessions, orders, membership perks,
    # webinars, coach check; two each for the menu and the footer.
    with django_assert_max_num_queries(16):
        response = client.get("/dashboard/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "You have no sessions booked yet." in html
    assert "You have no session credits." in html
    assert "You haven’t placed any orders." in html
    assert "No membership perks yet." in html
    assert html.count('href="/packages/"') >= 2
    assert "coming soon" not in html.lower()


@pytest.mark.parametrize(
    ("hour", "greeting"),
    [
        (5, "Good morning"),
        (11, "Good morning"),
        (12, "Good afternoon"),
        (18, "Good evening"),
        (2, "Hello"),
        (23, "Good evening"),
    ],
)
def test_greeting_follows_the_local_hour(hour, greeting):
    assert greeting_for(hour) == greeting
