import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coaching.models import Package, PackageItem
from tests.coaching.factories import (
    CoachFactory,
    PackageFactory,
    PackageFaqFactory,
    PackageItemFactory,
    ServiceFactory,
)

pytestmark = pytest.mark.django_db

LIST_URL = "/packages/"


def _card_names(html):
    return re.findall(r'class="package-card__name"><a href="[^"]+">([^<]+)</a>', html)


def test_package_urls_are_the_stable_ones():
    assert reverse("coaching:package_list") == "/packages/"
    assert reverse("coaching:package_detail", kwargs={"slug": "x"}) == "/packages/x/"
    assert reverse("coaching:coach_list") == "/coaches/"
    assert reverse("coaching:coach_detail", kwargs={"slug": "x"}) == "/coaches/x/"


def test_packages_page_lists_only_active_packages_in_the_editors_order(client):
    PackageFactory(name="Cheap but last", price_cents=10000, sort_order=3)
    PackageFactory(name="First", price_cents=90000, sort_order=1)
    PackageFactory(name="Hidden", sort_order=0, inactive=True)
    PackageFactory(name="Second", price_cents=50000, sort_order=2)

    response = client.get(LIST_URL)

    assert response.status_code == 200
    assert _card_names(response.content.decode()) == ["First", "Second", "Cheap but last"]


BUY_BUTTON = "coaching/includes/buy_button.html"


def test_package_card_shows_price_tax_contents_perks_validity_and_buy(
    client, rendered_templates, settings
):
    settings.STRIPE_TAX_MODE = "rate"
    package = PackageFactory(
        name="Interview Ready", price_cents=59500, validity_months=6, items=0, perks=1, popular=True
    )
    mmi = ServiceFactory(name="Mock interview: MMI", duration_minutes=60)
    review = ServiceFactory(review=True, name="Essay review", turnaround_days=5)
    PackageItemFactory(package=package, service=mmi, quantity=2, sort_order=0)
    PackageItemFactory(package=package, service=review, quantity=1, sort_order=1)

    html = client.get(LIST_URL).content.decode()

    assert "CA$595.00" in html
    # The first use of HST and MMI on the page carries its meaning (medpath.cms.jargon).
    assert '<span class="price__note">+ HST<span class="term-note"> (harmonized sales tax)' in html
    assert "2 ×</strong> Mock interview: MMI" in html
    assert "60 min" in html
    assert "1 ×</strong> Essay review" in html
    assert "5-day turnaround" in html
    assert "Perk 1" in html
    assert "Credits valid 6 months" in html
    assert "Most popular" in html
    assert rendered_templates.count(BUY_BUTTON) == 1


def test_tax_free_package_has_no_hst_note(client):
    PackageFactory(untaxed=True)
    assert "price__note" not in client.get(LIST_URL).content.decode()


def test_deactivated_package_leaves_the_list_but_keeps_its_contents(client):
    package = PackageFactory(name="Retired package", items=2)
    assert "Retired package" in client.get(LIST_URL).content.decode()

    package.active = False
    package.save()

    assert "Retired package" not in client.get(LIST_URL).content.decode()
    assert client.get(package.get_absolute_url()).status_code == 404
    package = Package.objects.get(pk=package.pk)
    assert package.items.count() == 2
    assert PackageItem.objects.filter(package=package, service__active=True).count() == 2


def test_empty_catalogue_shows_a_friendly_note(client):
    response = client.get(LIST_URL)
    assert response.status_code == 200
    assert "New packages are on their way" in response.content.decode()


def test_package_page_shows_description_sessions_coaches_and_faq(client, rendered_templates):
    package = PackageFactory(name="Essentials", items=0, description="<p>Editors wrote this.</p>")
    strategy = ServiceFactory(name="Strategy", description="<p>Timeline and schools.</p>")
    unused = ServiceFactory(name="Unrelated")
    PackageItemFactory(package=package, service=strategy, quantity=1)
    PackageFaqFactory(package=package, question="Can I share the package?")
    CoachFactory(display_name="Dr. Delivers", services=[strategy])
    CoachFactory(display_name="Dr. Elsewhere", services=[unused])
    CoachFactory(display_name="Dr. Away", services=[strategy], inactive=True)

    response = client.get(package.get_absolute_url())

    html = response.content.decode()
    assert response.status_code == 200
    assert "Editors wrote this." in html
    assert "Timeline and schools." in html
    assert "Dr. Delivers" in html
    assert "Dr. Elsewhere" not in html
    assert "Dr. Away" not in html
    assert "Can I share the package?" in html
    assert "12 months from the day you buy it" in html
    assert 'id="buy"' in html
    assert BUY_BUTTON in rendered_templates


@pytest.mark.parametrize("slug", ["no-such-package", "inactive-one"])
def test_package_page_is_404_for_unknown_or_inactive_packages(client, slug):
    PackageFactory(slug="inactive-one", inactive=True)
    assert client.get(f"/packages/{slug}/").status_code == 404


