"""Every gated page, document and list × the six people who may ask.

Members with the perk and staff get the content; anonymous visitors, applicants without a
package, members whose entitlement ended and members whose order was fully refunded get the
members-only panel (what it is, the packages that include it, a way in), never a 404 and never
a bare 403: pages answer 200 with it (a sales page), writes and documents 403.
"""

import html

import pytest

from coaching.models import Package
from core.money import format_money
from members.models import ShortlistEntry
from tests.members.area import (
    ALLOWED,
    BODY_SECRET,
    PDF,
    QuestionFactory,
    SchoolFactory,
)
from tests.payments.factories import BuyerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def guide(db):
    return [
        SchoolFactory(name="Queen's University", slug="queens"),
        SchoolFactory(name="McGill University", slug="mcgill", province="QC", route="direct"),
    ]


def text(response) -> str:
    return html.unescape(response.content.decode())


def assert_panel(response, persona_name):
    page = text(response)
    assert "Members only" in page
    assert "Complete membership" in page  # the package that includes the perk
    package = Package.objects.get(slug="all-perks")
    assert f"from {format_money(package.price_cents, package.currency)}<" in page  # its price
    assert "/packages/" in page
    assert ("Log in" in page) == (persona_name == "anonymous")


LISTS = [
    ("/members/schools/", "Queen's University"),
    ("/members/schools/compare/?school=queens&school=mcgill", "McGill University"),
    ("/members/schools/shortlist/", "My school shortlist"),
    ("/members/questions/", "Interview prompt"),
    ("/members/questions/random/", "Interview prompt"),
]


@pytest.mark.parametrize(("url", "content"), LISTS)
def test_members_lists(asker, persona_name, guide, url, content):
    QuestionFactory()
    response = asker.get(url)
    if persona_name in ALLOWED:
        assert response.status_code == 200
        assert content in text(response)
        assert "Members only" not in text(response)
    else:
        # The panel is the perk's sales page: a 200 search engines keep, with no members' data.
        assert response.status_code == 200
        page = text(response)
        assert content not in page
        assert_panel(response, persona_name)
        for secret in ("Queen's University", "McGill University", "Interview prompt", "OMSAS"):
            assert secret not in page, secret
        assert QuestionFactory._meta.model.objects.get().coach_note not in page


def test_panel_keeps_the_perk_name_as_written(client, guide):
    """The panel once lowercased the perk's name in a sentence ("the canadian md school guide")."""
    client.force_login(BuyerFactory(email="no-package@example.com"))
    page = text(client.get("/members/schools/"))
    assert "Your account does not include this right now." in page
    assert "canadian md" not in page


def test_shortlist_writes(asker, persona_name, guide):
    response = asker.post("/members/schools/queens/shortlist/")
    assert ShortlistEntry.objects.exists() == (persona_name in ALLOWED)
    if persona_name in ALLOWED:
        assert response.status_code == 302
    else:
        assert response.status_code == 403
        assert_panel(response, persona_name)


def test_resource_page_shows_its_teaser_to_all_and_its_body_to_members(
    asker, persona_name, resource
):
    response = asker.get(resource.url)
    page = text(response)
    assert response.status_code == 200
    assert "Planning your year" in page
    assert "A public summary of the resource." in page
    assert "Inside: what members will find." in page
    if persona_name in ALLOWED:
        assert BODY_SECRET in page
        assert "Members only" not in page
    else:
        assert BODY_SECRET not in page
        assert_panel(response, persona_name)


def test_library_index_lists_resources_for_all_and_offers_membership_to_others(
    asker, persona_name, resource
):
    response = asker.get("/members/")
    page = text(response)
    assert response.status_code == 200
    assert "Planning your year" in page
    assert BODY_SECRET not in page
    if persona_name in ALLOWED:
        assert "Open to you" in page
        assert "Members only" not in page
    else:
        assert_panel(response, persona_name)


def test_members_document(asker, persona_name, ebook):
    response = asker.get(ebook.url)
    if persona_name in ALLOWED:
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF
        assert response["X-Content-Type-Options"] == "nosniff"
    else:
        assert response.status_code == 403
        assert_panel(response, persona_name)
