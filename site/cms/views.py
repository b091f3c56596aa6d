"""Site search and robots.txt. Sitemap comes from wagtail.contrib.sitemaps (see urls.py)."""

import unicodedata

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET
from wagtail.models import Page

from .search import search_catalogue, search_guidance

MAX_QUERY_LENGTH = 100
RESULTS_PER_PAGE = 10


class SearchQueryError(ValueError):
    """A search query we refuse, with a message fit for the visitor."""


def clean_search_query(raw: str) -> str:
    """Normalise whitespace and refuse what no page could match. Returns "" for no query."""
    if any(
        unicodedata.category(ch) in {"Cc", "Cf", "Cs", "Co", "Cn"}
        for ch in raw
        if ch not in "\t\n\r"
    ):
        raise SearchQueryError(
            "Your search contains characters we can’t search for. Try plain words."
        )
    query = " ".join(raw.split())
    if len(query) > MAX_QUERY_LENGTH:
        raise SearchQueryError(
            f"Your search is too long: use at most {MAX_QUERY_LENGTH} characters."
        )
    if query and not any(ch.isalnum() for ch in query):
        raise SearchQueryError("Search with words or numbers, for example “CaRMS” or “residency”.")
    return query


@require_GET
def search(request):
    raw = request.GET.get("q", "")
    context = {
        "query": "",
        "error": "",
        "results": None,
        "page_obj": None,
        "catalogue": None,
    }
    try:
        query = clean_search_query(raw)
    except SearchQueryError as error:
        context["error"] = str(error)
        context["query"] = raw[:MAX_QUERY_LENGTH] if raw.isprintable() else ""
        return render(request, "cms/search.html", context, status=400)
    context["query"] = query
    if query:
        page_obj = Paginator(search_guidance(query), RESULTS_PER_PAGE).get_page(
            request.GET.get("page")
        )
        # Packages, services and coaches head the first page; later pages are guidance only.
        if page_obj.number == 1:
            context["catalogue"] = search_catalogue(query)
        ids = [page.pk for page in page_obj.object_list]
        specific = Page.objects.filter(pk__in=ids).specific().in_bulk()
        context["page_obj"] = page_obj
        context["results"] = [specific[pk] for pk in ids if pk in specific]
    return render(request, "cms/search.html", context)


@require_GET
def robots_txt(request):
    context = {"sitemap_url": request.build_absolute_uri("/sitemap.xml")}
    return render(request, "cms/robots.txt", context, content_type="text/plain; charset=utf-8")
