"""Public catalogue pages: package comparison, package detail, coach profiles."""

from types import FunctionType

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


def _catalogue_page(request, template: str, **parts):
    """Render a catalogue page whose parts are read only if the template asks for them (a
    kept content reads none): each function part is wrapped lazily. (`type`, not
    `isinstance`: asking a lazy object its class would read it.)"""
    context = {
        name: SimpleLazyObject(part) if type(part) is FunctionType else part
        for name, part in parts.items()
    }
    context["content_cache_variant"] = shared_content_variant(request)
    return render(request, template, context)


def _or_404(lookup, missing: type[Exception], message: str):
    try:
        return lookup()
    except missing:
        raise Http404(message) from None


@public_page
def package_list(request):
    return _catalogue_page(
        request, "coaching/package_list.html", packages=lambda: list(selectors.package_list())
    )


@public_page
def package_detail(request, slug):
    package_row = _or_404(
        lambda: selectors.package_for_page(slug=slug),
        Package.DoesNotExist,
        "No package with this address is on sale.",
    )
    package = SimpleLazyObject(lambda: selectors.package_page_relations(package_row))
    return _catalogue_page(
        request,
        "coaching/package_detail.html",
        package_row=package_row,  # the title and description
        package=package,
        coaches=lambda: package.coaches_delivering(),
        live_items=lambda: [item for item in package.items.all() if item.service.is_live],
        testimonials=lambda: package_row.testimonials_shown(),
    )


@public_page
def coach_list(request):
    return _catalogue_page(
        request, "coaching/coach_list.html", coaches=lambda: list(Coach.objects.listed())
    )


@public_page
def coach_detail(request, slug):
    coach_row = _or_404(
        lambda: selectors.coach_for_page(slug=slug),
        Coach.DoesNotExist,
        "No coach with this address.",
    )
    coach = SimpleLazyObject(lambda: selectors.coach_page_relations(coach_row))
    return _catalogue_page(
        request,
        "coaching/coach_detail.html",
        coach_row=coach_row,  # the title and description
        coach=coach,
        packages=lambda: selectors.packages_including(services=coach.active_services),
    )
