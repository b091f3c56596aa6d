"""Resolve every internal page link in a page's rich text with one query per render.

Wagtail expands `<a linktype="page" id="…">` one rich-text value at a time, so a page with
twenty rich-text blocks that link to other pages would cost twenty lookups. Pages prefetch the
linked ids found in their stored content (`prefetched_page_links`) while their template
renders; the link handler (wagtail_hooks.py) answers from that prefetch and falls back to Wagtail's own lookup
for anything it was not given.
"""

import re
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from contextvars import ContextVar

from wagtail.models import Page

_PAGE_LINK_TAG = re.compile(r"<a\b[^>]*\blinktype=\"page\"[^>]*>")
_ID_ATTRIBUTE = re.compile(r"\bid=\"(\d+)\"")


def page_ids_linked_from(*values) -> set[int]:
    """Ids of pages linked from rich text anywhere inside `values` (StreamField raw data,
    RichTextField strings, nested dicts and lists)."""
    ids: set[int] = set()
    stack = list(values)
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            if 'linktype="page"' in value:
                for tag in _PAGE_LINK_TAG.findall(value):
                    match = _ID_ATTRIBUTE.search(tag)
                    if match:
                        ids.add(int(match.group(1)))
        elif isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, Iterable):
            stack.extend(value)
    return ids


class _PrefetchedLinks:
    """The pages behind some ids, read in one query the first time a link asks (never, when
    the page's content comes from the content cache and no rich text is rendered)."""

    def __init__(self, page_ids):
        self._page_ids = page_ids
        self._pages: dict[str, Page | None] | None = None

    @property
    def pages(self) -> dict[str, Page | None]:
        if self._pages is None:
            page_ids = self._page_ids() if callable(self._page_ids) else self._page_ids
            pages: dict[str, Page | None] = dict.fromkeys((str(pk) for pk in page_ids), None)
            if page_ids:
                for page in Page.objects.filter(id__in=page_ids).defer_streamfields().specific():
                    pages[str(page.pk)] = page
            self._pages = pages
        return self._pages


_prefetched: ContextVar[_PrefetchedLinks | None] = ContextVar(
    "medpath_prefetched_page_links", default=None
)


@contextmanager
def prefetched_page_links(page_ids: set[int] | Callable[[], set[int]]):
    """While inside, rich-text links to `page_ids` (or to the ids the callable returns, worked
    out on the first link) are answered from one query."""
    token = _prefetched.set(_PrefetchedLinks(page_ids))
    try:
        yield
    finally:
        _prefetched.reset(token)


def prefetched_pages(ids: list[str]) -> list[Page | None] | None:
    """The prefetched pages for these ids, or None when any of them was not prefetched."""
    prefetched = _prefetched.get()
    if prefetched is None:
        return None
    pages = prefetched.pages
    if not all(pk in pages for pk in ids):
        return None
    return [pages[pk] for pk in ids]
