"""Read the navigation and footer settings into plain dicts for the header and footer.

Built from the database, the menu costs two queries (the setting and its links with their
pages) and the footer two (the setting and every linked page at once). Both are kept per site
(host) in the shared cache with `medpath.page_cache.cached_fragment`, which a change to either
setting, a menu link or any page published, moved or unpublished purges; only which link is
current is worked out per request. Each is also kept on the request. The policy pages'
addresses, for the sentence beside Pay and Buy, are kept the same way (one query when the
cache is cold, only on pages with such a button). Without a request (an error page rendered bare) nothing touches the database.
"""

import logging
from dataclasses import dataclass

from django.conf import settings

from core.page_cache import ANONYMOUS
from medpath.page_cache import PREFETCHED_ATTRIBUTE, cached_fragment, content_key, prefetch

from .models import POLICY_SLUGS, FooterSettings, NavigationSettings, PolicyPage

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class MenuLink:
    label: str
    href: str
    current: str = ""  # aria-current value: "page" for this page, "true" for its section


def _page_href(page, request) -> str:
    if page is None or not page.live:
        return ""
    return page.get_url(request) or ""


def aria_current(href: str, path: str) -> str:
    """A link's aria-current seen from `path`: "page", "true" (a page below it) or ""."""
    if not href.startswith("/"):
        return ""
    if href == path:
        return "page"
    if href != "/" and path.startswith(href.rstrip("/") + "/"):
        return "true"
    return ""


def menu_key(request) -> str:
    return f"nav:menu:{request.get_host()}"


def footer_key(request) -> str:
    return f"nav:footer:{request.get_host()}"


def prefetch_for_page(request, keys=()) -> None:
    """Read `keys` and what every page asks the cache for (the menu and footer and, for a
    visitor with no session, so anonymous, the main content as anonymous visitors see it) in
    one round trip (`medpath.page_cache.prefetch`)."""
    keys = [*keys, menu_key(request), footer_key(request)]
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        keys.append(content_key(request, ANONYMOUS))
    prefetch(request, keys)


def main_menu_for_request(request) -> list[MenuLink]:
    if request is None:
        return []
    cached = getattr(request, "_medpath_main_menu", None)
    if cached is not None:
        return cached
    if not hasattr(request, PREFETCHED_ATTRIBUTE):  # the header asks first
        try:
            prefetch_for_page(request)
        except Exception:  # a cache outage: each piece is built as if nothing were kept
            logger.exception("navigation prefetch failed")
    stored = cached_fragment(menu_key(request), lambda: _menu_links(request), request=request)
    links = [MenuLink(label, href, aria_current(href, request.path)) for label, href in stored]
    request._medpath_main_menu = links
    return links


def _menu_links(request) -> list[tuple[str, str]]:
    navigation = NavigationSettings.load(request_or_site=request)
    links = []
    for item in navigation.menu_items.select_related("link_page").order_by("sort_order"):
        href = _page_href(item.link_page, request) if item.link_page_id else item.link_url
        if href:
            links.append((item.label, href))
    return links


def footer_for_request(request) -> dict | None:
    if request is None:
        return None
    cached = getattr(request, "_medpath_footer", None)
    if cached is not None:
        return cached
    stored = cached_fragment(footer_key(request), lambda: _footer(request), request=request)
    result = {
        **stored,
        "columns": [
            {
                "heading": column["heading"],
                "links": [
                    MenuLink(label, href, aria_current(href, request.path))
                    for label, href in column["links"]
                ],
            }
            for column in stored["columns"]
        ],
    }
    request._medpath_footer = result
    return result


def _footer(request) -> dict:
    footer = FooterSettings.load(request_or_site=request)
    columns = []
    for column in footer.columns:
        links = []
        for link in column.value["links"]:
            href = _page_href(link["page"], request) if link["page"] else link["url"]
            if href:
                links.append((link["label"], href))
        if links:
            columns.append({"heading": column.value["heading"], "links": links})
    return {
        "about_text": footer.about_text,
        "contact_email": footer.contact_email,
        "legal_line": footer.legal_line,
        "columns": columns,
    }


def policy_urls_for_request(request) -> dict[str, str]:
    """{slug: url} of the published policy pages (terms, privacy, refunds): kept per site with
    the menu and footer (purged with them when pages change), and once per request."""
    if request is None:
        return _policy_urls(None)
    cached = getattr(request, "_medpath_policy_urls", None)
    if cached is not None:
        return cached
    urls = cached_fragment(f"nav:policies:{request.get_host()}", lambda: _policy_urls(request))
    request._medpath_policy_urls = urls
    return urls


def _policy_urls(request) -> dict[str, str]:
    urls: dict[str, str] = {}
    for page in PolicyPage.objects.live().filter(slug__in=POLICY_SLUGS).order_by("path"):
        urls.setdefault(page.slug, page.get_url(request) or "")
    return urls
