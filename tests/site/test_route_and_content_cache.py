"""Pages rendered without the whole-page cache: the route and site remembered (site/cms/routing.py)
and the main content kept for anonymous visitors (templates/base.html's `cached_content`)."""

from unittest import mock

import pytest
from django.core.cache import cache
from wagtail.models import PageViewRestriction

from medpath.cms.models import FooterSettings, NavigationSettings
from tests.accounts.factories import BuyerFactory
from tests.cms.factories import GuidancePageFactory
from tests.coaching.factories import PackageFactory
from tests.members.area import BODY_SECRET, grant_all


@pytest.fixture(autouse=True)
def content_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 0  # the whole-page cache off: every request renders
    settings.CONTENT_CACHE_SECONDS = 600


@pytest.fixture(autouse=True)
def site_settings(db):
    NavigationSettings.load()
    FooterSettings.load()


def warm(client, path, times=2):
    for _ in range(times):
        assert client.get(path).status_code == 200


@pytest.mark.django_db
def test_an_anonymous_page_renders_without_a_query_once_route_and_content_are_kept(
    client, guidance, django_assert_num_queries
):
    warm(client, guidance.url)
    with django_assert_num_queries(0):
        response = client.get(guidance.url)
    assert response.status_code == 200
    assert "Return of service" in response.content.decode()


@pytest.mark.django_db
def test_a_query_string_shares_the_kept_content_of_a_guidance_page(
    client, guidance, django_assert_num_queries
):
    warm(client, guidance.url)
    with django_assert_num_queries(0):
        response = client.get(guidance.url + "?utm_source=newsletter")
    assert "Return of service" in response.content.decode()


@pytest.mark.django_db
def test_a_logged_in_reader_is_routed_from_the_cache_but_never_gets_the_anonymous_content(
    client, guidance
):
    package = PackageFactory(name="Interview Ready")
    guidance.body = [("package", package)]
    guidance.save_revision().publish()
    warm(client, guidance.url)  # the anonymous content, with the "log in to buy" link, is kept
    client.force_login(BuyerFactory())
    warm(client, guidance.url)
    response = client.get(guidance.url)
    body = response.content.decode()
    assert "csrfmiddlewaretoken" in body  # the real Buy form, with this reader's token
    assert "reason=buy" not in body


@pytest.mark.django_db
def test_publishing_a_page_shows_the_new_version_at_once(client, guidance):
    warm(client, guidance.url)
    guidance.title = "Return of service, revised"
    guidance.save_revision().publish()
    assert "Return of service, revised" in client.get(guidance.url).content.decode()


@pytest.mark.django_db
def test_a_draft_is_not_shown(client, guidance):
    warm(client, guidance.url)
    guidance.title = "A draft nobody should see"
    guidance.save_revision()
    assert "A draft nobody should see" not in client.get(guidance.url).content.decode()


@pytest.mark.django_db
def test_an_unpublished_page_is_gone_at_once(client, guidance):
    warm(client, guidance.url)
    guidance.unpublish()
    assert client.get(guidance.url).status_code == 404


@pytest.mark.django_db
def test_a_moved_page_answers_at_its_new_address_and_redirects_from_the_old(
    client, section, guidance
):
    other = GuidancePageFactory(parent=section, title="Another page", slug="another-page")
    old_url = guidance.url
    warm(client, old_url)
    guidance.move(other, pos="last-child")
    guidance.refresh_from_db()
    old = client.get(old_url)
    assert old.status_code == 301 and old["Location"].endswith(guidance.url)
    assert "Return of service" in client.get(guidance.url).content.decode()


@pytest.mark.django_db
def test_a_view_restriction_added_after_the_route_was_kept_is_enforced(client, guidance):
    warm(client, guidance.url)
    PageViewRestriction.objects.create(
        page=guidance, restriction_type=PageViewRestriction.PASSWORD, password="s3cret"
    )
    body = client.get(guidance.url).content.decode()
    assert 'name="password"' in body
    assert "Five years of full-time practice" not in body


@pytest.mark.django_db
def test_a_restricted_page_is_checked_on_every_request(client, guidance):
    PageViewRestriction.objects.create(page=guidance, restriction_type=PageViewRestriction.LOGIN)
    for _ in range(3):
        response = client.get(guidance.url)
        assert response.status_code == 302
        assert "/login/" in response["Location"]


@pytest.mark.django_db
def test_a_members_teaser_keeps_its_content_for_anonymous_visitors_only(client, resource):
    warm(client, resource.url)
    anonymous = client.get(resource.url).content.decode()
    assert BODY_SECRET not in anonymous
    member = BuyerFactory()
    grant_all(member)
    client.force_login(member)
    assert BODY_SECRET in client.get(resource.url).content.decode()


@pytest.mark.django_db
def test_a_members_teaser_with_a_query_string_logs_in_back_to_that_address(client, resource):
    warm(client, resource.url)
    body = client.get(resource.url + "?from=newsletter").content.decode()
    assert "from%3Dnewsletter" in body  # the panel's log-in link comes back with the query


@pytest.mark.django_db
def test_a_cache_outage_serves_pages_as_wagtail_does(client, guidance):
    warm(client, guidance.url)
    with (
        mock.patch.object(cache, "get_many", side_effect=ConnectionError("cache down")),
        mock.patch.object(cache, "set", side_effect=ConnectionError("cache down")),
    ):
        response = client.get(guidance.url)
    assert response.status_code == 200
    assert "Return of service" in response.content.decode()


@pytest.mark.django_db
def test_long_addresses_make_short_keys(client, guidance):
    response = client.get("/" + "a" * 300 + "/")
    assert response.status_code == 404
    assert all(len(key) < 250 for key in cache._cache)


def test_the_redis_cache_reuses_one_client_per_server():
    from medpath.cache import RedisCache

    backend = RedisCache("redis://127.0.0.1:6379/15", {})
    assert backend._cache.get_client() is backend._cache.get_client(write=True)


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["package list", "package", "coach list", "coach"])
def test_catalogue_pages_keep_their_content_for_anonymous_visitors(
    client, home, page, django_assert_max_num_queries
):
    from tests.coaching.factories import CoachFactory

    coach = CoachFactory(slug="ana-lopez")
    package = PackageFactory(slug="interview-ready")
    path = {
        "package list": "/packages/",
        "package": f"/packages/{package.slug}/",
        "coach list": "/coaches/",
        "coach": f"/coaches/{coach.slug}/",
    }[page]
    warm(client, path)
    with django_assert_max_num_queries(1):  # the package's or coach's row: 404 and title
        response = client.get(path)
    assert response.status_code == 200


@pytest.mark.django_db
def test_a_package_change_shows_on_its_page_at_once_and_logged_in_buyers_get_the_form(client, home):
    package = PackageFactory(slug="interview-ready", name="Interview Ready")
    path = f"/packages/{package.slug}/"
    warm(client, path)
    package.name = "Interview Ready Plus"
    package.save()
    body = client.get(path).content.decode()
    assert "Interview Ready Plus" in body and "reason=buy" in body
    client.force_login(BuyerFactory())
    body = client.get(path).content.decode()
    assert "csrfmiddlewaretoken" in body and "reason=buy" not in body


@pytest.mark.django_db
def test_an_unknown_or_withdrawn_package_is_a_404_even_with_its_content_kept(client, home):
    package = PackageFactory(slug="interview-ready")
    path = f"/packages/{package.slug}/"
    warm(client, path)
    package.active = False
    package.save()
    assert client.get(path).status_code == 404
    assert client.get("/packages/no-such-package/").status_code == 404
