"""Zones at sign-up, the device/profile mismatch notice, its one-click switch and the zone API."""

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from medpath.accounts.models import User
from tests.accounts.factories import UserFactory
from tests.accounts.test_signup import SIGNUP

pytestmark = pytest.mark.django_db

SWITCH = reverse("account_switch_time_zone")


def signup_select(html: str) -> str:
    start = html.index('<select name="time_zone"')
    return html[start : html.index(">", start) + 1]


# --- sign-up ------------------------------------------------------------------------------


def test_empty_signup_form_asks_the_script_to_preselect_the_device_zone(client):
    html = client.get(reverse("account_signup")).content.decode()

    assert 'data-timezone-suggest="preselect"' in signup_select(html)
    assert 'src="/static/medpath/js/timezone-suggest.js"' in html


def test_without_a_script_signup_starts_from_the_country_of_the_browser_language(client):
    html = client.get(reverse("account_signup"), HTTP_ACCEPT_LANGUAGE="en-IN,en;q=0.8")
    html = html.content.decode()

    assert '<option value="Asia/Kolkata" selected>' in html
    assert '<option value="America/Toronto" selected>' not in html


def test_without_a_script_or_a_single_zone_country_signup_starts_from_toronto(client):
    html = client.get(reverse("account_signup"), HTTP_ACCEPT_LANGUAGE="en-US,en").content.decode()

    assert '<option value="America/Toronto" selected>' in html


def test_signup_saves_the_zone_the_browser_chose(client):
    response = client.post(reverse("account_signup"), {**SIGNUP, "time_zone": "Asia/Kathmandu"})

    assert response.status_code == 302
    assert User.objects.get().time_zone == "Asia/Kathmandu"


def test_signup_form_sent_back_with_errors_keeps_the_chosen_zone(client):
    response = client.post(
        reverse("account_signup"), {**SIGNUP, "time_zone": "Asia/Kathmandu", "password2": "x"}
    )
    html = response.content.decode()

    assert response.status_code == 200
    # The person's own choice stands: only offered, never overwritten by the script.
    assert 'data-timezone-suggest=""' in signup_select(html)
    assert '<option value="Asia/Kathmandu" selected>' in html


def test_signup_refuses_an_old_zone_name(client):
    response = client.post(reverse("account_signup"), {**SIGNUP, "time_zone": "Asia/Calcutta"})

    assert response.status_code == 200
    assert "time_zone" in response.context["form"].errors
    assert not User.objects.exists()


# --- the mismatch notice ------------------------------------------------------------------


@time_machine.travel(dt.datetime(2026, 1, 15, 12, 0, tzinfo=dt.UTC), tick=False)
@pytest.mark.parametrize("path", ["/dashboard/", "/book/"])
def test_dashboard_and_book_carry_the_hidden_zone_notice_for_the_profile_zone(client, path):
    client.force_login(UserFactory(time_zone="America/Toronto", verified=True))

    html = client.get(path).content.decode()

    assert 'data-zone-mismatch data-profile-zone="America/Toronto"' in html
    assert "Canada (Toronto) · GMT−5</strong>, the zone in your profile" in html
    assert f'action="{SWITCH}"' in html
    assert f'<input type="hidden" name="next" value="{path}">' in html
    notice = html[html.index("data-zone-mismatch") :]
    assert notice[: notice.index(">")].endswith("hidden")  # the script decides to show it


def test_visitors_get_no_zone_notice(client):
    html = client.get(reverse("account_signup")).content.decode()

    assert "data-zone-mismatch" not in html


# --- the switch ---------------------------------------------------------------------------


def test_switch_saves_the_device_zone_and_goes_back_with_a_message(client):
    user = UserFactory(time_zone="America/Toronto", verified=True)
    client.force_login(user)

    response = client.post(SWITCH, {"zone": "Asia/Kolkata", "next": "/book/"}, follow=True)

    assert response.redirect_chain == [("/book/", 302)]
    user.refresh_from_db()
    assert user.time_zone == "Asia/Kolkata"
    assert "Times are now shown in India (Kolkata) · GMT+5:30" in response.content.decode()


