"""A guidance page costs the same number of queries however much content and navigation it has."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from medpath.cms.models import FooterSettings, MainMenuItem, NavigationSettings
from tests.coaching.factories import PackageFactory

from .factories import GuidancePageFactory

# For a page four levels deep: site (1), routing (5), view restrictions (2), rich-text page
# links (2), CTA pages (1), breadcrumbs (1), siblings and children (2 each, with their
# view-restriction check), menu (2), footer (2), package cards with items and perks (3).
# Fixed, whatever the content.
MAX_QUERIES = 23


def body(blocks: int, link_page, packages=()):
    """`blocks` blocks of every kind, including page links in rich text and CTAs."""
    kinds = [{"type": "package", "value": package.pk} for package in packages] + [
        {"type": "heading", "value": "A heading"},
        {
            "type": "rich_text",
            "value": f'<p>See <a linktype="page" id="{link_page.pk}">this page</a>.</p>',
        },
        {"type": "callout", "value": {"tone": "info", "title": "Note", "text": "<p>Hi.</p>"}},
        {
            "type": "steps",
            "value": {
                "heading": "",
                "steps": [{"title": "Step", "meta": "Y1", "text": "<p>x</p>"}],
            },
        },
        {
            "type": "faq",
            "value": {"heading": "", "questions": [{"question": "Q?", "answer": "<p>A.</p>"}]},
        },
        {
            "type": "contact_card",
            "value": {
                "organisation": "Org",
                "address": "1 Road",
                "hours": "9 to 5",
                "phone_numbers": [{"label": "Main", "number": "416-555-0100", "extension": ""}],
                "email": "",
                "website": "",
            },
        },
        {
            "type": "call_to_action",
            "value": {
                "heading": "Read more",
                "text": "",
                "page": link_page.pk,
                "url": "",
                "button_label": "Go",
            },
        },
    ]
    return [kinds[i % len(kinds)] for i in range(blocks)]


def set_navigation(menu_items: int, footer_links: int, link_page):
    navigation = NavigationSettings.load()
    navigation.menu_items.all().delete()
    for order in range(menu_items):
        MainMenuItem.objects.create(
            navigation=navigation,
            sort_order=order,
            label=f"Link {order}",
            link_page=link_page if order % 2 else None,
            link_url="" if order % 2 else f"/somewhere-{order}/",
        )
    footer = FooterSettings.load()
    footer.columns = [
        {
            "type": "column",
            "value": {
                "heading": f"Column {column}",
                "links": [
                    {"label": f"Footer {n}", "page": link_page.pk, "url": ""}
                    for n in range(footer_links)
                ],
            },
        }
        for column in range(3)
    ]
    footer.save()


def count_queries(client, url) -> int:
    client.get(url)  # warm the per-process caches (site root paths) first
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_guidance_page_queries_do_not_grow_with_blocks_siblings_children_or_menus(
    client, section, guidance
):
    packages = PackageFactory.create_batch(4, items=3, perks=2)
    small = GuidancePageFactory(parent=section, slug="small", body=body(8, guidance, packages[:1]))
    GuidancePageFactory(parent=small, slug="only-child")
    set_navigation(menu_items=1, footer_links=1, link_page=guidance)
    few = count_queries(client, small.url)

    large = GuidancePageFactory(parent=section, slug="large", body=body(60, guidance, packages))
    for n in range(10):
        GuidancePageFactory(parent=section, slug=f"sibling-{n}")
        GuidancePageFactory(parent=large, slug=f"child-{n}")
    set_navigation(menu_items=12, footer_links=8, link_page=guidance)
    many = count_queries(client, large.url)
    assert many == few
    assert few == count_queries(client, small.url)
    assert few <= MAX_QUERIES


@pytest.mark.django_db
def test_section_and_home_queries_do_not_grow_with_their_children(client, home, section):
    GuidancePageFactory(parent=section, slug="one")
    section_few = count_queries(client, section.url)
    home_few = count_queries(client, home.url)
    for n in range(15):
        GuidancePageFactory(parent=section, slug=f"more-{n}")
    assert count_queries(client, section.url) == section_few
    assert count_queries(client, home.url) == home_few
