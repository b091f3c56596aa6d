"""`/search/` finds packages, services and coaches as well as guidance."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.coaching.factories import (
    CoachFactory,
    PackageFactory,
    PackageItemFactory,
    ServiceFactory,
)

from .factories import GuidancePageFactory

pytestmark = pytest.mark.django_db


def search(client, query, **params):
    response = client.get("/search/", {"q": query, **params})
    return response, response.content.decode()


def group(html: str, heading_id: str) -> str:
    """The HTML of one group of results (packages, services, coaches, guidance)."""
    match = re.search(
        rf'<section class="search-group" aria-labelledby="{heading_id}">(.*?)</section>', html, re.S
    )
    return match.group(1) if match else ""


def test_search_finds_a_package_a_service_and_a_coach_by_name_each_under_its_kind(client, section):
    package = PackageFactory(name="Lantern Interview Pack", slug="lantern-pack", items=0)
    service = ServiceFactory(name="Lantern mock interview", slug="lantern-mock")
    PackageItemFactory(package=package, service=service)
    coach = CoachFactory(display_name="Dr. Ada Lantern", slug="ada-lantern")
    GuidancePageFactory(parent=section, title="Lantern guidance", slug="lantern-guidance")

    response, html = search(client, "lantern")

    assert response.status_code == 200
    assert '<a href="/packages/lantern-pack/">Lantern Interview Pack</a>' in group(
        html, "results-packages"
    )
    services = group(html, "results-services")
    assert '<a href="/book/?service=lantern-mock">Lantern mock interview</a>' in services
    assert 'Included in <a href="/packages/lantern-pack/">Lantern Interview Pack</a>' in services
    assert f'<a href="/coaches/{coach.slug}/">Dr. Ada Lantern</a>' in group(html, "results-coaches")
    assert "/img-pathways/lantern-guidance/" in group(html, "results-guidance")


def test_inactive_packages_services_and_coaches_are_not_found(client, home):
    PackageFactory(name="Lantern retired pack", inactive=True)
    ServiceFactory(name="Lantern retired session", inactive=True)
    CoachFactory(display_name="Dr. Retired Lantern", inactive=True)
    # On sale nowhere: no price of its own and only in an inactive package.
    unsold = ServiceFactory(name="Lantern unsold review", review=True, single_price_cents=None)
    PackageFactory(name="Old pack", inactive=True, items=[(unsold, 1)])

    _, html = search(client, "lantern")

    assert "Nothing on MedPath matches “lantern”." in html
    for name in ["retired pack", "retired session", "Retired Lantern", "unsold review"]:
        assert name not in html


def test_a_service_leads_to_booking_or_to_the_package_that_sells_it(client, home):
    review = ServiceFactory(name="Lantern letter review", review=True, single_price_cents=None)
    live_in_package = ServiceFactory(name="Lantern strategy", single_price_cents=None)
    PackageFactory(
        name="Lantern Essentials",
        slug="lantern-essentials",
        items=[(review, 1), (live_in_package, 1)],
    )
    single_review = ServiceFactory(
        name="Lantern CV review", slug="lantern-cv", review=True, single_price_cents=19500
    )

    services = group(search(client, "lantern")[1], "results-services")

    assert '<a href="/packages/lantern-essentials/">Lantern letter review</a>' in services
    assert '<a href="/packages/lantern-essentials/">Lantern strategy</a>' in services
    assert f'<a href="/reviews/new/?service={single_review.slug}">Lantern CV review</a>' in services


def test_every_word_must_match_somewhere_and_glossary_meanings_count_as_their_term(client, home):
    ServiceFactory(name="Mock interview: MMI", slug="mmi")
    ServiceFactory(name="Mock interview: panel", slug="panel")

    services = group(search(client, "mmi mock")[1], "results-services")
    assert "Mock interview: MMI" in services and "Mock interview: panel" not in services

    services = group(search(client, "multiple mini interview")[1], "results-services")
    assert "Mock interview: MMI" in services and "Mock interview: panel" not in services


def test_search_query_count_does_not_grow_with_the_number_of_results(client, section):
    def queries_for_search() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/search/", {"q": "lantern"}).status_code == 200
        return len(captured)

    def add_results(count: int, start: int) -> None:
        for number in range(start, start + count):
            service = ServiceFactory(name=f"Lantern session {number}")
            package = PackageFactory(name=f"Lantern pack {number}", items=[(service, 1)])
            PackageFactory(name=f"Lantern bundle {number}", items=[(service, 2)])
            PackageItemFactory(package=package)
            CoachFactory(display_name=f"Dr. Lantern {number}", services=[service])
            GuidancePageFactory(parent=section, title=f"Lantern page {number}")

    add_results(1, 0)
    queries_for_search()  # caches that fill once per process (site root, content types)
    few = queries_for_search()
    add_results(3, 1)
    queries_for_search()  # the new pages purged the cached menu and footer: warm them again
    many = queries_for_search()

    assert many == few
    html = client.get("/search/", {"q": "lantern"}).content.decode()
    assert html.count("Lantern bundle") >= 4 and html.count("Dr. Lantern") == 4


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("q=" + "lantern " * 20, "Your search is too long"),
        ("q=%00lantern", ""),
        ("q=%E2%80%8Blantern", "characters we can’t search for"),
    ],
)
def test_bad_search_input_gets_a_clear_4xx_not_an_error(client, home, raw, message):
    response = client.get(f"/search/?{raw}")
    assert response.status_code == 400
    assert message in response.content.decode(errors="replace")


def test_later_result_pages_show_guidance_only(client, section):
    ServiceFactory(name="Residency lantern session")
    for number in range(12):
        GuidancePageFactory(parent=section, title=f"Residency tip {number}", slug=f"tip-{number}")

    first = search(client, "residency")[1]
    second = search(client, "residency", page="2")[1]

    assert "Residency lantern session" in first
    assert "Residency lantern session" not in second
    assert "Residency tip" in second


def test_coaches_are_found_by_the_languages_they_coach_in(client, home):
    CoachFactory(display_name="Dr. Inès Roy", slug="ines-roy", languages="English, French")
    CoachFactory(display_name="Dr. Sam Lee", slug="sam-lee", languages="English")

    coaches = group(search(client, "french")[1], "results-coaches")

    assert "Dr. Inès Roy" in coaches and "Dr. Sam Lee" not in coaches
