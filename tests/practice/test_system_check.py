"""The system check before a test with video answers: who sees it, that it may use the camera
while the practice list may not, the upload-speed endpoint, and that no clock runs until the
applicant presses "Begin the test" (a typed-only set still starts straight from the list)."""

import pytest
from django.test import Client

from practice.models import Attempt, AttemptScenario, PracticeFormat
from tests.accounts.factories import BuyerFactory
from tests.practice.factories import MemberFactory, PracticeSetFactory, start

pytestmark = pytest.mark.django_db

CAMERA = "microphone=(self), camera=(self), geolocation=()"
NO_CAMERA = "microphone=(), camera=(), geolocation=()"
UPLOAD = "/practice/check/upload/"


@pytest.fixture
def video_set():
    return PracticeSetFactory(format=PracticeFormat.objects.get(current=True), scenarios=2)


def _check_url(practice_set) -> str:
    return f"/practice/sets/{practice_set.slug}/check/"


def test_the_start_of_a_video_set_goes_through_the_check_and_no_clock_runs_before_begin(
    client, video_set
):
    member = MemberFactory()
    client.force_login(member)
    index = client.get("/practice/")
    html = index.content.decode()
    assert f'href="{_check_url(video_set)}"' in html
    assert f'action="/practice/sets/{video_set.slug}/start/"' not in html
    assert index["Permissions-Policy"] == NO_CAMERA

    page = client.get(_check_url(video_set))
    assert page.status_code == 200
    assert page["Permissions-Policy"] == CAMERA
    body = page.content.decode()
    assert "Begin the test" in body and f'action="/practice/sets/{video_set.slug}/start/"' in body
    assert "practice/system-check.js" in body and "<script>" not in body
    assert "blob:" in page["Content-Security-Policy"].split("media-src")[1].split(";")[0]
    assert not Attempt.objects.exists() and not AttemptScenario.objects.exists()

    begun = client.post(f"/practice/sets/{video_set.slug}/start/")
    attempt = Attempt.objects.get(member=member)
    assert begun.status_code == 302 and begun["Location"] == attempt.get_absolute_url()
    assert attempt.scenarios.get(position=1).opened_at is not None


def test_a_typed_only_set_starts_straight_from_the_list(client):
    typed = PracticeSetFactory()
    client.force_login(MemberFactory())
    html = client.get("/practice/").content.decode()
    assert f'action="/practice/sets/{typed.slug}/start/"' in html
    assert _check_url(typed) not in html
    assert client.get(_check_url(typed)).status_code == 404


def test_an_attempt_already_running_is_shown_instead_of_the_check(client, video_set):
    member = MemberFactory()
    attempt = start(member, video_set)
    client.force_login(member)
    response = client.get(_check_url(video_set))
    assert response.status_code == 302 and response["Location"] == attempt.get_absolute_url()


def test_who_may_see_the_check(client, video_set):
    anonymous = client.get(_check_url(video_set))
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    client.force_login(BuyerFactory())  # no perk: the members' panel, as on the practice list
    refused = client.get(_check_url(video_set))
    assert refused.status_code == 200 and "Members only" in refused.content.decode()
    assert "Begin the test" not in refused.content.decode()
    assert refused["Permissions-Policy"] == NO_CAMERA
    client.force_login(MemberFactory())
    assert client.get("/practice/sets/no-such-set/check/").status_code == 404
    assert client.post(_check_url(video_set)).status_code == 405
    assert not Attempt.objects.exists()


def test_the_upload_check_counts_the_bytes_and_throws_them_away(client):
    client.force_login(MemberFactory())
    data = bytes(range(256)) * 4096  # 1 MiB, NUL bytes included
    response = client.post(UPLOAD, data=data, content_type="application/octet-stream")
    assert response.status_code == 200 and response.json() == {"bytes": len(data)}
    too_large = client.post(
        UPLOAD, data=b"x" * (2 * 2**20 + 1), content_type="application/octet-stream"
    )
    assert too_large.status_code == 413 and too_large.json()["code"] == "too_large"
    assert client.post(UPLOAD, data="{}", content_type="application/json").status_code == 415
    assert client.get(UPLOAD).status_code == 405


def test_the_upload_check_needs_a_login_and_the_csrf_token(client, video_set):
    anonymous = client.post(UPLOAD, data=b"abc", content_type="application/octet-stream")
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    member = Client(enforce_csrf_checks=True)
    member.force_login(MemberFactory())
    no_token = member.post(UPLOAD, data=b"abc", content_type="application/octet-stream")
    assert no_token.status_code == 403
    member.get(_check_url(video_set))  # the page's form sets the CSRF cookie
    token = member.cookies["csrftoken"].value
    sent = member.post(
        UPLOAD, data=b"abc", content_type="application/octet-stream", headers={"X-CSRFToken": token}
    )
    assert sent.status_code == 200 and sent.json() == {"bytes": 3}
