"""Public catalogue pages: package comparison, package detail, coach profiles."""

from django.http import Http404
from django.shortcuts import render

from coaching import selectors
from coaching.models import Coach, Package
from core.page_cache import public_page

# Each page shows the catalogue only (no seats, no prices that change by the minute, no CSRF
# token for anonymous visitors), so it may be cached whole for them; the cache is purged when
# the catalogue changes (site/page_cache.py).


@public_page
def package_list(request):
    packages = list(selectors.package_list())
    return render(request, "coaching/package_list.html", {"packages": packages})


@public_page
def package_detail(request, slug):
    try:
        package = selectors.package_for_page(slug=slug)
    except Package.DoesNotExist:
        raise Http404("No package with this address is on sale.") from None
    context = {
        "package": package,
        "coaches": selectors.coaches_for_package(package=package),
        "live_items": [item for item in package.items.all() if item.service.is_live],
        "testimonials": selectors.testimonials_for_package(package=package),
    }
    return render(request, "coaching/package_detail.html", context)


@public_page
def coach_list(request):
    return render(request, "coaching/coach_list.html", {"coaches": list(selectors.coach_list())})


@public_page
def coach_detail(request, slug):
    try:
        coach = selectors.coach_for_page(slug=slug)
    except Coach.DoesNotExist:
        raise Http404("No coach with this address.") from None
    context = {
        "coach": coach,
        "packages": selectors.packages_including(services=coach.active_services),
    }
    return render(request, "coaching/coach_detail.html", context)
