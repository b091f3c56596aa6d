import pytest
from django.urls import reverse
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from medpath.cms.models import GuidanceIndexPage, GuidancePage, HomePage

from .factories import GuidanceIndexPageFactory, GuidancePageFactory, HomePageFactory


class TestPageTree(WagtailPageTestCase):
    def test_home_page_sits_only_at_the_top_of_the_tree(self):
        self.assertCanCreateAt(Page, HomePage)
        self.assertCanNotCreateAt(HomePage, HomePage)
        self.assertCanNotCreateAt(GuidanceIndexPage, HomePage)
        self.assertCanNotCreateAt(GuidancePage, HomePage)

    def test_guidance_sections_live_under_the_home_page_only(self):
        self.assertCanCreateAt(HomePage, GuidanceIndexPage)
        self.assertCanNotCreateAt(Page, GuidanceIndexPage)
        self.assertCanNotCreateAt(GuidanceIndexPage, GuidanceIndexPage)
        self.assertCanNotCreateAt(GuidancePage, GuidanceIndexPage)

    def test_guidance_pages_live_in_a_section_or_under_another_guidance_page(self):
        self.assertCanCreateAt(GuidanceIndexPage, GuidancePage)
        self.assertCanCreateAt(GuidancePage, GuidancePage)
        self.assertCanNotCreateAt(HomePage, GuidancePage)
        self.assertCanNotCreateAt(Page, GuidancePage)

    def test_only_one_home_page_may_exist(self):
        root = Page.get_first_root_node()
        assert HomePage.can_create_at(root)
        HomePageFactory(parent=root)
        assert not HomePage.can_create_at(root)


class TestPagesRenderEditAndPreview(WagtailPageTestCase):
    """Every page type renders for visitors, opens in the editor and renders in preview."""

    @classmethod
    def setUpTestData(cls):
        cls.home = HomePageFactory(slug="medpath-home")
        from wagtail.models import Site

        # save(), not update(): Wagtail clears its cached site root paths on the save signal.
        site = Site.objects.get(is_default_site=True)
        site.root_page, site.hostname = cls.home, "testserver"
        site.save()
        cls.section = GuidanceIndexPageFactory(parent=cls.home, slug="img")
        cls.guidance = GuidancePageFactory(parent=cls.section, slug="carms")
        cls.nested = GuidancePageFactory(parent=cls.guidance, slug="cehpea")

    def test_each_page_type_renders(self):
        for page in [self.home, self.section, self.guidance, self.nested]:
            self.assertPageIsRenderable(page)

    def _form_data(self, page):
        common = {"title": page.title, "slug": page.slug, "seo_title": "", "search_description": ""}
        body = streamfield(
            [
                ("heading", "Who can apply"),
                (
                    "callout",
                    {
                        "tone": "warning",
                        "title": "Check current rules",
                        "text": rich_text("<p>Rules change.</p>"),
                    },
                ),
            ]
        )
        if isinstance(page, HomePage):
            fields = {
                "hero_heading": "Your route into Canadian medicine",
                "intro": "Guidance and coaching.",
                "hero_button_label": "",
                "hero_button_url": "",
                "featured_heading": "Free guidance",
                "featured_pages": inline_formset([{"page": self.guidance.pk}]),
                "body": body,
            }
        elif isinstance(page, GuidanceIndexPage):
            fields = {"intro": rich_text("<p>Routes to practice.</p>"), "body": body}
        else:
            fields = {"summary": "A summary.", "body": body, "last_reviewed": "2026-10-01"}
        return nested_form_data({**common, **fields})

    def test_each_page_type_is_editable_and_previewable(self):
        for page in [self.home, self.section, self.guidance]:
            data = self._form_data(page)
            self.assertPageIsEditable(page, post_data=data)
            self.assertPageIsPreviewable(page, post_data=data)

    def test_preview_renders_the_unsaved_draft(self):
        self.login()
        url = reverse("wagtailadmin_pages:preview_on_edit", args=[self.guidance.pk])
        response = self.client.post(url, self._form_data(self.guidance))
        assert response.json() == {"is_valid": True, "is_available": True}
        preview = self.client.get(url).content.decode()
        assert "Check current rules" in preview
        assert 'class="callout callout--warning"' in preview


@pytest.mark.django_db
def test_pages_are_served_at_their_tree_urls(client, guidance, section, home):
    nested = GuidancePageFactory(parent=guidance, slug="ros-faq", title="Return of service FAQ")
    for page in [home, section, guidance, nested]:
        response = client.get(page.url)
        assert response.status_code == 200, page.url
        assert page.title.encode() in response.content
    assert nested.url == "/img-pathways/return-of-service/ros-faq/"


@pytest.mark.django_db
def test_a_draft_page_is_not_served(client, section):
    draft = GuidancePageFactory(parent=section, slug="draft-page", draft=True)
    assert client.get("/img-pathways/draft-page/").status_code == 404
    assert not draft.live


@pytest.mark.django_db
def test_section_lists_its_live_children_with_their_summaries(client, section):
    GuidancePageFactory(parent=section, title="CaRMS", summary="The national residency match.")
    GuidancePageFactory(parent=section, title="Hidden draft", draft=True)
    content = client.get(section.url).content.decode()
    assert "CaRMS" in content
    assert "The national residency match." in content
    assert "Hidden draft" not in content


@pytest.mark.django_db
def test_guidance_page_shows_breadcrumbs_and_on_this_page_links(client, section):
    page = GuidancePageFactory(
        parent=section,
        title="CaRMS",
        body=[
            {"type": "heading", "value": "Who can apply"},
            {"type": "rich_text", "value": "<p>Citizens and permanent residents.</p>"},
        ],
    )
    content = client.get(page.url).content.decode()
    assert '<nav class="breadcrumbs" aria-label="Breadcrumb">' in content
    assert '<a href="/">Home</a>' in content
    assert f'<a href="{section.url}">{section.title}</a>' in content
    assert '<h2 id="section-who-can-apply">Who can apply</h2>' in content
    assert '<a href="#section-who-can-apply">Who can apply</a>' in content


@pytest.mark.django_db
def test_home_page_shows_featured_pages_in_editor_order_and_skips_drafts(client, home, section):
    from medpath.cms.models import HomePageFeaturedPage

    first = GuidancePageFactory(parent=section, title="Zeta first")
    second = GuidancePageFactory(parent=section, title="Alpha second")
    draft = GuidancePageFactory(parent=section, title="Unpublished", draft=True)
    for order, page in enumerate([first, second, draft]):
        HomePageFeaturedPage.objects.create(home_page=home, page=page, sort_order=order)
    content = client.get("/").content.decode()
    assert content.index("Zeta first") < content.index("Alpha second")
    assert "Unpublished" not in content
