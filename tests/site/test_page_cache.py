"""The whole-page cache for anonymous visitors: what it keeps, what it never keeps, what purges it."""

import pytest
from django.contrib import messages
from django.db import connection
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from coaching.models import PackagePerk, PerkKind
from core.page_cache import mark_public
from medpath.cms.models import FooterSettings, MainMenuItem, NavigationSettings
from medpath.page_cache import HEADER, PageCacheMiddleware
from tests.accounts.factories import BuyerFactory
from tests.coaching.factories import CoachFactory, PackageFactory, ServiceFactory
from tests.members.area import BODY_SECRET, SchoolFactory, grant_all
from tests.webinars.factories import WebinarFactory


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 600


@pytest.fixture(autouse=True)
def site_settings(db):
    """The navigation and footer rows a running site has (the first page view creates them,
    which is a change to what pages show, so it purges)."""
    NavigationSettings.load()
    FooterSettings.load()


def cached(client, path):
    """Load `path` until it comes from the cache; the body of the cached copy."""
    first = client.get(path)
    assert first.status_code == 200
    assert first[HEADER] == "miss", f"{path} was not stored: {first.get(HEADER)}"
    second = client.get(path)
    assert second[HEADER] == "hit"
    return second.content.decode()


def state(client, path) -> str:
    return client.get(path).get(HEADER, "not cached")


# --- what is kept ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_cached_page_is_served_without_touching_the_database(
    client, guidance, django_assert_num_queries
):
    first = client.get(guidance.url)
    assert first[HEADER] == "miss"
    with django_assert_num_queries(0):
        second = client.get(guidance.url)
    assert second[HEADER] == "hit"
    assert second.content == first.content
    assert "Return of service" in second.content.decode()


@pytest.mark.django_db
def test_a_cached_page_is_purged_when_its_page_is_published(client, guidance):
    assert "Return of service" in cached(client, guidance.url)
    guidance.title = "Return of service, updated"
    guidance.save_revision().publish()
    response = client.get(guidance.url)
    assert response[HEADER] == "miss"
    assert "Return of service, updated" in response.content.decode()


@pytest.mark.django_db
def test_saving_a_draft_keeps_the_published_page_cached(client, guidance):
    cached(client, guidance.url)
    guidance.title = "A draft nobody should see yet"
    guidance.save_revision()
    response = client.get(guidance.url)
    assert response[HEADER] == "hit"
    assert "A draft nobody should see yet" not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "page",
    ["home", "guidance", "package list", "package", "coach list", "coach", "members' teaser"],
)
def test_public_pages_of_every_kind_are_cached_for_anonymous_visitors(
    client, home, guidance, resource, page
):
    coach = CoachFactory(slug="ana-lopez")
    package = PackageFactory(slug="interview-ready")
    path = {
        "home": home.url,
        "guidance": guidance.url,
        "package list": "/packages/",
        "package": f"/packages/{package.slug}/",
        "coach list": "/coaches/",
        "coach": f"/coaches/{coach.slug}/",
        "members' teaser": resource.url,
    }[page]
    body = cached(client, path)
    assert "csrfmiddlewaretoken" not in body


@pytest.mark.django_db
def test_healthz_api_and_pages_with_a_query_string_are_never_looked_up(client, guidance):
    assert state(client, "/healthz") == "not cached"
    assert state(client, "/api/v1/services") == "not cached"
    client.get(guidance.url + "?utm_source=x")
    assert state(client, guidance.url + "?utm_source=x") == "not cached"


# --- what is never kept ----------------------------------------------------------------------


@pytest.mark.django_db
def test_pages_are_never_cached_for_a_logged_in_user(client, guidance):
    user = BuyerFactory(display_name="Ravi Logged-In")
    client.force_login(user)
    response = client.get(guidance.url)
    assert HEADER not in response
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    client.logout()
    anonymous = client.get(guidance.url)
    assert anonymous[HEADER] == "miss"
    assert "Ravi Logged-In" not in anonymous.content.decode()


@pytest.mark.django_db
def test_a_visitor_with_a_session_is_neither_served_nor_stored(client, guidance):
    cached(client, guidance.url)
    session = client.session
    session["time_zone"] = "Asia/Kolkata"  # a zone picked this session changes the page
    session.save()
    assert state(client, guidance.url) == "not cached"


