"""Whole pages cached for anonymous visitors in the shared cache, and purged when content changes.

Why not a library: wagtail-cache 3.0.0, the well-kept one, requires wagtail<8 and keeps its
per-URL key list in one cache entry that every process rewrites (lost updates with several
web processes); Django's own cache middleware keys on every header in `Vary` and knows nothing
of Wagtail's publishing. This module is Django's mechanism reduced to what MedPath needs:

- **What is cached**: a GET with no query string from a visitor with no session cookie (so
  anonymous, in no chosen zone, with no pending messages), whose view marked the response
  public (`core.page_cache.mark_public`: guidance and policy pages, the members' library
  teasers, packages, coaches) and which is a plain 200 that sets no cookie (a CSRF token, a
  message), is not `private`/`no-store`/`no-cache`, and varies on nothing but `Cookie`.
  Everything else passes through untouched; personal pages keep `private, no-store`.
- **Where**: the default cache (Redis in production, shared by every web process), as one
  entry per URL holding the status, headers and body, plus the *content generation* it was
  rendered under. A hit costs one round trip (`get_many` of the entry and the generation).
- **Purging**: anything a public page shows changing (a page published, unpublished, moved or
  deleted; the navigation or footer; services, packages, coaches and the rest of the
  catalogue; schools, webinars, images, redirects, sites) bumps the generation, which turns
  every stored page into a miss at once, in every process. Content changes a few times a
  day, so purging everything beats tracking which page shows what (a package appears on
  guidance pages through a block; the menu is on every page). The bump happens at once and
  again after the transaction commits, so a page rendered from the old rows in between is
  not kept either. `purge()` is the one entry point; the receivers below call it.
- **Figures that change by the minute** (webinar seats) are on pages that are never marked.
- **Below the whole page**, for the requests it cannot answer (a visitor with a session cookie
  or a query string, a logged-in reader, the first request after a purge): `cached_fragment`
  keeps pieces under a generation, the navigation's (menu, footer, policy links; Wagtail's site,
  route and site root paths, site/cms/routing.py) or the content's (a page's main content as
  anonymous visitors see it, templates/base.html's `cached_content`), so they are purged
  together with the pages that show them. `prefetch` reads what a page will ask for in one
  round trip.

`PAGE_CACHE_SECONDS` (default 600; 0 turns the page cache off) bounds how long a page lives.
"""

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.cache import cc_delim_re, patch_vary_headers

from core.page_cache import is_marked_public

logger = logging.getLogger(__name__)

GENERATION_KEY = "pagecache:generation"
# The navigation and footer show pages and their own settings only: a package or a coach
# changing leaves them alone, so they live under a generation of their own.
NAVIGATION_GENERATION_KEY = "pagecache:navigation-generation"
HEADER = "X-Page-Cache"
# Never looked up: answered before any page view, personal, or carrying live figures.
SKIPPED_PREFIXES = (
    "/healthz",
    "/readyz",
    "/static/",
    "/media/",
    "/admin/",
    "/django-admin/",
    "/api/",
    "/accounts/",
    "/dashboard/",
    "/coach/",
    "/book/",
    "/checkout/",
    "/stripe/",
    "/reviews/",
    "/practice/",
    "/webinars/",
    "/documents/",
    "/search/",
)
CACHE_CONTROL_REFUSED = {"private", "no-store", "no-cache"}


def _generation(values: dict, key: str = GENERATION_KEY) -> int:
    return values.get(key) or 0


# The values `prefetch` read for this request: (the keys asked for, what the cache had of them
# and of both generations).
PREFETCHED_ATTRIBUTE = "_medpath_cache_prefetched"


def prefetch(request, keys: list[str]) -> None:
    """Read `keys` and both generations in one round trip, for the `cached_entries` and
    `cached_fragment` calls later in this request that pass it (the page view knows early
    which keys the menu, footer and content will ask for)."""
    values = cache.get_many([GENERATION_KEY, NAVIGATION_GENERATION_KEY, *keys])
    setattr(request, PREFETCHED_ATTRIBUTE, (set(keys), values))