def test_switch_keeps_the_display_name(client):
    user = UserFactory(display_name="Amal Haddad", time_zone="America/Toronto", verified=True)
    client.force_login(user)

    client.post(SWITCH, {"zone": "Asia/Kolkata", "next": "/dashboard/"})

    user.refresh_from_db()
    assert user.display_name == "Amal Haddad"


@pytest.mark.parametrize("zone", ["Mars/Olympus", "", "Asia/Calcutta", "../../etc/passwd"])
def test_switch_to_an_unknown_or_old_zone_changes_nothing_and_says_why(client, zone):
    user = UserFactory(time_zone="America/Toronto", verified=True)
    client.force_login(user)

    response = client.post(SWITCH, {"zone": zone, "next": "/dashboard/"})

    assert response.status_code == 400
    assert "Your time zone was not changed" in response.content.decode()
    assert "time_zone" in response.context["form"].errors
    user.refresh_from_db()
    assert user.time_zone == "America/Toronto"


def test_switch_for_a_visitor_asks_to_log_in_and_changes_nothing(client):
    response = client.post(SWITCH, {"zone": "Asia/Kolkata", "next": "/book/"})

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next=/book/"


def test_switch_never_sends_anyone_off_site(client):
    client.force_login(UserFactory(time_zone="America/Toronto", verified=True))

    response = client.post(SWITCH, {"zone": "Asia/Kolkata", "next": "https://evil.example/"})

    assert response["Location"] == reverse("dashboard")


def test_switch_is_post_only(client):
    client.force_login(UserFactory(time_zone="America/Toronto", verified=True))

    assert client.get(SWITCH, {"zone": "Asia/Kolkata"}).status_code == 405


def test_switch_needs_the_csrf_token():
    user = UserFactory(time_zone="America/Toronto", verified=True)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)

    response = client.post(SWITCH, {"zone": "Asia/Kolkata", "next": "/dashboard/"})

    assert response.status_code == 403
    user.refresh_from_db()
    assert user.time_zone == "America/Toronto"


# --- the zone API -------------------------------------------------------------------------


@time_machine.travel(dt.datetime(2026, 1, 15, 12, 0, tzinfo=dt.UTC), tick=False)
def test_resolve_reads_an_old_browser_name_as_the_current_zone(client):
    response = client.get("/api/v1/time-zones/resolve", {"name": "Asia/Calcutta"})

    assert response.status_code == 200
    assert response.json() == {
        "id": "Asia/Kolkata",
        "label": "India (Kolkata) · GMT+5:30",
        "place": "India (Kolkata)",
        "short": "India",
    }


def test_resolve_refuses_an_unknown_zone_with_a_reason(client):
    response = client.get("/api/v1/time-zones/resolve", {"name": "Mars/Olympus"})

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_time_zone"


def test_zone_list_api_groups_current_zones_by_region(client):
    groups = client.get("/api/v1/time-zones").json()

    assert groups[0] == {"region": "UTC", "zones": [{"id": "UTC", "label": "UTC"}]}
    asia = next(group for group in groups if group["region"] == "Asia")
    assert {"id": "Asia/Kathmandu", "label": "Nepal (Kathmandu) · GMT+5:45"} in asia["zones"]
    assert all(zone["id"] != "Asia/Calcutta" for zone in asia["zones"])


# --- stored names -------------------------------------------------------------------------


def test_migration_moves_profiles_from_old_zone_names_to_current_ones():
    from importlib import import_module

    from django.apps import apps

    migration = import_module("medpath.accounts.migrations.0002_current_time_zone_names")
    old = UserFactory(time_zone="Asia/Calcutta")
    eastern = UserFactory(time_zone="US/Eastern")
    current = UserFactory(time_zone="Europe/Oslo")

    migration.to_current_names(apps, None)

    for user, zone in (
        (old, "Asia/Kolkata"),
        (eastern, "America/New_York"),
        (current, "Europe/Oslo"),
    ):
        user.refresh_from_db()
        assert user.time_zone == zone


def test_profile_shows_a_saved_zone_without_a_current_name_instead_of_replacing_it(client):
    user = UserFactory(time_zone="Etc/GMT+5", verified=True)
    client.force_login(user)

    html = client.get(reverse("account_profile")).content.decode()

    assert '<optgroup label="Other">' in html
    assert '<option value="Etc/GMT+5" selected>Etc/GMT+5</option>' in html
