"""Response headers: Content Security Policy, Permissions-Policy, framing and caching."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from wagtail.models import Page

from medpath.middleware import SecurityHeadersMiddleware
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


# A public page in the base layout (header, footer, menu).
PAGE = "/packages/"


def directives(response, header="Content-Security-Policy") -> dict[str, list[str]]:
    policy = {}
    for part in response[header].split(";"):
        name, *values = part.split()
        policy[name] = values
    return policy


@pytest.fixture
def superuser(db):
    return UserFactory(email="boss@example.com", is_staff=True, is_superuser=True)


def test_site_pages_allow_only_our_own_scripts_and_styles(client):
    policy = directives(client.get(PAGE))

    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]


def test_site_policy_allows_our_own_audio_video_and_browser_recordings(client):
    assert directives(client.get(PAGE))["media-src"] == ["'self'", "blob:"]


def test_site_policy_has_no_per_request_nonce_so_whole_pages_can_be_cached(client):
    first, second = client.get(PAGE), client.get(PAGE)

    assert first["Content-Security-Policy"] == second["Content-Security-Policy"]
    assert "nonce-" not in first["Content-Security-Policy"]


def test_site_templates_have_no_inline_scripts_or_event_handlers(client):
    # The base layout (header, footer) is on every page; an inline script would be blocked.
    html = client.get(PAGE).content.decode()

    assert "<script>" not in html
    assert " onclick=" not in html and " onload=" not in html


def test_the_admin_gets_its_looser_policy(client, superuser):
    client.force_login(superuser)

    policy = directives(client.get("/admin/"))

    assert "'unsafe-inline'" in policy["script-src"]
    assert policy["frame-ancestors"] == ["'self'"]


def test_the_django_admin_gets_the_admin_policy_too(client, superuser):
    client.force_login(superuser)

    assert "'unsafe-inline'" in directives(client.get("/django-admin/"))["script-src"]


def test_pages_may_not_be_framed(client):
    assert client.get(PAGE)["X-Frame-Options"] == "DENY"


def test_the_admin_page_preview_may_be_framed_by_the_admin(client, superuser):
    client.force_login(superuser)

    page = Page.objects.filter(depth=2).first()

    response = client.get(f"/admin/pages/{page.pk}/edit/preview/")

    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert directives(response)["frame-ancestors"] == ["'self'"]


def test_no_page_may_use_microphone_camera_or_location(client):
    assert client.get(PAGE)["Permissions-Policy"] == "microphone=(), camera=(), geolocation=()"


def test_only_a_page_that_records_may_use_the_microphone_and_camera(client):
    # The practice list records nothing; the page of a question that records is in
    # tests/practice/test_video_answers.py.
    response = client.get("/practice/")

    assert response["Permissions-Policy"] == "microphone=(), camera=(), geolocation=()"


def test_anonymous_public_pages_stay_cacheable(client):
    assert "Cache-Control" not in client.get(PAGE)


def test_any_response_to_a_logged_in_user_is_private_and_not_stored(client):
    client.force_login(UserFactory(email="amal@example.com"))

    response = client.get(PAGE)

    assert "private" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize(
    "url", ["/accounts/login/", "/checkout/success/?session_id=cs_x", "/coach/calendar/x.ics"]
)
def test_personal_areas_are_not_stored_even_for_anonymous_visitors(client, url):
    assert "no-store" in client.get(url)["Cache-Control"]


def test_a_view_that_sets_cache_control_itself_keeps_it(rf: RequestFactory):
    request = rf.get("/dashboard/")
    request.user = UserFactory()
    response = HttpResponse()
    response["Cache-Control"] = "max-age=60"

    handled = SecurityHeadersMiddleware(lambda request: response)(request)

    assert handled["Cache-Control"] == "max-age=60"
