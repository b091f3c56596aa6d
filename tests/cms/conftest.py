import pytest
from wagtail.models import Page, Site

from .factories import GuidanceIndexPageFactory, GuidancePageFactory, HomePageFactory


@pytest.fixture
def home(db):
    """A MedPath home page serving as the default site's root."""
    page = HomePageFactory(slug="medpath-home")
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "testserver", "port": 80, "root_page": page, "site_name": "MedPath"},
    )
    Page.objects.filter(depth=2).exclude(pk=page.pk).delete()
    return page


@pytest.fixture
def section(home):
    return GuidanceIndexPageFactory(parent=home, title="IMG pathways", slug="img-pathways")


@pytest.fixture
def guidance(section):
    return GuidancePageFactory(
        parent=section,
        title="Return of service",
        slug="return-of-service",
        seo_title="Return of service for IMGs",
        search_description="Five years of full-time practice in an eligible community.",
    )