@pytest.mark.django_db
def test_a_gated_body_is_never_cached(client, resource):
    member = BuyerFactory()
    grant_all(member)
    client.force_login(member)
    assert BODY_SECRET in client.get(resource.url).content.decode()
    client.logout()
    anonymous = client.get(resource.url)
    assert anonymous[HEADER] == "miss"
    assert BODY_SECRET not in anonymous.content.decode()
    assert BODY_SECRET not in client.get(resource.url).content.decode()


def _through_cache(view, path="/somewhere/"):
    """Two anonymous requests through the middleware around `view`; how often it ran."""
    calls = []

    def counted(request):
        calls.append(request)
        return view(request)

    middleware = PageCacheMiddleware(counted)
    factory = RequestFactory()
    responses = [middleware(factory.get(path)) for _ in range(2)]
    return len(calls), responses


def _public(content="<p>Public</p>"):
    return mark_public(HttpResponse(content))


@pytest.mark.django_db
def test_a_marked_public_response_is_served_from_the_cache_the_second_time():
    runs, responses = _through_cache(lambda request: _public())
    assert runs == 1
    assert [r[HEADER] for r in responses] == ["miss", "hit"]


@pytest.mark.django_db
def test_an_unmarked_response_is_never_cached():
    runs, _ = _through_cache(lambda request: HttpResponse("<p>Public?</p>"))
    assert runs == 2


@pytest.mark.django_db
def test_a_response_that_sets_a_cookie_is_never_cached():
    def view(request):
        response = _public()
        response.set_cookie("seen", "1")
        return response

    runs, responses = _through_cache(view)
    assert runs == 2
    assert HEADER not in responses[1]


@pytest.mark.django_db
def test_a_response_with_a_csrf_token_is_never_cached():
    def view(request):
        return _public(f'<input name="csrfmiddlewaretoken" value="{get_token(request)}">')

    runs, _ = _through_cache(view)
    assert runs == 2


@pytest.mark.django_db
def test_a_response_carrying_messages_is_never_cached():
    from django.contrib.messages.storage.cookie import CookieStorage

    def view(request):
        request._messages = CookieStorage(request)
        messages.success(request, "Saved.")
        return _public()

    runs, _ = _through_cache(view)
    assert runs == 2


@pytest.mark.django_db
@pytest.mark.parametrize("cache_control", ["private", "no-store", "no-cache", "private, no-store"])
def test_a_private_or_no_store_response_is_never_cached(cache_control):
    def view(request):
        response = _public()
        response["Cache-Control"] = cache_control
        return response

    runs, _ = _through_cache(view)
    assert runs == 2


@pytest.mark.django_db
@pytest.mark.parametrize("status", [301, 302, 404, 500])
def test_only_plain_200s_are_cached(status):
    runs, _ = _through_cache(lambda request: mark_public(HttpResponse("x", status=status)))
    assert runs == 2


@pytest.mark.django_db
def test_a_response_that_varies_on_more_than_the_cookie_is_never_cached():
    def view(request):
        response = _public()
        response["Vary"] = "Accept-Language"
        return response

    runs, _ = _through_cache(view)
    assert runs == 2


@pytest.mark.django_db
def test_a_cached_copy_says_it_varies_on_the_cookie_for_caches_downstream():
    _, responses = _through_cache(lambda request: _public())
    assert "Cookie" in responses[1]["Vary"]


@pytest.mark.django_db
def test_the_cache_is_off_when_page_cache_seconds_is_zero(settings):
    settings.PAGE_CACHE_SECONDS = 0
    runs, _ = _through_cache(lambda request: _public())
    assert runs == 2


# --- purge triggers --------------------------------------------------------------------------


def _change_menu(home):
    navigation = NavigationSettings.load()
    MainMenuItem.objects.create(navigation=navigation, label="New link", link_url="/new/")


def _change_navigation(home):
    NavigationSettings.load().save()


def _change_footer(home):
    footer = FooterSettings.load()
    footer.legal_line = "A new legal line"
    footer.save()


def _publish_page(home):
    from tests.cms.factories import GuidanceIndexPageFactory

    GuidanceIndexPageFactory(parent=home, title="A new section")


