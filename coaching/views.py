"""Public catalogue pages: package comparison, package detail, coach profiles."""

from django.http import Http404
from django.shortcuts import render
from django.utils.functional import SimpleLazyObject

from coaching import selectors
from coaching.models import Coach, Package
from core.page_cache import public_page, shared_content_variant

# Each page shows the catalogue only (no seats, no prices that change by the minute, no CSRF
# token for anonymous visitors), so it may be cached whole for them; the cache is purged when
# the catalogue changes (site/page_cache.py). Their main content is also kept for anonymous
# visitors the whole-page cache does not serve (`content_cache_variant`), so what it shows is
# read lazily: a kept content reads none of it.


@public_page
def package_list(request):
    context = {
        "packages": SimpleLazyObject(lambda: list(selectors.package_list())),
        "content_cache_variant": shared_content_variant(request),
    }
    return render(request, "coaching/package_list.html", context)


@public_page
def package_detail(request, slug):
    try:
        package_row = selectors.package_for_page(slug=slug)
    except Package.DoesNotExist:
        raise Http404("No package with this address is on sale.") from None
    package = SimpleLazyObject(lambda: selectors.package_page_relations(package_row))
    context = {
        "package_row": package_row,  # the title and description
        "package": package,
        "coaches": SimpleLazyObject(lambda: package.coaches_delivering()),
        "live_items": SimpleLazyObject(
            lambda: [item for item in package.items.all() if item.service.is_live]
        ),
        "testimonials": SimpleLazyObject(lambda: package_row.testimonials_shown()),
        "content_cache_variant": shared_content_variant(request),
    }
    return render(request, "coaching/package_detail.html", context)


@public_page
def coach_list(request):
    context = {
        "coaches": SimpleLazyObject(lambda: list(Coach.objects.listed())),
        "content_cache_variant": shared_content_variant(request),
    }
    return render(request, "coaching/coach_list.html", context)


@public_page
def coach_detail(request, slug):
    try:
        coach_row = selectors.coach_for_page(slug=slug)
    except Coach.DoesNotExist:
        raise Http404("No coach with this address.") from None
    coach = SimpleLazyObject(lambda: selectors.coach_page_relations(coach_row))
    context = {
        "coach_row": coach_row,  # the title and description
        "coach": coach,
        "packages": SimpleLazyObject(
            lambda: selectors.packages_including(services=coach.active_services)
        ),
        "content_cache_variant": shared_content_variant(request),
    }
    return render(request, "coaching/coach_detail.html", context)
