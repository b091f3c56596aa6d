"""The members' library in the CMS: search never shows a gated body, constant queries on the
index, rules on where library pages live, the download and video blocks."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from coaching.models import PerkKind
from medpath.cms.member_blocks import VideoBlock
from tests.members.area import BODY_SECRET, ResourcePageFactory, grant_all
from tests.payments.factories import BuyerFactory

pytestmark = pytest.mark.django_db


def test_search_finds_title_and_summary_but_never_the_body(client, resource):
    by_summary = client.get("/search/?q=public+summary")
    assert [page.pk for page in by_summary.context["results"]] == [resource.pk]
    assert BODY_SECRET not in by_summary.content.decode()
    assert list(client.get("/search/?q=Zanzibarian").context["results"]) == []


def test_search_never_shows_a_gated_body_to_members_either(client, resource):
    member = BuyerFactory(email="searcher@example.com")
    grant_all(member)
    client.force_login(member)
    assert list(client.get("/search/?q=Zanzibarian").context["results"]) == []


def test_gated_pages_stay_in_the_sitemap(client, resource):
    assert resource.url in client.get("/sitemap.xml").content.decode()


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("who", ["anonymous", "member"])
def test_library_index_queries_do_not_grow_with_resources(client, library, who):
    if who == "member":
        member = BuyerFactory(email="reader@example.com")
        grant_all(member)
        client.force_login(member)
    for n in range(2):
        ResourcePageFactory(parent=library, perk=PerkKind.values[n])
    client.get("/members/")
    two = _queries(client, "/members/")
    for n in range(6):
        ResourcePageFactory(parent=library, perk=PerkKind.values[n % 3])
    client.get("/members/")  # publishing purged the cached menu and footer: warm them again
    assert _queries(client, "/members/") == two


def test_library_keeps_its_address(library):
    library.slug = "library"
    with pytest.raises(ValidationError):
        library.full_clean()


def test_a_resource_may_not_take_the_apps_addresses(library):
    page = ResourcePageFactory.build(slug="schools", title="Schools")
    with pytest.raises(ValidationError):
        page.clean()


def test_editors_preview_shows_the_body(rf, resource):
    from django.contrib.auth.models import AnonymousUser

    request = rf.get(resource.url)
    request.user = AnonymousUser()
    assert resource.get_context(request)["can_read"] is False
    request.is_preview = True  # set by Wagtail's preview views, reachable only in the admin
    assert resource.get_context(request)["can_read"] is True


def test_video_block_needs_a_file_or_a_link_exactly_one():
    block = VideoBlock()
    with pytest.raises(ValidationError):
        block.clean({"title": "Intro", "video": None, "external_url": "", "caption": ""})


def test_video_link_is_a_link_never_an_embed():
    block = VideoBlock()
    value = block.to_python(
        {"title": "Intro", "video": None, "external_url": "https://videos.example/x", "caption": ""}
    )
    rendered = block.render(value)
    assert 'href="https://videos.example/x"' in rendered
    assert "<iframe" not in rendered
    assert "<video" not in rendered