def cached_entries(keys: list[str], generation_key: str = NAVIGATION_GENERATION_KEY, request=None):
    """The values stored under `keys` while `generation_key` has not moved since, and that
    generation (one round trip, none when `request` prefetched them all); a key missing or
    stored under an older generation is absent."""
    prefetched = getattr(request, PREFETCHED_ATTRIBUTE, None)
    if prefetched is not None and prefetched[0].issuperset(keys):
        values = prefetched[1]
    else:
        values = cache.get_many([generation_key, *keys])
    generation = _generation(values, generation_key)
    found = {}
    for key in keys:
        entry = values.get(key)
        if entry is not None and entry[0] == generation:
            found[key] = entry[1]
    return found, generation


def store_entry(key: str, generation: int, value, timeout=None) -> None:
    """Keep `value` for `cached_entries` under the generation it was built from."""
    cache.set(key, (generation, value), timeout)


def cached_fragment(
    key: str, build, generation_key: str = NAVIGATION_GENERATION_KEY, timeout=None, request=None
):
    """`build()`'s value, kept in the shared cache until `generation_key` is next moved by a
    purge (one round trip, none when `request` prefetched the key). By default the
    navigation's generation: for the navigation and footer, what pages and their settings
    decide; `GENERATION_KEY` for anything that shows content (a page's main content)."""
    try:
        found, generation = cached_entries([key], generation_key, request)
    except Exception:  # a cache outage must not take the page down with it
        logger.exception("cache lookup failed for %s", key)
        return build()
    if key in found:
        return found[key]
    value = build()
    try:
        store_entry(key, generation, value, timeout)
    except Exception:
        logger.exception("cache store failed for %s", key)
    return value


def address_key(address: str) -> str:
    """`address` as part of a cache key: itself, or its digest when long (keys stay short)."""
    if len(address) <= 200:
        return address
    return "sha256:" + hashlib.sha256(address.encode()).hexdigest()


def content_key(request, variant: str) -> str:
    """Where the main content of this address, rendered for `variant`, is kept."""
    return f"pagecache:content:{address_key(request.get_host() + request.path)}:{variant}"


def purge(reason: str = "", *, navigation: bool = False) -> None:
    """Every cached page (and with `navigation`, the navigation and footer) becomes stale now
    and again once the transaction commits."""
    keys = [GENERATION_KEY, NAVIGATION_GENERATION_KEY] if navigation else [GENERATION_KEY]
    _bump(keys, reason)
    transaction.on_commit(lambda: _bump(keys, reason))


def _bump(keys: list[str], reason: str) -> None:
    for key in keys:
        try:
            cache.incr(key)
        except ValueError:  # not there yet (a fresh cache, or evicted)
            # add() loses to a concurrent add(); then the other process's value is incremented.
            if not cache.add(key, 1, None):
                cache.incr(key)
    logger.info("page cache purged%s", f" ({reason})" if reason else "")


def _page_key(request) -> str:
    return f"pagecache:page:{address_key(f'{request.scheme}://{request.get_host()}{request.path}')}"


