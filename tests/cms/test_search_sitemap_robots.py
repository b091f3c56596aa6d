import pytest
from django.core.management import call_command
from django.test import TestCase

from medpath.cms.views import MAX_QUERY_LENGTH

from .factories import GuidancePageFactory


class TestSearchAndNotFoundOnDemoContent(TestCase):
    """Runs against the demo site, loaded once for the class."""

    @classmethod
    def setUpTestData(cls):
        call_command("load_demo", force=True, quiet_logins=True)

    def test_search_finds_a_demo_page(self):
        response = self.client.get("/search/", {"q": "return of service"})
        assert response.status_code == 200
        content = response.content.decode()
        assert '<a href="/ontario-img/return-of-service/">Return of service</a>' in content

    def test_search_looks_inside_the_body_blocks(self):
        content = self.client.get("/search/", {"q": "Queen Street"}).content.decode()
        assert "/ontario-img/healthforceontario-access-centre/" in content
        assert "1 page matches" in content

    def test_search_without_a_query_explains_what_to_type(self):
        for params in [{}, {"q": ""}, {"q": "   "}]:
            response = self.client.get("/search/", params)
            assert response.status_code == 200
            assert "Type a word or two" in response.content.decode()

    def test_search_with_no_matches_says_so(self):
        content = self.client.get("/search/", {"q": "xylophone"}).content.decode()
        assert "Nothing on MedPath matches “xylophone”." in content

    def test_junk_or_overlong_search_gets_a_clear_message_not_an_error(self):
        for query, message in [
            ("a" * (MAX_QUERY_LENGTH + 1), "Your search is too long"),
            ("%%% ??? ***", "Search with words or numbers"),
        ]:
            with self.subTest(query=query):
                response = self.client.get("/search/", {"q": query})
                assert response.status_code == 400
                assert message in response.content.decode()

    def test_undecodable_or_invisible_search_input_gets_a_message_not_an_error(self):
        for raw in ["q=%ED%A0%80", "q=%FF%FE", "q=%E2%80%8B"]:
            with self.subTest(raw=raw):
                response = self.client.get(f"/search/?{raw}")
                assert response.status_code == 400
                assert 'class="message message--error"' in response.content.decode()

    def test_unknown_or_malformed_page_paths_get_the_site_404_page(self):
        for path in [
            "/nope/",
            "/ontario-img/nope/",
            "/ontario-img/overview/%01x/",
            "/ontario-img/" + "a" * 300 + "/",
        ]:
            with self.subTest(path=path):
                response = self.client.get(path)
                assert response.status_code == 404
                assert "We couldn’t find that page" in response.content.decode()


@pytest.mark.django_db
def test_search_results_are_paginated_and_bad_page_numbers_are_harmless(client, section):
    for number in range(12):
        GuidancePageFactory(parent=section, title=f"Residency tip {number}", slug=f"tip-{number}")
    first = client.get("/search/", {"q": "residency"}).content.decode()
    assert "Page 1 of 2" in first
    assert first.count("Residency tip") == 10
    second = client.get("/search/", {"q": "residency", "page": "2"}).content.decode()
    assert second.count("Residency tip") == 2
    for junk in ["abc", "999", "-1"]:
        assert client.get("/search/", {"q": "residency", "page": junk}).status_code == 200


@pytest.mark.django_db
def test_search_leaves_out_drafts_and_private_pages(client, section):
    from wagtail.models import PageViewRestriction

    GuidancePageFactory(parent=section, title="Residency public")
    GuidancePageFactory(parent=section, title="Residency draft", draft=True)
    private = GuidancePageFactory(parent=section, title="Residency private")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    content = client.get("/search/", {"q": "residency"}).content.decode()
    assert "Residency public" in content
    assert "Residency draft" not in content
    assert "Residency private" not in content


@pytest.mark.django_db
def test_sitemap_lists_live_public_pages_only(client, section, guidance):
    from wagtail.models import PageViewRestriction

    draft = GuidancePageFactory(parent=section, slug="draft-only", draft=True)
    unpublished = GuidancePageFactory(parent=section, slug="was-live")
    unpublished.unpublish()
    private = GuidancePageFactory(parent=section, slug="members-only")
    PageViewRestriction.objects.create(page=private, restriction_type="login")

    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    content = response.content.decode()
    assert "<loc>http://testserver/</loc>" in content
    assert "<loc>http://testserver/img-pathways/return-of-service/</loc>" in content
    for page in [draft, unpublished, private]:
        assert page.slug not in content


def test_robots_txt_disallows_private_areas_and_points_at_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    for path in [
        "/admin/",
        "/django-admin/",
        "/accounts/",
        "/dashboard/",
        "/coach/",
        "/checkout/",
        "/api/",
    ]:
        assert f"Disallow: {path}" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Disallow: /" not in lines


@pytest.mark.django_db
def test_routing_refuses_control_characters_before_querying(
    section, guidance, rf, django_assert_num_queries
):
    """A NUL byte must never reach SQL: PostgreSQL rejects it with an error, not a miss."""
    from django.http import Http404

    assert section.get_children().exists()
    with django_assert_num_queries(0), pytest.raises(Http404):
        section.route(rf.get("/"), ["bad\x00slug"])
