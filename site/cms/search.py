"""What `/search/` finds: the catalogue (packages, sessions and reviews, coaches) and guidance.

Guidance pages go through Wagtail's search backend (full text over their bodies, ranked).
The catalogue is searched with plain substring matches (`coaching.selectors.*_matching`):
it is small, its names are what people type ("CASPer", "mock interview", a coach's name),
partial words should match, and there is no index to fall out of step when an editor
deactivates something. Glossary expansions count as their term: "multiple mini interview"
also finds "Mock interview: MMI".
"""

import re
from dataclasses import dataclass, field

from django.urls import reverse
from wagtail.models import Page

from coaching import selectors as catalogue
from coaching.models import Coach, Package, Service

from .jargon import TERMS

# Per kind; the whole catalogue is a few dozen rows, so this is "all of them" in practice.
CATALOGUE_LIMIT = 12
MAX_WORDS = 8
STOP_WORDS = {"a", "an", "and", "the", "of", "for", "to", "in", "on", "or", "with", "my"}
_PUNCTUATION = ".,;:!?\"'()“”‘’"


def search_words(query: str) -> list[tuple[str, ...]]:
    """The query as words for the catalogue, each with the spellings that count as it."""
    words: list[tuple[str, ...]] = []
    text = query
    for term in TERMS:
        for meaning in (term.plural_expansion, term.expansion):
            if not meaning:
                continue
            pattern = re.compile(re.escape(meaning).replace(r"\-", "[- ]"), re.I)
            if pattern.search(text):
                text = pattern.sub(" ", text)
                words.append((term.term, meaning))
    for word in text.split():
        word = word.strip(_PUNCTUATION)
        if word and word.lower() not in STOP_WORDS:
            words.append((word,))
    return words[:MAX_WORDS]


@dataclass
class ServiceResult:
    service: Service
    url: str
    packages: list[Package] = field(default_factory=list)


@dataclass
class CatalogueResults:
    packages: list[Package]
    services: list[ServiceResult]
    coaches: list[Coach]

    @property
    def count(self) -> int:
        return len(self.packages) + len(self.services) + len(self.coaches)


def service_url(service: Service, packages: list[Package]) -> str:
    """Where a service found by search leads: book it, or the package that sells it."""
    if service.is_bookable and service.single_price_cents:
        return f"{reverse('booking:book')}?service={service.slug}"
    if packages:
        return packages[0].get_absolute_url()
    return f"{reverse('reviews:new')}?service={service.slug}"


def search_catalogue(query: str) -> CatalogueResults:
    """Active packages, services on sale and active coaches matching every word (4 queries)."""
    words = search_words(query)
    services = catalogue.services_matching(words=words, limit=CATALOGUE_LIMIT)
    return CatalogueResults(
        packages=catalogue.packages_matching(words=words, limit=CATALOGUE_LIMIT),
        services=[
            ServiceResult(service, service_url(service, service.on_sale_in), service.on_sale_in)
            for service in services
        ],
        coaches=catalogue.coaches_matching(words=words, limit=CATALOGUE_LIMIT),
    )


def search_guidance(query: str):
    """Live, public pages below the root matching the query, best first (a lazy result set)."""
    return Page.objects.live().public().filter(depth__gt=1).search(query)
