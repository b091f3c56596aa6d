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

from coaching.models import (
    TESTIMONIALS_SHOWN,
    Coach,
    Package,
    PackageItem,
    Service,
    Testimonial,
    coach_card_prefetches,
)


def _items_with_services() -> Prefetch:
    return Prefetch(
        "items",
        queryset=PackageItem.objects.select_related("service").order_by("sort_order", "pk"),
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


def coach_for_page(*, slug: str) -> Coach:
    """The active coach behind `/coaches/<slug>/`, the row only (one query); raises
    `Coach.DoesNotExist` otherwise. `coach_page_relations` reads what the page shows."""
    return Coach.objects.active().get(slug=slug)


def coach_page_relations(coach: Coach) -> Coach:
    """`coach` with the photo's rendition and the active services (as `active_services`)."""
    prefetch_related_objects([coach], *coach_card_prefetches())
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
