import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from medpath.accounts.services import user_update_profile
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_profile_requires_login(client):
    response = client.get(reverse("account_profile"))

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next=/accounts/profile/"


def test_profile_form_shows_the_current_values_and_links_to_other_settings(client):
    user = UserFactory(display_name="Amal Haddad", time_zone="Asia/Kolkata", verified=True)
    client.force_login(user)

    html = client.get(reverse("account_profile")).content.decode()

    assert 'value="Amal Haddad"' in html
    assert '<option value="Asia/Kolkata" selected>' in html
    assert "data-timezone-suggest" in html
    assert reverse("account_change_password") in html
    assert reverse("account_email") in html


def test_saving_the_profile_changes_name_and_zone(client):
    user = UserFactory(time_zone="America/Toronto", verified=True)
    client.force_login(user)

    response = client.post(
        reverse("account_profile"),
        {"display_name": "  Dr. Amal Haddad ", "time_zone": "Asia/Kathmandu"},
        follow=True,
    )

    assert response.redirect_chain == [(reverse("account_profile"), 302)]
    assert b"Your profile is saved." in response.content
    user.refresh_from_db()
    assert (user.display_name, user.time_zone) == ("Dr. Amal Haddad", "Asia/Kathmandu")


def test_profile_rejects_an_unknown_zone_and_keeps_the_old_one(client):
    user = UserFactory(time_zone="America/Toronto", verified=True)
    client.force_login(user)

    response = client.post(
        reverse("account_profile"), {"display_name": "Amal", "time_zone": "Europe/Atlantis"}
    )

    assert response.status_code == 400
    assert response.context["form"].errors["time_zone"] == [
        "“Europe/Atlantis” is not a time zone we know. Pick a zone such as America/Toronto."
    ]
    assert b'aria-invalid="true"' in response.content
    user.refresh_from_db()
    assert user.time_zone == "America/Toronto"


def test_service_refuses_an_unknown_zone_even_without_the_form():
    user = UserFactory(time_zone="America/Toronto")

    with pytest.raises(ValidationError) as raised:
        user_update_profile(user=user, display_name="Amal", time_zone="Not/AZone")

    assert "time_zone" in raised.value.message_dict
    user.refresh_from_db()
    assert user.time_zone == "America/Toronto"


@time_machine.travel(dt.datetime(2026, 1, 15, 12, 0, tzinfo=dt.UTC), tick=False)
def test_after_changing_zone_pages_show_times_in_the_new_zone(client):
    user = UserFactory(time_zone="America/Toronto", verified=True)
    client.force_login(user)
    # 12:00 UTC is 07:00 in Toronto (EST) ...
    assert "Thu 15 Jan, 07:00" in client.get("/dashboard/").content.decode()

    client.post(reverse("account_profile"), {"display_name": "", "time_zone": "Asia/Kathmandu"})

    # ... and 17:45 in Kathmandu (UTC+5:45), rendered by the timezone middleware.
    html = client.get("/dashboard/").content.decode()
    assert "Thu 15 Jan, 17:45" in html
    assert "Nepal (Kathmandu) · GMT+5:45" in html


@time_machine.travel(dt.datetime(2026, 1, 15, 12, 0, tzinfo=dt.UTC), tick=False)
def test_zone_list_reads_as_people_say_it_grouped_by_region_without_old_names(client):
    html = client.get(reverse("account_signup")).content.decode()

    assert '<optgroup label="Asia">' in html
    assert '<option value="Asia/Kolkata">India (Kolkata) · GMT+5:30</option>' in html
    assert '<option value="America/St_Johns">Canada (St Johns) · GMT−3:30</option>' in html
    for old_name in ("US/Eastern", "EST5EDT", "Asia/Calcutta", "Europe/Kiev", "Etc/GMT+5"):
        assert f'value="{old_name}"' not in html


def test_profile_shows_a_zone_saved_under_an_old_name_as_its_current_name(client):
    user = UserFactory(time_zone="US/Eastern", verified=True)
    client.force_login(user)

    html = client.get(reverse("account_profile")).content.decode()

    assert 'value="US/Eastern"' not in html
    assert '<option value="America/New_York" selected>' in html
    response = client.post(
        reverse("account_profile"), {"display_name": "Sam", "time_zone": "America/New_York"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.time_zone == "America/New_York"
