"""The members' library in the page tree, and the document model that keeps files private.

Anyone sees a resource's title, summary and teaser (so it stays in search results and the
sitemap); its body and downloads are for people the members' gate (`members.gate`) lets use
the resource's perk, and everyone else gets the gate's panel in the body's place, with the
gate's status. Site search indexes the title and summary only, never the body.
"""

from django.core.exceptions import ValidationError
from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.documents.models import AbstractDocument, Document
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from coaching.models import PerkKind
from core.files import private_storage
from members.gate import gate_open, panel_status, perk_panel

from .member_blocks import MembersStreamBlock
from .pages import MedPathPage

LIBRARY_SLUG = "members"  # the index answers at /members/, where the dashboard links
RESERVED_SLUGS = {"schools", "questions"}  # /members/schools/ and /members/questions/ are apps


class MedPathDocument(AbstractDocument):
    """Wagtail's document, stored in the private storage and served only through the
    permission-checked view (WAGTAILDOCS_SERVE_METHOD = "serve_view")."""

    file = models.FileField(storage=private_storage, upload_to="documents", verbose_name="file")

    admin_form_fields = Document.admin_form_fields

    class Meta(AbstractDocument.Meta):
        verbose_name = "document"
        verbose_name_plural = "documents"


class PerkGatedPage(MedPathPage):
    """A page with a public part and a members' part gated on `gated_perk`: `panel` in the
    context (None when the members' part shows), and the gate's status when it does not."""

    class Meta:
        abstract = True

    def gated_perk(self) -> str:
        """The perk the members' part needs: each concrete page says which (the library its
        own perk, a resource the perk chosen by its editor); the abstract page has none."""
        raise NotImplementedError(f"{type(self).__name__} must say which perk gates it")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["panel"] = perk_panel(request, self.gated_perk())
        return context

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        if (getattr(response, "context_data", None) or {}).get("panel") is not None:
            response.status_code = panel_status(request)
        return response


class MembersLibraryPage(PerkGatedPage):
    """The members' library at /members/: a card for each resource, open or locked."""

    intro = RichTextField(features=["bold", "italic", "link", "ul", "ol"])

    max_count = 1
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.MembersResourcePage"]
    content_shows_full_path = True  # the members' panel logs in and comes back here
    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    class Meta:
        verbose_name = "members' library"

    def clean(self):
        super().clean()
        if self.slug != LIBRARY_SLUG:
            raise ValidationError(
                {
                    "slug": f"The members' library lives at /{LIBRARY_SLUG}/: keep the slug "
                    f"“{LIBRARY_SLUG}”."
                }
            )

    def get_resources(self):
        return MembersResourcePage.objects.child_of(self).live().public().order_by("path")

    def gated_perk(self) -> str:
        return PerkKind.RESOURCE_LIBRARY

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        resources = list(self.get_resources())
        for resource in resources:
            resource.unlocked = gate_open(request, resource.perk)
        context["resources"] = resources
        return context


class MembersResourcePage(PerkGatedPage):
    """One members' resource: a public teaser, a body and downloads for members."""

    perk = models.CharField(
        max_length=32,
        choices=PerkKind.choices,
        default=PerkKind.RESOURCE_LIBRARY,
        help_text="Who may read the body: members whose package includes this.",
    )
    summary = models.TextField(
        max_length=400, help_text="Shown to everyone, in search results and on the library."
    )
    teaser = RichTextField(
        features=["bold", "italic", "ul", "ol"],
        help_text="Shown to everyone above the members' part: what they will find inside.",
    )
    body = StreamField(MembersStreamBlock(), help_text="For members only.")

    parent_page_types = ["cms.MembersLibraryPage"]
    subpage_types = []
    content_shows_full_path = True  # the members' panel logs in and comes back here
    content_panels = [
        *Page.content_panels,
        FieldPanel("perk"),
        FieldPanel("summary"),
        FieldPanel("teaser"),
        FieldPanel("body"),
    ]
    # Title and summary only: the body must never surface in search results.
    search_fields = [*Page.search_fields, index.SearchField("summary", boost=1.5)]

    class Meta:
        verbose_name = "members' resource"

    def clean(self):
        super().clean()
        if self.slug in RESERVED_SLUGS:
            raise ValidationError({"slug": f"“{self.slug}” is taken by the members' area."})

    def get_fallback_description(self) -> str:
        return self.summary

    def rich_text_sources(self) -> list:
        return [list(self.body.raw_data), self.teaser]

    def gated_perk(self) -> str:
        return self.perk

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["can_read"] = context["panel"] is None
        return context
