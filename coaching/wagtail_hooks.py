"""The catalogue in the Wagtail admin: services, packages and coaches under one “Catalogue” menu."""

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import quote
from django.db import router
from django.db.models.deletion import Collector, ProtectedError, RestrictedError
from django.shortcuts import redirect
from wagtail import hooks
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from coaching.forms import CoachAdminForm, PackageAdminForm, ServiceAdminForm
from coaching.models import Coach, Package, Service, Testimonial
from core.money import format_money

CATALOGUE_MODELS = (Service, Package, Coach)


class ServiceViewSet(SnippetViewSet):
    model = Service
    icon = "calendar-alt"
    menu_label = "Services"
    menu_order = 100
    list_display = [
        "name",
        Column("kind", label="Kind", accessor="get_kind_display", sort_key="kind"),
        Column("length_label", label="Length"),
        Column(
            "single_price",
            label="On its own",
            accessor=lambda service: (
                format_money(service.single_price_cents, service.currency)
                if service.single_price_cents
                else ""
            ),
            sort_key="single_price_cents",
        ),
        BooleanColumn("active", sort_key="active"),
    ]
    list_filter = ["active", "kind"]
    search_fields = ["name", "slug", "short_description"]
    search_backend_name = None
    ordering = ["sort_order", "name"]
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [
                    FieldPanel("name"),
                    FieldPanel("slug"),
                    FieldPanel("kind"),
                    FieldRowPanel([FieldPanel("duration_minutes"), FieldPanel("turnaround_days")]),
                    FieldPanel("cancellation_notice_hours"),
                ],
                heading="Service",
            ),
            MultiFieldPanel(
                [FieldPanel("short_description"), FieldPanel("description")],
                heading="What the session covers",
            ),
            MultiFieldPanel(
                [FieldPanel("single_price"), FieldPanel("active"), FieldPanel("sort_order")],
                heading="Sale",
            ),
        ],
        base_form_class=ServiceAdminForm,
    )


class PackageViewSet(SnippetViewSet):
    model = Package
    icon = "tag"
    menu_label = "Packages"
    menu_order = 200
    list_display = [
        "name",
        Column(
            "price",
            label="Price",
            accessor=lambda package: format_money(package.price_cents, package.currency),
            sort_key="price_cents",
        ),
        Column("validity_months", label="Valid (months)", sort_key="validity_months"),
        BooleanColumn("is_most_popular", label="Most popular", sort_key="is_most_popular"),
        BooleanColumn("active", sort_key="active"),
        Column("sort_order", label="Order", sort_key="sort_order"),
    ]
    list_filter = ["active", "is_most_popular", "taxable"]
    search_fields = ["name", "slug", "summary"]
    search_backend_name = None
    ordering = ["sort_order", "price_cents"]
    edit_handler = TabbedInterface(
        [
            ObjectList(
                [
                    FieldPanel("name"),
                    FieldPanel("slug"),
                    FieldPanel("summary"),
                    FieldRowPanel([FieldPanel("price"), FieldPanel("taxable")]),
                    FieldRowPanel([FieldPanel("validity_months"), FieldPanel("sort_order")]),
                    FieldRowPanel([FieldPanel("is_most_popular"), FieldPanel("active")]),
                    InlinePanel(
                        "items",
                        heading="Sessions and reviews",
                        label="Item",
                        min_num=1,
                        max_num=20,
                        panels=[FieldPanel("service"), FieldPanel("quantity")],
                    ),
                    InlinePanel(
                        "perks",
                        heading="Also included",
                        label="Perk",
                        max_num=12,
                        panels=[FieldPanel("kind"), FieldPanel("text")],
                    ),
                ],
                heading="Package",
            ),
            ObjectList(
                [
                    FieldPanel("description"),
                    InlinePanel(
                        "faqs",
                        heading="Questions and answers",
                        label="Question",
                        max_num=30,
                        help_text="Shown on the package page before the general questions "
                        "(validity, tax, booking, cancellation), which are written for you.",
                        panels=[FieldPanel("question"), FieldPanel("answer")],
                    ),
                ],
                heading="Package page",
            ),
        ],
        base_form_class=PackageAdminForm,
    )


