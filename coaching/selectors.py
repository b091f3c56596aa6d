"""Reads the catalogue pages share. Each returns a queryset whose size does not change the
number of SQL queries a page needs (relations are prefetched here, not in templates)."""

from django.db.models import (
    Case,
    IntegerField,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
    prefetch_related_objects,
)
from wagtail.images import get_image_model

from coaching.models import Coach, Package, PackageItem, Service, Testimonial

# One rendition size for coach photos everywhere, so a generated rendition is reused.
COACH_PHOTO_FILTER = "fill-320x320"

# Testimonials are a brief aside, not a wall of quotes.
TESTIMONIALS_SHOWN = 3


def _items_with_services() -> Prefetch:
    return Prefetch(
        "items",
        queryset=PackageItem.objects.select_related("service").order_by("sort_order", "pk"),
    )


def _photos() -> Prefetch:
    return Prefetch(
        "photo", queryset=get_image_model().objects.prefetch_renditions(COACH_PHOTO_FILTER)
    )


def package_cards() -> QuerySet[Package]:
    """Packages (active or not) with what a card shows prefetched."""
    return Package.objects.prefetch_related(_items_with_services(), "perks")


def package_list() -> QuerySet[Package]:
    """Active packages in the editors' order, ready to render as cards."""
    return package_cards().filter(active=True).order_by("sort_order", "price_cents", "name")


def package_for_page(*, slug: str) -> Package:
    """The active package behind `/packages/<slug>/`, its own row only (one query: enough for
    the page's title, and all a page whose content is cached needs); raises
    `Package.DoesNotExist` otherwise. `package_page_relations` reads what its page shows."""
    return Package.objects.active().get(slug=slug)


def package_page_relations(package: Package) -> Package:
    """`package` with its items (and their services), perks and FAQs read (three queries)."""
    prefetch_related_objects([package], _items_with_services(), "perks", "faqs")
    return package


def coaches_for_package(*, package: Package) -> list[Coach]:
    """Active coaches who deliver at least one of the package's (active) services.

    Each coach gets `package_services`: the package's services they deliver, in package order.
    """
    services = [item.service for item in package.items.all() if item.service.active]
    if not services:
        return []
    coaches = list(
        coach_list().filter(services__in=[service.pk for service in services]).distinct()
    )
    for coach in coaches:
        offered = {service.pk for service in coach.active_services}
        coach.package_services = [service for service in services if service.pk in offered]
    return coaches


def coach_list() -> QuerySet[Coach]:
    """Active coaches with their photo renditions and active services prefetched.

    The services land in `coach.active_services`, in the catalogue's order.
    """
    return (
        Coach.objects.active()
        .order_by("sort_order", "display_name")
        .prefetch_related(*_coach_relations())
    )


def _coach_relations() -> list:
    return [
        _photos(),
        Prefetch(
            "services",
            queryset=Service.objects.active().order_by("sort_order", "name"),
            to_attr="active_services",
        ),
    ]


def coach_for_page(*, slug: str) -> Coach:
    """The active coach behind `/coaches/<slug>/`, the row only (one query); raises
    `Coach.DoesNotExist` otherwise. `coach_page_relations` reads what the page shows."""
    return Coach.objects.active().get(slug=slug)


def coach_page_relations(coach: Coach) -> Coach:
    """`coach` with the photo's rendition and the active services (as `active_services`)."""
    prefetch_related_objects([coach], *_coach_relations())
    return coach


def has_coach_profile(*, user) -> bool:
    """Whether this login has a coach profile (what opens the coach's area at /coach/)."""
    return Coach.objects.filter(user=user).exists()


def packages_including(*, services: list[Service]) -> list[Package]:
    """Active packages that include any of these services (for a coach's profile)."""
    if not services:
        return []
    return list(
        Package.objects.active()
        .filter(items__service__in=[service.pk for service in services])
        .distinct()
        .order_by("sort_order", "price_cents", "name")
    )


# Catalogue search takes `words`: each a tuple of spellings that count as that word (the
# site adds "ABS" to "autobiographical sketch"); every word must match somewhere.
SearchWords = list[tuple[str, ...]]


def _all_words_in(words: SearchWords, fields: tuple[str, ...]) -> Q:
    """Every word (one of its spellings) appears in one of the fields, ignoring case.

    Plain substring matching: the catalogue is dozens of rows, so a scan is as fast as an
    index, and partial words ("casp", "interview") find what people mean.
    """
    condition = Q()
    for spellings in words:
        any_field = Q()
        for spelling in spellings:
            for name in fields:
                any_field |= Q(**{f"{name}__icontains": spelling})
        condition &= any_field
    return condition


def packages_matching(*, words: SearchWords, limit: int) -> list[Package]:
    """Active packages whose name, summary or included services contain every word."""
    if not words:
        return []
    matching = Package.objects.active().filter(
        _all_words_in(words, ("name", "summary", "items__service__name"))
    )
    return list(
        Package.objects.filter(pk__in=matching.values("pk")).order_by(
            "sort_order", "price_cents", "name"
        )[:limit]
    )


def services_matching(*, words: SearchWords, limit: int) -> list[Service]:
    """Active services on sale (on their own or in an active package) whose name or
    description contains every word.

    Each service gets `on_sale_in`: the active packages that include it, in catalogue order
    (one prefetch, however many services match).
    """
    if not words:
        return []
    packages = Prefetch(
        "package_items",
        queryset=PackageItem.objects.filter(package__active=True)
        .select_related("package")
        .order_by("package__sort_order", "package__price_cents", "package__name"),
        to_attr="active_package_items",
    )
    services = list(
        Service.objects.active()
        .filter(
            Q(single_price_cents__isnull=False)
            | Q(pk__in=PackageItem.objects.filter(package__active=True).values("service"))
        )
        .filter(_all_words_in(words, ("name", "short_description")))
        .order_by("sort_order", "name")
        .prefetch_related(packages)[:limit]
    )
    for service in services:
        service.on_sale_in = [item.package for item in service.active_package_items]
    return services


def coaches_matching(*, words: SearchWords, limit: int) -> list[Coach]:
    """Active coaches whose name, headline, place, credentials or languages contain every
    word ("French" finds the coaches who hold sessions in French)."""
    if not words:
        return []
    fields = ("display_name", "headline", "location", "credentials", "languages")
    return list(
        Coach.objects.active()
        .filter(_all_words_in(words, fields))
        .order_by("sort_order", "display_name")[:limit]
    )


def testimonials_for_home() -> list[Testimonial]:
    """The first few active testimonials in the editors' order, general ones before those
    written about one package (one query)."""
    general_first = Case(
        When(package__isnull=True, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return list(
        Testimonial.objects.active()
        .select_related("package")
        .order_by(general_first, "sort_order", "pk")[:TESTIMONIALS_SHOWN]
    )


def testimonials_for_package(*, package: Package) -> list[Testimonial]:
    """The package's own active testimonials first, then general ones to fill up (one query);
    never another package's."""
    own_first = Case(
        When(package=package.pk, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return list(
        Testimonial.objects.active()
        .filter(Q(package=package.pk) | Q(package__isnull=True))
        .order_by(own_first, "sort_order", "pk")[:TESTIMONIALS_SHOWN]
    )
