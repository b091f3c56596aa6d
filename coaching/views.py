"""Public catalogue pages: package comparison, package detail, coach profiles."""

from django.http import Http404
from django.shortcuts import render

from coaching import selectors
from coaching.models import Coach, Package


def package_list(request):
    packages = list(selectors.package_list())
    return render(request, "coaching/package_list.html", {"packages": packages})


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


def coach_list(request):
    return render(request, "coaching/coach_list.html", {"coaches": list(selectors.coach_list())})


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