def _unpublish_page(home):
    home.get_children().live().first().specific.unpublish()


def _move_page(home):
    from tests.cms.factories import GuidanceIndexPageFactory

    other = GuidanceIndexPageFactory(parent=home, title="Another section", slug="another")
    # Creating it purged once; the move must purge again.
    home.get_children().live().first().specific.move(other, pos="last-child")


def _delete_page(home):
    home.get_children().live().first().specific.delete()


def _change_package(home):
    PackageFactory(slug="new-package")


def _change_package_perk(home):
    package = PackageFactory(slug="perky")
    PackagePerk.objects.create(package=package, kind=PerkKind.WEBINARS, text="Webinars")


def _change_service(home):
    ServiceFactory(slug="new-service")


def _change_coach(home):
    CoachFactory(slug="new-coach")


def _change_coach_services(home):
    coach = CoachFactory(slug="busy-coach")
    service = ServiceFactory(slug="another-service")
    from django.core.cache import cache

    cache.clear()  # only the many-to-many change below may purge
    coach.services.add(service)


def _change_school(home):
    SchoolFactory()


def _change_webinar(home):
    WebinarFactory()


def _change_image(home):
    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file

    Image.objects.create(title="Coach photo", file=get_test_image_file())


def _change_redirect(home):
    from wagtail.contrib.redirects.models import Redirect

    Redirect.objects.create(old_path="/old-section", redirect_link="/new/")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change",
    [
        _change_menu,
        _change_navigation,
        _change_footer,
        _publish_page,
        _unpublish_page,
        _move_page,
        _delete_page,
        _change_package,
        _change_package_perk,
        _change_service,
        _change_coach,
        _change_coach_services,
        _change_school,
        _change_webinar,
        _change_image,
        _change_redirect,
    ],
    ids=lambda change: change.__name__.lstrip("_"),
)
def test_each_change_a_public_page_may_show_purges_the_cache(client, guidance, change):
    home = guidance.get_parent().get_parent().specific
    cached(client, "/coaches/")
    change(home)
    assert state(client, "/coaches/") == "miss"


@pytest.mark.django_db
def test_a_webinar_registration_does_not_purge_the_cache(client, guidance):
    from tests.webinars.factories import WebinarRegistrationFactory

    webinar = WebinarFactory()
    cached(client, "/coaches/")
    WebinarRegistrationFactory(webinar=webinar)
    assert state(client, "/coaches/") == "hit"


# --- the navigation and footer, cached per site ----------------------------------------------


@pytest.mark.django_db
def test_navigation_and_footer_are_read_from_the_database_once_per_site(client, guidance, settings):
    settings.PAGE_CACHE_SECONDS = 0
    client.get(guidance.url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(guidance.get_parent().url)
    assert response.status_code == 200
    tables = " ".join(query["sql"] for query in queries.captured_queries)
    assert "cms_navigationsettings" not in tables
    assert "cms_footersettings" not in tables
    assert "cms_mainmenuitem" not in tables


@pytest.mark.django_db
def test_a_catalogue_change_leaves_the_cached_navigation_alone(client, guidance, settings):
    settings.PAGE_CACHE_SECONDS = 0
    client.get(guidance.url)
    PackageFactory(slug="new-package")
    with CaptureQueriesContext(connection) as queries:
        client.get(guidance.url)
    assert "cms_mainmenuitem" not in " ".join(q["sql"] for q in queries.captured_queries)


@pytest.mark.django_db
def test_a_menu_change_shows_on_the_next_page_even_with_the_page_cache_off(
    client, guidance, settings
):
    settings.PAGE_CACHE_SECONDS = 0
    client.get(guidance.url)
    navigation = NavigationSettings.load()
    MainMenuItem.objects.create(navigation=navigation, label="Fresh menu link", link_url="/fresh/")
    assert "Fresh menu link" in client.get(guidance.url).content.decode()


@pytest.mark.django_db
def test_a_deploy_purges_every_cached_page(client, guidance):
    from io import StringIO

    from django.core.management import call_command

    cached(client, guidance.url)
    call_command("purge_page_cache", stdout=StringIO())
    assert state(client, guidance.url) == "miss"