class CoachViewSet(SnippetViewSet):
    model = Coach
    icon = "user"
    menu_label = "Coaches"
    menu_order = 300
    list_display = [
        "display_name",
        "headline",
        Column("time_zone", label="Time zone", sort_key="time_zone"),
        BooleanColumn("active", sort_key="active"),
    ]
    list_filter = ["active", "services"]
    search_fields = ["display_name", "slug", "headline", "user__email"]
    search_backend_name = None
    ordering = ["sort_order", "display_name"]
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [
                    FieldPanel("display_name"),
                    FieldPanel("slug"),
                    FieldPanel("user"),
                    FieldPanel("headline"),
                    FieldPanel("credentials"),
                    FieldPanel("languages"),
                    FieldPanel("photo"),
                    FieldPanel("bio"),
                ],
                heading="Profile",
            ),
            MultiFieldPanel(
                [FieldPanel("location"), FieldPanel("time_zone"), FieldPanel("meeting_url")],
                heading="Where and how they meet applicants",
            ),
            FieldPanel("services", widget=forms.CheckboxSelectMultiple),
            FieldRowPanel(
                [FieldPanel("active"), FieldPanel("sort_order"), FieldPanel("max_open_items")]
            ),
        ],
        base_form_class=CoachAdminForm,
    )


class TestimonialViewSet(SnippetViewSet):
    model = Testimonial
    icon = "openquote"
    menu_label = "Testimonials"
    menu_order = 400
    list_display = [
        "name",
        "context",
        Column("package", label="Package", accessor=lambda t: t.package or "All pages"),
        BooleanColumn("active", sort_key="active"),
        "sort_order",
    ]
    list_filter = ["active", "package"]
    search_fields = ["quote", "name", "context"]
    search_backend_name = None
    ordering = ["sort_order", "pk"]
    panels = [
        FieldPanel("quote"),
        FieldRowPanel([FieldPanel("name"), FieldPanel("context")]),
        FieldPanel("package"),
        FieldRowPanel([FieldPanel("active"), FieldPanel("sort_order")]),
    ]


class CatalogueViewSetGroup(SnippetViewSetGroup):
    menu_label = "Catalogue"
    menu_icon = "folder-open-inverse"
    menu_order = 250
    items = (ServiceViewSet, PackageViewSet, CoachViewSet, TestimonialViewSet)


@hooks.register("register_admin_viewset")
def register_catalogue_viewsets():
    return CatalogueViewSetGroup()


@hooks.register("before_delete_snippet")
def refuse_to_delete_what_is_in_use(request, instances):
    """Catalogue rows that orders, credits, bookings or packages point at are never deleted.

    Foreign keys into the catalogue are PROTECT; ask Django's deletion collector first, so the
    editor gets a message instead of an error page (single and bulk delete alike).
    """
    instances = [obj for obj in instances if isinstance(obj, CATALOGUE_MODELS)]
    blocked = {}  # instance -> verbose names of what refers to it
    for obj in instances:
        referrers = _protected_referrers(obj)
        if referrers:
            blocked[obj] = referrers
    if not blocked:
        return None
    names = ", ".join(f"“{obj}”" for obj in blocked)
    kinds = ", ".join(sorted(set().union(*blocked.values())))
    pronoun = "it" if len(blocked) == 1 else "them"
    nothing = "Nothing was deleted: " if len(instances) > 1 else ""
    messages.error(
        request,
        f"{nothing}{names} cannot be deleted because {kinds} still refer to {pronoun}. "
        "Untick “Active” instead: it disappears from sale and everything already sold "
        "keeps working.",
    )
    viewset = instances[0].snippet_viewset
    if len(instances) == 1:
        return redirect(viewset.get_url_name("edit"), quote(instances[0].pk))
    return redirect(viewset.get_url_name("list"))


def _protected_referrers(obj) -> set[str]:
    collector = Collector(using=router.db_for_write(type(obj)))
    try:
        collector.collect([obj])
    except ProtectedError as error:
        return {str(ref._meta.verbose_name_plural) for ref in error.protected_objects}
    except RestrictedError as error:
        return {str(ref._meta.verbose_name_plural) for ref in error.restricted_objects}
    return set()
