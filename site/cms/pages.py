"""The base of every MedPath page type: safe routing, SEO/Open Graph metadata, rich-text links
read in one query, and the whole-page and content caches' marks.

Its own module so that page types in other modules of the app (the members' library in
`members.py`) extend it without importing `models.py`, which imports them.
"""

from django.http import Http404
from django.utils.text import Truncator
from wagtail.models import Page, PageViewRestriction

from core.page_cache import mark_public, shared_content_variant

from .forms import MedPathPageForm
from .rich_text import page_ids_linked_from, prefetched_page_links


def _is_routable_slug(component: str) -> bool:
    """Slugs never hold control characters; refusing them early keeps NUL bytes out of SQL."""
    return 0 < len(component) <= 255 and not any(ord(ch) < 32 or ch == "\x7f" for ch in component)


class MedPathPage(Page):
    """Shared behaviour of MedPath's pages: safe routing and SEO/Open Graph metadata."""

    og_type = "article"
    base_form_class = MedPathPageForm
    # Whether the main content repeats the address with its query string (a log-in link that
    # comes back here): then only plain addresses share a cached content.
    content_shows_full_path = False

    class Meta:
        abstract = True

    def rich_text_sources(self) -> list:
        """Stored content that may hold rich-text page links, for `prefetched_page_links`."""
        body = getattr(self, "body", None)
        return [list(body.raw_data) if body is not None else [], getattr(self, "intro", "")]

    def _render_with_prefetched_links(self, response):
        if hasattr(response, "render") and not response.is_rendered:
            sources = self.rich_text_sources
            with prefetched_page_links(lambda: page_ids_linked_from(*sources())):
                response.render()
        return response

    def serve(self, request, *args, **kwargs):
        # What a page renders for an anonymous visitor is the same for all of them (a members'
        # resource shows its teaser; the body only to members, who are logged in and never
        # served from the cache), so the whole-page cache may keep it (site/page_cache.py).
        response = self._render_with_prefetched_links(super().serve(request, *args, **kwargs))
        return mark_public(response)

    def serve_preview(self, request, mode_name):
        return self._render_with_prefetched_links(super().serve_preview(request, mode_name))

    def get_view_restrictions(self):
        # Routed from the route cache (routing.py) with no restriction on it or above it when
        # remembered; a restriction added since moved the generation and routes afresh.
        if getattr(self, "known_unrestricted", False):
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()

    def route(self, request, path_components):
        if path_components and not _is_routable_slug(path_components[0]):
            raise Http404("No page has that address.")
        return super().route(request, path_components)

    def get_meta_title(self) -> str:
        return self.seo_title or self.title

    def get_meta_description(self) -> str:
        if self.search_description:
            return self.search_description
        return Truncator(self.get_fallback_description()).chars(160)

    def get_fallback_description(self) -> str:
        """Plain text describing the page when the editor left the meta description empty."""
        return ""

    def content_cache_variant(self, request) -> str | None:
        """Which rendering of the main content (templates/base.html's `cached_content`) this
        request shares with others (`core.page_cache.shared_content_variant`)."""
        if self.content_shows_full_path and request.META.get("QUERY_STRING"):
            return None
        return shared_content_variant(request)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Everything the main content needs is lazy: a cached content reads none of it.
        # Ancestors below the tree root (the home page first), in one query.
        context["breadcrumbs"] = self.get_ancestors().filter(depth__gt=1)
        context["content_cache_variant"] = self.content_cache_variant(request)
        return context