def _queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def test_packages_page_needs_as_many_queries_for_30_packages_as_for_3(
    client, django_assert_num_queries
):
    for _ in range(3):
        PackageFactory(items=2, perks=2)
    client.get(LIST_URL)  # warm anything cached per process
    few = _queries(client, LIST_URL)
    with django_assert_num_queries(few):
        client.get(LIST_URL)

    for _ in range(27):
        PackageFactory(items=4, perks=3)
    with django_assert_num_queries(few):
        response = client.get(LIST_URL)
    assert len(_card_names(response.content.decode())) == 30


def test_package_page_queries_do_not_grow_with_items_and_coaches(
    client, make_photo, django_assert_num_queries
):
    small = PackageFactory(items=1)
    CoachFactory(services=[small.items.get().service], photo=make_photo())
    big = PackageFactory(items=8, perks=4)
    PackageFaqFactory.create_batch(3, package=big)
    services = [item.service for item in big.items.all()]
    for index in range(6):
        CoachFactory(services=services[index:], photo=make_photo() if index % 2 else None)
    # Renditions are generated (and stored) on the first view; measure the steady state.
    client.get(small.get_absolute_url())
    client.get(big.get_absolute_url())

    few = _queries(client, small.get_absolute_url())
    with django_assert_num_queries(few):
        response = client.get(big.get_absolute_url())
    assert response.content.decode().count('class="coach-summary"') == 6


def test_coaches_page_lists_active_coaches_with_photo_or_initials(client, make_photo):
    casper = ServiceFactory(name="CASPer preparation")
    CoachFactory(display_name="Dr. Tom Whitfield", london=True, services=[casper])
    CoachFactory(display_name="Dr. Priya Raman", photo=make_photo())
    CoachFactory(display_name="Dr. Gone", inactive=True)

    html = client.get("/coaches/").content.decode()

    assert "Dr. Tom Whitfield" in html
    assert ">TW</span>" in html
    assert 'Based in London (UK) · <span class="nowrap">Europe/London</span>' in html
    assert "CASPer preparation" in html
    assert re.search(r'<img [^>]*class="avatar"', html)
    assert "Dr. Gone" not in html


def test_coaches_page_queries_do_not_grow_with_coaches(
    client, make_photo, django_assert_num_queries
):
    service = ServiceFactory()
    CoachFactory(services=[service], photo=make_photo())
    client.get("/coaches/")
    few = _queries(client, "/coaches/")
    for _ in range(8):
        CoachFactory(services=[service, ServiceFactory()], photo=make_photo())
    client.get("/coaches/")  # generate the new renditions
    with django_assert_num_queries(few):
        response = client.get("/coaches/")
    assert response.status_code == 200
    assert response.content.decode().count('class="card coach-card"') == 9


def test_coach_list_coach_page_and_package_page_show_photo_credentials_and_languages(
    client, make_photo
):
    service = ServiceFactory()
    package = PackageFactory(items=[(service, 1)])
    coach = CoachFactory(
        display_name="Dr. Priya Raman",
        credentials="MD, CCFP · Admissions interviewer",
        languages="English, French, Tamil",
        photo=make_photo(),
        services=[service],
    )

    for url in ("/coaches/", coach.get_absolute_url(), package.get_absolute_url()):
        html = client.get(url).content.decode()
        assert re.search(r'<img class="avatar" src="/media/images/[^"]+\.fill-320x320', html), url
        assert "MD, CCFP · Admissions interviewer" in html
        assert "Sessions in English, French and Tamil" in html


def test_coach_whose_photo_file_is_missing_shows_initials_never_a_broken_image(client, make_photo):
    photo = make_photo()
    photo.file.storage.delete(photo.file.name)
    coach = CoachFactory(display_name="Dr. Tom Whitfield", photo=photo)

    html = client.get(coach.get_absolute_url()).content.decode()

    assert "not-found" not in html
    assert '<img class="avatar"' not in html
    assert ">TW</span>" in html


def test_coach_page_shows_profile_services_and_packages(client):
    service = ServiceFactory(name="Mock interview: MMI")
    hidden = ServiceFactory(name="Retired service", inactive=True)
    package = PackageFactory(name="Interview Ready", items=0)
    PackageItemFactory(package=package, service=service)
    coach = CoachFactory(
        display_name="Dr. Tom Whitfield",
        headline="Internal medicine resident",
        bio="<p>Trained abroad.</p>",
        london=True,
        services=[service, hidden],
    )

    response = client.get(f"/coaches/{coach.slug}/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Internal medicine resident" in html
    assert "Trained abroad." in html
    assert "Based in London (UK)" in html
    assert "Mock interview: MMI" in html
    assert "Retired service" not in html
    assert "Interview Ready" in html


@pytest.mark.parametrize("slug", ["nobody", "inactive-coach"])
def test_coach_page_is_404_for_unknown_or_inactive_coaches(client, slug):
    CoachFactory(slug="inactive-coach", inactive=True)
    assert client.get(f"/coaches/{slug}/").status_code == 404
