"""The demo has webinars: upcoming with registrations, a free introduction, a past one with a
playable recording; loading it twice changes nothing."""

import pytest
from django.core.management import call_command
from django.test import Client

from medpath.accounts.models import User
from webinars.models import Webinar, WebinarRegistration

pytestmark = pytest.mark.django_db


def load():
    call_command("load_demo", force=True, quiet_logins=True)


def test_the_demo_has_upcoming_free_and_recorded_webinars_and_is_idempotent(mailoutbox):
    load()
    counts = (Webinar.objects.count(), WebinarRegistration.objects.count())
    load()
    assert (Webinar.objects.count(), WebinarRegistration.objects.count()) == counts == (3, 6)

    upcoming = Webinar.objects.get(title__startswith="CaRMS interviews")
    assert upcoming.host.slug == "priya-raman"
    assert list(upcoming.co_hosts.values_list("slug", flat=True)) == ["tom-whitfield"]
    assert upcoming.seats_taken == 3
    applicant = User.objects.get(email="applicant@example.com")
    assert upcoming.registrations.get(member=applicant).status == "registered"
    assert Webinar.objects.get(title__startswith="Introduction").is_free

    past = Webinar.objects.get(recording_file__gt="")
    assert past.recording_file.read(4) == b"\x1a\x45\xdf\xa3"  # a WebM file

    client = Client()
    client.force_login(applicant)
    assert "CaRMS interviews" in client.get("/dashboard/").content.decode()
    assert past.title in client.get("/webinars/").content.decode()
    video = client.get(f"/webinars/{past.public_id}/recording/")
    assert (video.status_code, video["Content-Type"]) == (200, "video/webm")
