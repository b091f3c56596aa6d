"""Guidance pages (home, section index, guidance) and the editable navigation and footer."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.functional import SimpleLazyObject
from django.utils.html import strip_tags
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail import blocks
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    PageChooserPanel,
)
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from coaching.selectors import testimonials_for_home

from .blocks import GuidanceStreamBlock, LinkURLBlock, TableOfContents, validate_link_url
from .pages import MedPathPage

GUIDANCE_PAGE_TYPES = ["cms.GuidanceIndexPage", "cms.GuidancePage"]


class HomePage(MedPathPage):
    """The site root: a hero, featured guidance and a free-form body."""

    hero_heading = models.CharField(max_length=160)
    intro = models.TextField(help_text="One or two sentences under the heading.")
    hero_button_label = models.CharField(max_length=60, blank=True)
    hero_button_url = models.CharField(
        "hero button URL",
        max_length=500,
        blank=True,
        validators=[validate_link_url],
        help_text="A path on this site such as /packages/, or a full https:// address.",
    )
    featured_heading = models.CharField(max_length=160, default="Free guidance")
    body = StreamField(GuidanceStreamBlock(), blank=True)

    og_type = "website"
    max_count = 1
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["cms.GuidanceIndexPage", "cms.MembersLibraryPage", "cms.PolicyPage"]

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("hero_heading"),
                FieldPanel("intro"),
                FieldRowPanel([FieldPanel("hero_button_label"), FieldPanel("hero_button_url")]),
            ],
            heading="Hero",
        ),
        MultiFieldPanel(
            [
                FieldPanel("featured_heading"),
                InlinePanel("featured_pages", label="Featured guidance page", max_num=12),
            ],
            heading="Featured guidance",
        ),
        FieldPanel("body"),
    ]

    search_fields = [
        *Page.search_fields,
        index.SearchField("hero_heading"),
        index.SearchField("intro"),
        index.SearchField("body"),
    ]

    class Meta:
        verbose_name = "home page"

    def clean(self):
        super().clean()
        if bool(self.hero_button_label) != bool(self.hero_button_url):
            raise ValidationError(
                {"hero_button_url": "Give the hero button both a label and a URL, or neither."}
            )

    def get_fallback_description(self) -> str:
        return self.intro

    def get_featured_pages(self) -> list[Page]:
        """Live, public featured pages in editor order, fetched in one query per page type."""
        ids = [item.page_id for item in self.featured_pages.all() if item.page_id]
        pages = Page.objects.live().public().filter(id__in=ids).specific().in_bulk()
        return [pages[page_id] for page_id in ids if page_id in pages]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["featured"] = SimpleLazyObject(self.get_featured_pages)
        context["testimonials"] = SimpleLazyObject(testimonials_for_home)
        return context


class HomePageFeaturedPage(Orderable):
    home_page = ParentalKey(HomePage, on_delete=models.CASCADE, related_name="featured_pages")
    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="+", verbose_name="page"
    )

    panels = [PageChooserPanel("page", page_type=GUIDANCE_PAGE_TYPES)]


class GuidanceIndexPage(MedPathPage):
    """A guidance section: an introduction and a card for each page in it."""

    intro = RichTextField(features=["bold", "italic", "link", "ul", "ol"])
    body = StreamField(GuidanceStreamBlock(), blank=True)

    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.GuidancePage"]

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    class Meta:
        verbose_name = "guidance section"

    def get_fallback_description(self) -> str:
        return strip_tags(self.intro)

    def get_guidance_pages(self):
        return GuidancePage.objects.child_of(self).live().public().order_by("path")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["guidance_pages"] = SimpleLazyObject(lambda: list(self.get_guidance_pages()))
        return context


class GuidancePage(MedPathPage):
    """One guidance article, built from blocks, with an optional "last reviewed" date."""

    summary = models.TextField(
        max_length=400, help_text="Shown under the title and on the section's cards."
    )
    body = StreamField(GuidanceStreamBlock())
    last_reviewed = models.DateField(
        null=True,
        blank=True,
        help_text="When an editor last checked this page against its sources.",
    )

    parent_page_types = ["cms.GuidanceIndexPage", "cms.GuidancePage"]
    subpage_types = ["cms.GuidancePage"]

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("body"),
        FieldPanel("last_reviewed"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary", boost=1.5),
        index.SearchField("body"),
    ]

    class Meta:
        verbose_name = "guidance page"

    def get_fallback_description(self) -> str:
        return self.summary

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["table_of_contents"] = SimpleLazyObject(lambda: TableOfContents(self.body).entries)
        # `public()` reads the view restrictions at once: only when the content is rendered.
        context["section_pages"] = SimpleLazyObject(
            lambda: Page.objects.sibling_of(self, inclusive=True).live().public().order_by("path")
        )
        context["child_pages"] = SimpleLazyObject(
            lambda: GuidancePage.objects.child_of(self).live().public()
        )
        return context


# The policy pages (DESIGN.md's URL map: /terms/, /privacy/, /refunds/): children of the home
# page with these slugs; the sentence beside Pay and Buy links the terms and the refund policy.
POLICY_SLUGS = {"terms": "Terms of service", "privacy": "Privacy", "refunds": "Refund policy"}


class PolicyPage(MedPathPage):
    """A policy buyers agree to (terms of service, privacy, refunds): a title, the date it last
    changed and its text. Lives directly under the home page, at /terms/, /privacy/, /refunds/."""

    last_updated = models.DateField(
        help_text="When this policy last changed; shown under the title."
    )
    summary = models.TextField(
        max_length=400, blank=True, help_text="One or two sentences shown under the title."
    )
    body = RichTextField(
        features=["h2", "h3", "bold", "italic", "link", "ul", "ol"],
        help_text="The policy itself. Headings (h2, h3) divide it into parts.",
    )

    og_type = "website"
    parent_page_types = ["cms.HomePage"]
    subpage_types: list[str] = []

    content_panels = [
        *Page.content_panels,
        FieldPanel("last_updated"),
        FieldPanel("summary"),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
    ]

    class Meta:
        verbose_name = "policy page"

    def rich_text_sources(self) -> list:
        return [self.body]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["other_policies"] = SimpleLazyObject(
            lambda: (
                PolicyPage.objects.sibling_of(self, inclusive=False)
                .live()
                .public()
                .order_by("path")
            )
        )
        return context

    def get_fallback_description(self) -> str:
        return self.summary or strip_tags(self.body)


class LinkBlock(blocks.StructBlock):
    """A footer link: a page on the site or a URL (exactly one)."""

    label = blocks.CharBlock(max_length=60)
    page = blocks.PageChooserBlock(required=False)
    url = LinkURLBlock(required=False, label="URL")

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("page")) == bool(value.get("url")):
            message = "Choose a page or enter a URL (exactly one)."
            raise blocks.StructBlockValidationError(
                block_errors={"page": ValidationError(message), "url": ValidationError(message)}
            )
        return value


class FooterColumnBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=60)
    links = blocks.ListBlock(LinkBlock(), min_num=1)

    class Meta:
        icon = "list-ul"


@register_setting(icon="list-ul")
class NavigationSettings(ClusterableModel, BaseGenericSetting):
    """The main menu shown in the site header (log in / sign up links are added for you)."""

    panels = [InlinePanel("menu_items", label="Menu link", heading="Main menu", max_num=12)]

    class Meta:
        verbose_name = "navigation"


class MainMenuItem(Orderable):
    navigation = ParentalKey(
        NavigationSettings, on_delete=models.CASCADE, related_name="menu_items"
    )
    label = models.CharField(max_length=40)
    link_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="page",
    )
    link_url = models.CharField(
        "URL",
        max_length=500,
        blank=True,
        validators=[validate_link_url],
        help_text="Instead of a page: a path on this site such as /packages/, or https://…",
    )

    panels = [FieldPanel("label"), PageChooserPanel("link_page"), FieldPanel("link_url")]

    def clean(self):
        super().clean()
        if bool(self.link_page_id) == bool(self.link_url):
            message = "Choose a page or enter a URL (exactly one)."
            raise ValidationError({"link_page": message, "link_url": message})

    def __str__(self):
        return self.label


@register_setting(icon="doc-full")
class FooterSettings(BaseGenericSetting):
    """The site footer: a short about text, columns of links, a contact email, a legal line."""

    about_text = models.TextField(blank=True, max_length=500)
    contact_email = models.EmailField(blank=True)
    columns = StreamField([("column", FooterColumnBlock())], blank=True)
    legal_line = models.CharField(
        max_length=250, blank=True, help_text="Shown after the © year and site name."
    )

    panels = [
        FieldPanel("about_text"),
        FieldPanel("contact_email"),
        FieldPanel("columns"),
        FieldPanel("legal_line"),
    ]

    class Meta:
        verbose_name = "footer"


# The members' library pages and the private document model (their own module, same app).
from .members import MedPathDocument, MembersLibraryPage, MembersResourcePage  # noqa: E402,F401
