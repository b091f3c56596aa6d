"""Wagtail's page serving with the site and the route remembered in the shared cache.

Wagtail finds the page for a URL with one query for the site and one per path segment, then
one for the specific page: five for a guidance page four deep, on every request the page cache
does not answer (a logged-in reader, a visitor with a session cookie, a query string, a page
just purged). `serve` asks the shared cache first, in one round trip, for the `Site` of this
host and port, the page the path led to last time (its live row, a few kilobytes), every
site's root path (Wagtail's, for full URLs, from the same generation) and what
the page will ask for as it renders (the menu, the footer, its content for anonymous visitors:
`medpath.page_cache.prefetch`). On a hit Wagtail serves that page as usual: its hooks (view
restrictions, passwords) and the page's own `serve` run every time; only the walk down the
tree is skipped, and for a page that had no view restriction on it or above it when it was
remembered, the two queries that look for one.

Both live under the navigation's generation (`medpath.page_cache`), which moves when a page is
published, unpublished, moved or deleted and when a site or a view restriction changes, i.e.
whenever a path could lead somewhere else or a page's live row changes. A remembered page that
is no longer live is routed afresh. Only plain results are kept: a page that routes further
itself (a routable page, one with arguments) is walked every time.
"""

import logging

from django.http.request import split_domain_port
from wagtail import views as wagtail_views
from wagtail.models import Page
from wagtail.url_routing import RouteResult

from medpath.page_cache import address_key, cached_entries, store_entry

from .models import MedPathPage
from .navigation import prefetch_for_page

logger = logging.getLogger(__name__)

ROOT_PATHS_KEY = "pagecache:site-root-paths"
# How long a site or route stays without a purge: bounds what a deploy that changes the pickled
# models could meet (the release step purges anyway: manage.py purge_page_cache).
ROUTE_SECONDS = 24 * 3600

# The `route` methods that end at the page itself when no path is left (the default walk).
PLAIN_ROUTES = {Page.route, MedPathPage.route}


def _keys(request, path: str) -> tuple[str, str]:
    hostname = split_domain_port(request._get_raw_host())[0]
    where = f"{hostname}:{request.get_port()}"
    return f"pagecache:site:{where}", f"pagecache:route:{address_key(f'{where}:{path}')}"


def _remembered_page(entry) -> Page | None:
    page, restricted = entry
    if not restricted:
        page.known_unrestricted = True  # MedPathPage.get_view_restrictions skips its queries
    return page if page.live else None


def _route_entry(page: Page) -> tuple[Page, bool]:
    # A fresh copy of the live row (what rendering cached on the routed one stays out).
    fresh = type(page).objects.get(pk=page.pk)
    return fresh, fresh.get_view_restrictions().exists()


def _plain(result) -> bool:
    if result is None:
        return False
    page, args, kwargs = result
    return not args and not kwargs and type(page).route in PLAIN_ROUTES


def serve(request, path):
    site_key, route_key = _keys(request, path)
    keys = [site_key, route_key, ROOT_PATHS_KEY]
    try:
        prefetch_for_page(request, keys)
        found, generation = cached_entries(keys, request=request)
    except Exception:  # a cache outage: serve the way Wagtail does
        logger.exception("route cache lookup failed")
        return wagtail_views.serve(request, path)
    if ROOT_PATHS_KEY in found:
        # Wagtail's own copy of every site's root path (for full URLs) is another round trip.
        request._wagtail_cached_site_root_paths = found[ROOT_PATHS_KEY]
    if site_key in found:
        request._wagtail_site = found[site_key]
        if route_key in found and (page := _remembered_page(found[route_key])) is not None:
            request._wagtail_route_for_request = RouteResult(page)
    response = wagtail_views.serve(request, path)
    site = getattr(request, "_wagtail_site", None)
    result = getattr(request, "_wagtail_route_for_request", None)
    root_paths = getattr(request, "_wagtail_cached_site_root_paths", None)
    try:
        if root_paths is not None and ROOT_PATHS_KEY not in found:
            store_entry(ROOT_PATHS_KEY, generation, root_paths, ROUTE_SECONDS)
        if site is not None and site_key not in found:
            store_entry(site_key, generation, site, ROUTE_SECONDS)
        if route_key not in found and _plain(result):
            store_entry(route_key, generation, _route_entry(result[0]), ROUTE_SECONDS)
    except Exception:
        logger.exception("route cache store failed")
    return response
