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
    assert "Thursday 15 January, 07:00" in client.get("/dashboard/").content.decode()

    client.post(reverse("account_profile"), {"display_name": "", "time_zone": "Asia/Kathmandu"})

    # ... and 17:45 in Kathmandu (UTC+5:45), rendered by the timezone middleware.
    html = client.get("/dashboard/").content.decode()
    assert "Thursday 15 January, 17:45" in html
    assert "Asia/Kathmandu" in html


def test_zone_list_is_grouped_by_region_and_leaves_out_legacy_names(client):
    html = client.get(reverse("account_signup")).content.decode()

    assert '<optgroup label="Asia">' in html
    assert '<option value="Asia/Kolkata">Asia/Kolkata</option>' in html
    assert '<option value="America/St_Johns">America/St Johns</option>' in html
    assert 'value="US/Eastern"' not in html
    assert 'value="EST5EDT"' not in html


def test_profile_keeps_showing_a_saved_legacy_zone_instead_of_replacing_it(client):
    user = UserFactory(time_zone="US/Eastern", verified=True)
    client.force_login(user)

    html = client.get(reverse("account_profile")).content.decode()

    assert '<option value="US/Eastern" selected>US/Eastern</option>' in html
    response = client.post(
        reverse("account_profile"), {"display_name": "Sam", "time_zone": "US/Eastern"}
    )
    assert response.status_code == 302
