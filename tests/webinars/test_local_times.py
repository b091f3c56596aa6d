"""A visitor who chose no zone sees webinar times in the device's zone (as /book/ does): the
server marks each time for `medpath/js/local-times.js`; a chosen zone is shown as it is."""

import re

import pytest
from django.test import Client

from tests.accounts.factories import UserFactory
from tests.webinars.factories import WebinarFactory

pytestmark = pytest.mark.django_db

SCRIPT = "medpath/js/local-times.js"


def marked_times(html: str) -> list[str]:
    return re.findall(r"<time datetime=\"[^\"]+\" data-local-time[^>]*>", html)


def test_an_anonymous_visitor_gets_every_time_marked_for_the_device_and_the_module(host):
    upcoming = WebinarFactory(host=host, title="Upcoming one")
    past = WebinarFactory(host=host, title="Old one", past=True)

    listing = Client().get("/webinars/").content.decode()
    assert len(marked_times(listing)) == 2  # the upcoming span, the past start
    assert f'data-end="{upcoming.end.isoformat()}"' in listing
    assert SCRIPT in listing and 'data-resolve-url="/api/v1/time-zones/resolve"' in listing
    assert "data-local-zone" in listing

    assert marked_times(Client().get(f"/webinars/{upcoming.public_id}/").content.decode())
    assert marked_times(Client().get(f"/webinars/{past.public_id}/").content.decode())


def test_a_zone_the_visitor_picked_is_shown_as_it_is_and_nothing_is_rewritten(host):
    WebinarFactory(host=host, title="Upcoming one")
    client = Client()
    session = client.session
    session["time_zone"] = "Asia/Kolkata"
    session.save()

    html = client.get("/webinars/").content.decode()

    assert not marked_times(html) and SCRIPT not in html
    assert "(India)" in html


def test_a_member_sees_their_profile_zone_and_nothing_is_rewritten(host):
    WebinarFactory(host=host, title="Upcoming one")
    client = Client()
    client.force_login(UserFactory(time_zone="Asia/Kolkata"))

    html = client.get("/webinars/").content.decode()

    assert not marked_times(html) and SCRIPT not in html
    assert "(India)" in html
