"""Webinar pages: the list and a webinar's page for each kind of visitor, the join link's
release, the recording's gate, the hosts' pages, times across zones and DST."""

import re
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from core.files import private_storage
from tests.coaching.factories import CoachFactory
from tests.webinars.conftest import perk_member, queries_stay_constant
from tests.webinars.factories import WebinarFactory, WebinarRegistrationFactory
from webinars import services as services
from webinars.models import Webinar

pytestmark = pytest.mark.django_db

# The smallest file the upload check accepts as MP4: a box size, then "ftyp".
MP4_BYTES = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 1000


def client_for(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def page(user, webinar) -> str:
    response = client_for(user).get(f"/webinars/{webinar.public_id}/")
    assert response.status_code == 200
    return response.content.decode()


def join_link(webinar) -> str:
    return f'href="{webinar.join_url}"'


# --- the list and the page -------------------------------------------------------------------


def test_the_list_shows_upcoming_and_past_with_seats_left(host, now):
    WebinarFactory(host=host, title="Upcoming one", capacity=5)
    full = WebinarFactory(host=host, title="Full one", capacity=1)
    WebinarRegistrationFactory(webinar=full)
    WebinarFactory(host=host, title="Old one", past=True)

    html = client_for().get("/webinars/").content.decode()

    assert "Upcoming one" in html and "5 seats left" in html
    assert "Full one" in html and "Full: waitlist open" in html
    assert "Old one" in html and "0 of 20 seats taken" in html
    assert "Recordings" not in html  # anonymous visitors see no members' resources


def test_anonymous_visitors_see_the_page_without_the_link_and_are_asked_to_log_in(
    webinar, time_machine
):
    time_machine.move_to(webinar.start - timedelta(minutes=5), tick=False)
    html = page(None, webinar)
    assert "Your CaRMS interview season" in html
    assert join_link(webinar) not in html
    assert "Log in to register" in html


def test_the_join_link_appears_15_minutes_before_the_start_for_registered_attendees_only(
    webinar, member, stranger, host, time_machine
):
    services.webinar_register(webinar=webinar, member=member)
    other_member = perk_member()

    time_machine.move_to(webinar.start - timedelta(minutes=16), tick=False)
    assert join_link(webinar) not in page(member, webinar)
    assert "The join link appears here from" in page(member, webinar)
    assert join_link(webinar) in page(host.user, webinar)  # hosts have it all along

    time_machine.move_to(webinar.start - timedelta(minutes=15), tick=False)
    assert join_link(webinar) in page(member, webinar)
    assert join_link(webinar) not in page(other_member, webinar)
    assert join_link(webinar) not in page(stranger, webinar)

    time_machine.move_to(webinar.end, tick=False)
    assert join_link(webinar) not in page(member, webinar)


def test_registering_and_cancelling_through_the_page(webinar, member, mailoutbox):
    client = client_for(member)
    response = client.post(f"/webinars/{webinar.public_id}/register/")
    assert response.status_code == 302
    assert "Cancel registration" in client.get(response["Location"]).content.decode()
    client.post(f"/webinars/{webinar.public_id}/cancel/")
    assert webinar.registrations.get().status == "cancelled"


def test_a_member_without_the_perk_is_told_why_and_nothing_is_written(webinar, stranger):
    client = client_for(stranger)
    html = page(stranger, webinar)
    assert "for members whose package includes webinars" in html
    response = client.post(f"/webinars/{webinar.public_id}/register/", follow=True)
    assert "for members whose package includes webinars" in response.content.decode()
    assert not webinar.registrations.exists()


def test_anonymous_posts_go_to_the_login_page(webinar):
    response = client_for().post(f"/webinars/{webinar.public_id}/register/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client_for().get(f"/webinars/{webinar.public_id}/register/").status_code in (302, 405)


@pytest.mark.parametrize(
    "path",
    [
        "/webinars/unknown-id/",
        "/webinars/x" + "y" * 300 + "/",
        "/webinars/unknown-id/recording/",
    ],
)
def test_unknown_and_malformed_ids_are_404s(path, staff):
    assert client_for(staff).get(path).status_code == 404


@pytest.mark.parametrize(
    "path",
    ["/webinars/%00/", "/webinars/abc%00def/", "/webinars/host/%00/", "/admin/webinar-staff/%00/"],
)
def test_nul_bytes_in_ids_are_refused_before_any_view(path, staff):
    assert client_for(staff).get(path).status_code == 400


def test_register_with_a_get_is_refused(webinar, member):
    assert client_for(member).get(f"/webinars/{webinar.public_id}/register/").status_code == 405


# --- times across zones ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "shown"),
    [
        # 19:00 in Toronto on 17 March 2027: Toronto is on EDT (since 14 March), London is still
        # on GMT (until 28 March), Kolkata never changes, Sydney is still on AEDT (to 4 April).
        # An hour that ends at midnight names both days.
        ("Europe/London", "Wed 17 Mar, 23:00 – Thu 18 Mar, 00:00 (United Kingdom)"),
        ("Asia/Kolkata", "Thu 18 Mar, 04:30–05:30 (India)"),
        ("Australia/Sydney", "Thu 18 Mar, 10:00–11:00 (Sydney)"),
        ("America/Toronto", "Wed 17 Mar, 19:00–20:00 (Toronto)"),
    ],
)
def test_a_toronto_evening_between_the_clock_changes_shows_the_right_local_time(
    webinar, zone, shown
):
    viewer = perk_member(time_zone=zone)
    html = page(viewer, webinar)
    assert shown in html
    if zone != "America/Toronto":
        assert "Wed 17 Mar, 19:00 (Toronto) for the host" in html


def test_emails_show_the_recipients_time_and_the_hosts(
    webinar, mailoutbox, django_capture_on_commit_callbacks
):
    sydney = perk_member(time_zone="Australia/Sydney")
    with django_capture_on_commit_callbacks(execute=True):
        services.webinar_register(webinar=webinar, member=sydney)
    body = mailoutbox[0].body
    assert "Thu 18 Mar, 10:00–11:00 (Sydney)" in body
    assert "Wed 17 Mar, 19:00 (Toronto) for the host" in body


# --- recordings ------------------------------------------------------------------------------


@pytest.fixture
def recorded(webinar, host, time_machine):
    time_machine.move_to(webinar.end + timedelta(hours=1), tick=False)
    upload = SimpleUploadedFile("talk.mp4", MP4_BYTES, content_type="video/mp4")
    return services.webinar_set_recording(webinar=webinar, actor=host.user, upload=upload)


def test_the_host_adds_a_recording_that_perk_holders_watch_in_a_video_player(
    recorded, member, host, staff
):
    html = page(member, recorded)
    src = f"/webinars/{recorded.public_id}/recording/"
    assert re.search(rf'<video[^>]+src="{re.escape(src)}"', html)
    storage = recorded.recording_file.storage
    assert storage is not default_storage
    assert isinstance(storage, type(private_storage()))  # the "private" storage's backend

    response = client_for(member).get(src)
    assert response.status_code == 200
    assert response["Content-Type"] == "video/mp4"
    assert response["Content-Disposition"].startswith("inline;")
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == MP4_BYTES

    ranged = client_for(member).get(src, HTTP_RANGE="bytes=0-9")
    assert ranged.status_code == 206
    assert ranged["Content-Range"] == f"bytes 0-9/{len(MP4_BYTES)}"
    for allowed in (host.user, staff):
        assert client_for(allowed).get(src).status_code == 200


def test_the_recording_is_refused_to_anyone_without_the_perk(recorded, stranger):
    src = f"/webinars/{recorded.public_id}/recording/"
    assert client_for().get(src).status_code == 403
    assert client_for(stranger).get(src).status_code == 403
    html = page(stranger, recorded)
    assert "<video" not in html and "Recordings are for members" in html


def test_registered_for_a_free_webinar_watch_its_recording_only_with_the_perk(
    host, now, stranger, member, time_machine
):
    intro = WebinarFactory(host=host, free=True)
    services.webinar_register(webinar=intro, member=stranger)
    services.webinar_register(webinar=intro, member=member)
    time_machine.move_to(intro.end, tick=False)
    upload = SimpleUploadedFile("intro.webm", b"\x1a\x45\xdf\xa3" + b"\x00" * 64)
    services.webinar_set_recording(webinar=intro, actor=host.user, upload=upload)

    src = f"/webinars/{intro.public_id}/recording/"
    assert client_for(stranger).get(src).status_code == 403
    response = client_for(member).get(src)
    assert (response.status_code, response["Content-Type"]) == (200, "video/webm")


def test_a_linked_recording_is_a_link_not_an_embed(webinar, host, member, time_machine):
    time_machine.move_to(webinar.end, tick=False)
    services.webinar_set_recording(
        webinar=webinar, actor=host.user, url="https://video.example.org/v/123"
    )
    html = page(member, webinar)
    assert 'href="https://video.example.org/v/123"' in html
    assert "<iframe" not in html and "<video" not in html
    assert "https://video.example.org/v/123" not in page(None, webinar)


def test_recordings_are_listed_for_perk_holders_as_a_members_resource(recorded, member, stranger):
    html = client_for(member).get("/webinars/").content.decode()
    assert "Recordings" in html and f"/webinars/{recorded.public_id}/#recording" in html
    assert "#recording" not in client_for(stranger).get("/webinars/").content.decode()


# --- hosts -----------------------------------------------------------------------------------


def test_hosts_and_staff_open_the_host_page_others_are_refused(webinar, host, member, staff):
    co_host = CoachFactory()
    webinar.co_hosts.add(co_host)
    path = f"/webinars/host/{webinar.public_id}/"
    for allowed in (host.user, co_host.user, staff):
        assert client_for(allowed).get(path).status_code == 200
    assert client_for(member).get(path).status_code == 403
    assert client_for(CoachFactory().user).get(path).status_code == 403
    assert "/accounts/login/" in client_for().get(path)["Location"]


def test_the_host_sees_attendees_and_marks_attendance_afterwards(
    webinar, host, member, time_machine
):
    services.webinar_register(webinar=webinar, member=member)
    absent = perk_member(email="absent@example.com")
    no_show = services.webinar_register(webinar=webinar, member=absent)
    came = webinar.registrations.get(member=member)
    client = client_for(host.user)
    path = f"/webinars/host/{webinar.public_id}/"
    html = client.get(path).content.decode()
    assert member.email in html and absent.email in html
    assert "Mark attendance" not in html  # not before it starts
    assert client.post(path + "attendance/", {"attended": [came.pk]}).status_code == 400

    time_machine.move_to(webinar.end, tick=False)
    response = client.post(path + "attendance/", {"attended": [came.pk]})
    assert response.status_code == 302
    came.refresh_from_db()
    no_show.refresh_from_db()
    assert (came.attended, no_show.attended) == (True, False)
    # Someone else's registration id, or rubbish, is a form error, never a 500.
    other = WebinarRegistrationFactory()
    for bad in ([other.pk], ["abc"], ["\x00"]):
        assert client.post(path + "attendance/", {"attended": bad}).status_code == 400


def test_recording_uploads_are_checked(webinar, host, time_machine, settings):
    settings.WEBINAR_RECORDING_MAX_BYTES = 2000
    time_machine.move_to(webinar.end, tick=False)
    client = client_for(host.user)
    path = f"/webinars/host/{webinar.public_id}/recording/"
    cases = [
        ({"file": SimpleUploadedFile("talk.mp4", b"<html>not a video</html>")}, "not a MP4"),
        ({"file": SimpleUploadedFile("talk.exe", MP4_BYTES)}, "MP4, WebM or Ogg"),
        ({"file": SimpleUploadedFile("big.mp4", MP4_BYTES * 3)}, "at most"),
        ({}, "one of the two"),
        (
            {
                "file": SimpleUploadedFile("talk.mp4", MP4_BYTES),
                "url": "https://video.example.org/x",
            },
            "one of the two",
        ),
        ({"url": "javascript:alert(1)"}, "Enter a valid URL"),
        ({"url": "https://example.org/\x00"}, ""),
    ]
    for data, message in cases:
        response = client.post(path, data)
        assert response.status_code == 400, data
        assert message in response.content.decode()
    assert not Webinar.objects.get(pk=webinar.pk).has_recording


def test_a_recording_cannot_be_added_before_the_start(webinar, host):
    upload = SimpleUploadedFile("talk.mp4", MP4_BYTES)
    response = client_for(host.user).post(
        f"/webinars/host/{webinar.public_id}/recording/", {"file": upload}
    )
    assert response.status_code == 400
    assert "once the webinar has started" in response.content.decode()


def test_the_list_page_makes_the_same_queries_however_many_webinars(host, now, member):
    def add_some():
        coach = CoachFactory()
        upcoming = WebinarFactory(host=coach)
        upcoming.co_hosts.add(CoachFactory())
        services.webinar_register(webinar=upcoming, member=member)
        WebinarFactory(host=coach, past=True, recording_url="https://video.example.org/1")

    html = queries_stay_constant(client_for(member), "/webinars/", grow=add_some, times=4)
    assert html.count("You have a seat") == 5


def test_a_recording_file_missing_from_storage_is_a_404_not_a_500(recorded, member):
    recorded.recording_file.storage.delete(recorded.recording_file.name)
    assert client_for(member).get(f"/webinars/{recorded.public_id}/recording/").status_code == 404


def test_only_coaches_and_staff_are_offered_the_hosts_pages(member, host, staff):
    assert "Webinars you host" not in client_for(member).get("/webinars/").content.decode()
    assert "Webinars you host" in client_for(host.user).get("/webinars/").content.decode()
    assert "Webinars you host" in client_for(staff).get("/webinars/").content.decode()


def test_a_past_webinar_says_it_took_place_without_seats_or_a_register_button(
    webinar, time_machine
):
    time_machine.move_to(webinar.end + timedelta(days=2), tick=False)
    body = page(None, webinar)
    assert "Past webinar" in body and "This webinar took place on" in body
    assert "Live webinar" not in body
    assert "seats left" not in body and "of 30 taken" not in body.replace(
        str(webinar.capacity), "30"
    )
    assert "Register" not in body and "Log in to register" not in body
