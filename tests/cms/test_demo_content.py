import pytest
from django.core.management import call_command
from django.test import TestCase
from wagtail.models import Page, Revision, Site

from medpath.cms.models import (
    FooterSettings,
    GuidanceIndexPage,
    GuidancePage,
    HomePage,
    NavigationSettings,
)


def load():
    call_command("load_demo", force=True, quiet_logins=True)


@pytest.mark.django_db
def test_demo_loader_is_idempotent():
    load()
    counts = (
        Page.objects.count(),
        Revision.objects.count(),
        NavigationSettings.load().menu_items.count(),
        len(FooterSettings.load().columns),
        Site.objects.count(),
    )
    load()
    assert (
        Page.objects.count(),
        Revision.objects.count(),
        NavigationSettings.load().menu_items.count(),
        len(FooterSettings.load().columns),
        Site.objects.count(),
    ) == counts


class TestDemoContent(TestCase):
    """The demo site, loaded once for the class."""

    @classmethod
    def setUpTestData(cls):
        load()

    def test_demo_home_page_replaces_the_wagtail_welcome_page_as_site_root(self):
        site = Site.objects.get(is_default_site=True)
        assert isinstance(site.root_page.specific, HomePage)
        assert site.site_name == "MedPath"
        assert not Page.objects.filter(title__startswith="Welcome to your new Wagtail").exists()
        assert Page.objects.filter(depth=2).count() == 1

    def test_demo_guidance_section_is_published_with_seo_fields(self):
        section = GuidanceIndexPage.objects.get(slug="ontario-img")
        pages = GuidancePage.objects.child_of(section)
        assert set(pages.values_list("slug", flat=True)) >= {
            "overview",
            "direct-registration-cpso",
            "carms-entry-level-residency",
            "advanced-positions-and-practice-ready-assessment",
            "return-of-service",
            "healthforceontario-access-centre",
        }
        for page in [HomePage.objects.get(), section, *pages]:
            assert page.live and not page.has_unpublished_changes, page
            assert page.seo_title and page.search_description, page
            assert self.client.get(page.url).status_code == 200, page.url

    def test_demo_access_centre_page_has_a_contact_card_without_email(self):
        url = "/ontario-img/healthforceontario-access-centre/"
        content = self.client.get(url).content.decode()
        card = content.split('class="contact-card"')[1].split("</section>")[0]
        assert '<a href="tel:+14168622200">416-862-2200</a>' in card
        assert "extension 4" in card
        assert "mailto:" not in card

    def test_demo_copy_says_its_facts_date_from_2020(self):
        content = self.client.get("/ontario-img/overview/").content.decode()
        assert "July 2020" in content
        assert "lorem" not in content.lower()

    def test_demo_seeds_the_menu_and_footer(self):
        content = self.client.get("/").content.decode()
        assert '<a href="/ontario-img/">Guidance</a>' in content
        assert '<a href="/packages/">Packages</a>' in content
        assert "hello@medpath.example" in content
