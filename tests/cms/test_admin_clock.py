"""The admin's clock: editors schedule and read times in their own MedPath zone.

Wagtail runs admin views in its profile's zone; the profile follows the account's zone
(`medpath.accounts.admin_clock`), so a go-live time typed by an editor in Toronto is Toronto
time, and every listing names the zone its times are in.
"""

from datetime import UTC, datetime

import pytest
import time_machine
from django.urls import reverse
from wagtail.models import Page
from wagtail.test.utils.form_data import nested_form_data, streamfield
from wagtail.users.models import UserProfile

from medpath.accounts.services import user_update_profile
from tests.accounts.factories import UserFactory
from tests.booking.factories import BookingFactory

from .factories import GuidancePageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return UserFactory(
        email="erin@example.com", staff=True, is_superuser=True, time_zone="America/Toronto"
    )


def schedule(client, page, *, go_live_at: str, expire_at: str = ""):
    data = nested_form_data(
        {
            "title": page.title,
            "slug": page.slug,
            "seo_title": "",
            "search_description": "",
            "summary": "A summary.",
            "body": streamfield([("heading", "Who can apply")]),
            "last_reviewed": "2026-10-01",
            "go_live_at": go_live_at,
            "expire_at": expire_at,
        }
    )
    data["action-publish"] = "action-publish"
    return client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)


def test_the_admin_profile_is_made_with_the_accounts_zone(client, editor):
    client.force_login(editor)

    client.get(reverse("wagtailadmin_home"))

    assert UserProfile.objects.get(user=editor).current_time_zone == "America/Toronto"


def test_the_admin_profile_follows_a_change_of_the_accounts_zone(client, editor):
    UserProfile.objects.create(user=editor, current_time_zone="")  # made before, as Wagtail does
    client.force_login(editor)
    client.get(reverse("wagtailadmin_home"))

    user_update_profile(user=editor, display_name="Erin", time_zone="Asia/Kolkata")
    client.get(reverse("wagtailadmin_home"))

    assert UserProfile.objects.get(user=editor).current_time_zone == "Asia/Kolkata"


def test_an_applicant_visiting_the_admin_gets_no_admin_profile(client):
    applicant = UserFactory()
    client.force_login(applicant)

    client.get(reverse("wagtailadmin_home"))

    assert not UserProfile.objects.filter(user=applicant).exists()


def test_wagtails_own_zone_picker_is_hidden(client, editor):
    client.force_login(editor)

    html = client.get(reverse("wagtailadmin_account")).content.decode()

    assert "current_time_zone" not in html


@time_machine.travel(datetime(2026, 12, 7, 12, 0, tzinfo=UTC), tick=False)
@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("2027-01-15 21:09", datetime(2027, 1, 16, 2, 9, tzinfo=UTC)),  # EST, UTC−5
        ("2027-07-15 21:09", datetime(2027, 7, 16, 1, 9, tzinfo=UTC)),  # EDT, UTC−4
    ],
)
def test_a_go_live_time_typed_in_toronto_is_stored_as_that_moment(
    client, editor, section, typed, stored
):
    page = GuidancePageFactory(parent=section, slug="scheduled", draft=True)
    client.force_login(editor)

    response = schedule(client, page, go_live_at=typed)

    assert response.status_code == 302, response.content.decode()[:2000]
    page = Page.objects.get(pk=page.pk).specific
    assert page.go_live_at == stored
    assert page.get_latest_revision().approved_go_live_at == stored
    assert not page.live


def test_the_schedule_fields_name_the_editors_zone(client, editor, section):
    page = GuidancePageFactory(parent=section, slug="scheduled", draft=True)
    client.force_login(editor)

    html = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()

    assert html.count("In your time zone, Canada (Toronto)") == 2  # go-live and expiry
    assert "(America/Toronto)" in html


@time_machine.travel(datetime(2026, 12, 7, 12, 0, tzinfo=UTC), tick=False)
def test_the_bookings_listing_shows_times_in_the_viewers_zone_and_names_it(client, editor):
    BookingFactory(start=datetime(2026, 12, 10, 15, 30, tzinfo=UTC))
    client.force_login(editor)

    html = client.get(reverse("bookings:index")).content.decode()

    assert "Start (Toronto)" in html
    assert "10:30" in html  # 15:30 UTC in Toronto
    assert "15:30" not in html


@time_machine.travel(datetime(2026, 12, 7, 12, 0, tzinfo=UTC), tick=False)
def test_a_booking_admin_page_shows_its_start_in_the_viewers_zone(client, editor):
    booking = BookingFactory(start=datetime(2026, 12, 10, 15, 30, tzinfo=UTC))
    client.force_login(editor)

    url = reverse("booking_staff_manage", args=[booking.public_id])
    html = client.get(url).content.decode()

    assert "Start (your time, America/Toronto)" in html
    assert "Thu 10 Dec, 10:30 (Toronto)" in html