class PageCacheMiddleware:
    """Serve and store whole public pages for anonymous visitors (see the module docstring).

    Placed after WhiteNoise and before the session middleware: a hit skips sessions, CSRF,
    authentication and the view; what the response needs from the inner middleware (CSP,
    frame and permissions headers) was stored with it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self.may_use_cache(request):
            return self.get_response(request)
        key = _page_key(request)
        try:
            values = cache.get_many([GENERATION_KEY, key])
        except Exception:  # a cache outage must not take the site down with it
            logger.exception("page cache lookup failed")
            return self.get_response(request)
        generation = _generation(values)
        entry = values.get(key)
        if entry is not None and entry[0] == generation:
            return self.from_entry(entry)
        response = self.get_response(request)
        if self.may_store(request, response):
            self.store(key, generation, response)
        return response

    @staticmethod
    def may_use_cache(request) -> bool:
        return (
            settings.PAGE_CACHE_SECONDS > 0
            and request.method == "GET"
            and not request.META.get("QUERY_STRING")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and "messages" not in request.COOKIES
            and not request.path_info.startswith(SKIPPED_PREFIXES)
        )

    @staticmethod
    def may_store(request, response) -> bool:
        if not is_marked_public(response) or response.status_code != 200 or response.streaming:
            return False
        if response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
            return False
        if getattr(request, "is_preview", False):
            return False
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return False
        messages = getattr(request, "_messages", None)
        if messages is not None and getattr(messages, "_queued_messages", None):
            return False
        directives = {
            part.split("=")[0].strip().lower()
            for part in cc_delim_re.split(response.get("Cache-Control", ""))
        }
        if directives & CACHE_CONTROL_REFUSED:
            return False
        vary = {part.strip().lower() for part in cc_delim_re.split(response.get("Vary", ""))}
        return vary <= {"", "cookie"}

    @staticmethod
    def store(key: str, generation: int, response) -> None:
        # A shared cache downstream (a CDN) must not hand this copy to a logged-in visitor.
        patch_vary_headers(response, ["Cookie"])
        entry = (generation, response.status_code, list(response.items()), response.content)
        try:
            cache.set(key, entry, settings.PAGE_CACHE_SECONDS)
        except Exception:
            logger.exception("page cache store failed")
            return
        response[HEADER] = "miss"

    @staticmethod
    def from_entry(entry):
        from django.http import HttpResponse

        _generation_, status, headers, content = entry
        response = HttpResponse(content, status=status)
        for name, value in headers:
            response[name] = value
        response[HEADER] = "hit"
        return response


# --- purge triggers ------------------------------------------------------------------------
# Layers: lower apps never import site; site listens to their models' signals here, in one
# place. Wagtail pages purge on publish, unpublish, move and delete (not on draft saves).

# Every model of these apps is shown on public pages (the catalogue: services, packages, their
# items, perks and FAQs, coaches and whatever the catalogue grows; the CMS's navigation,
# footer and page-related rows), except Wagtail page models, handled by the page signals.
PURGING_APPS = {"coaching", "cms"}
# And these models of other apps.
PURGING_MODELS = {
    "members.school",
    "webinars.webinar",
    "wagtailcore.site",
    "wagtailcore.pageviewrestriction",
    "wagtailimages.image",
    "wagtailredirects.redirect",
}


# Besides the CMS's own models (settings, menu items), these change what the menu and footer
# show (their links are pages, under a site, behind restrictions).
NAVIGATION_MODELS = {
    "wagtailcore.site",
    "wagtailcore.pageviewrestriction",
    "wagtailredirects.redirect",
}


def _purging_senders() -> set:
    from django.apps import apps
    from wagtail.models import Page

    senders = set()
    for model in apps.get_models():
        label = model._meta.label_lower
        if issubclass(model, Page):
            continue
        if model._meta.app_label in PURGING_APPS or label in PURGING_MODELS:
            senders.add(model)
    return senders


def _on_model_change(sender, instance=None, created=False, **kwargs):
    from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting

    is_setting = issubclass(sender, BaseGenericSetting | BaseSiteSetting)
    if created and is_setting:
        # `load()` creates a setting's row, empty, while the first page is being rendered
        # from it: nothing shown changes. Editors save an existing row.
        return
    navigation = sender._meta.app_label == "cms" or sender._meta.label_lower in NAVIGATION_MODELS
    purge(f"{sender._meta.label} changed", navigation=navigation)


def _on_page_change(sender, instance=None, **kwargs):
    purge(f"page {getattr(instance, 'pk', '')} changed", navigation=True)


def _on_page_delete(sender, instance=None, **kwargs):
    from wagtail.models import Page

    if isinstance(instance, Page):
        purge(f"page {instance.pk} deleted", navigation=True)


def connect_purge_signals() -> None:
    """Called once from `MedpathConfig.ready`."""
    from wagtail.signals import page_published, page_unpublished, post_page_move

    for model in _purging_senders():
        uid = f"medpath-page-cache-{model._meta.label_lower}"
        post_save.connect(_on_model_change, sender=model, dispatch_uid=uid + "-save")
        post_delete.connect(_on_model_change, sender=model, dispatch_uid=uid + "-delete")
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(
                _on_model_change,
                sender=field.remote_field.through,
                dispatch_uid=f"{uid}-{field.name}",
            )
    page_published.connect(_on_page_change, dispatch_uid="medpath-page-cache-published")
    page_unpublished.connect(_on_page_change, dispatch_uid="medpath-page-cache-unpublished")
    post_page_move.connect(_on_page_change, dispatch_uid="medpath-page-cache-moved")
    post_delete.connect(_on_page_delete, dispatch_uid="medpath-page-cache-page-deleted")
