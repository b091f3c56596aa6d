"""The members' side of the Wagtail admin and of document serving.

Staff see every entitlement, grant one by hand and end one early, each with a reason. Rows
change only through members' services: nobody edits or deletes one in a form, so the record of
who granted or ended what, and why, stays whole.

Editors and staff keep the school guide and the question bank under "Members' area". Documents
in a gated collection are served only to people with its perk, through the private storage.
"""

import django_filters
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn
from wagtail.admin.views.generic import CreateView, IndexView, InspectView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from coaching.models import PerkKind
from core.errors import errors_shown_on
from core.history import register_actions, timeline
from core.timezones import in_active_zone
from members import selectors, services
from members.forms import EntitlementEndForm, EntitlementGrantForm
from members.gate import gate_open, perk_gate
from members.history import EntitlementAction
from members.models import Entitlement, Question, School


class EntitlementPolicy(ModelPermissionPolicy):
    def user_has_permission(self, user, action):
        if action in ("change", "delete"):
            return False
        return super().user_has_permission(user, action)


register_permission_policy(Entitlement, EntitlementPolicy(Entitlement))


class EntitlementFilterSet(WagtailFilterSet):
    perk = django_filters.ChoiceFilter(choices=PerkKind.choices, label="Perk")

    class Meta:
        model = Entitlement
        fields = []


class EntitlementIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("member")


class EntitlementCreateView(CreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        return services.entitlement_grant_by_staff(
            member=self.form.instance.member,
            perk=data["perk"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            actor=self.request.user,
            reason=data["grant_reason"],
        )

    def get_success_url(self):
        return self.object.get_admin_url()


class EntitlementInspectView(InspectView):
    template_name = "members/admin/entitlement_inspect.html"

    def can_end(self) -> bool:
        return (
            self.request.user.has_perm("members.end_entitlement")
            and self.object.ended_early_at is None
        )

    def get_context_data(self, end_form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            entitlement=self.object,
            history=timeline(self.object, staff=True),
            can_end=self.can_end(),
            end_form=end_form or (EntitlementEndForm() if self.can_end() else None),
        )
        return context

    def post(self, request, *args, **kwargs):
        if not request.user.has_perm("members.end_entitlement"):
            raise PermissionDenied
        form = EntitlementEndForm(request.POST)
        if form.is_valid():
            with errors_shown_on(form):
                services.entitlement_end(
                    entitlement=self.object, actor=request.user, reason=form.cleaned_data["reason"]
                )
                messages.success(request, f"Ended: {self.object}.")
                return redirect(request.path)
        return self.render_to_response(self.get_context_data(end_form=form), status=400)


class EntitlementViewSet(ModelViewSet):
    model = Entitlement
    icon = "key"
    menu_label = "Entitlements"
    menu_order = 260
    add_to_admin_menu = True
    inspect_view_enabled = True
    copy_view_enabled = False
    index_view_class = EntitlementIndexView
    add_view_class = EntitlementCreateView
    inspect_view_class = EntitlementInspectView
    form_fields = ["perk", "starts_at", "ends_at", "grant_reason"]
    list_display = [
        Column("member", label="Member", accessor="member"),
        Column("perk", label="Perk", accessor="get_perk_display"),
        DateColumn("starts_at", label=in_active_zone("Starts")),
        DateColumn("ends_at", label=in_active_zone("Ends")),
        Column("source_label", label="From"),
        DateColumn("ended_early_at", label=in_active_zone("Ended early")),
    ]
    filterset_class = EntitlementFilterSet
    search_fields = ["member__email", "member__display_name", "source", "grant_reason"]
    search_backend_name = None

    def get_form_class(self, for_update=False):
        return EntitlementGrantForm


entitlement_viewset = EntitlementViewSet("entitlement")


@hooks.register("register_admin_viewset")
def register_entitlement_viewset():
    return entitlement_viewset


# --- the school guide and the question bank ---------------------------------------------------


class SchoolViewSet(SnippetViewSet):
    model = School
    icon = "site"
    menu_label = "School guide"
    list_display = [
        "name",
        Column("province", label="Province", accessor="get_province_display"),
        Column("route", label="Route", accessor="get_route_display"),
        DateColumn("last_verified_on", label="Verified"),
        BooleanColumn("active"),
    ]
    list_filter = ["province", "active"]
    search_fields = ["name", "university", "city"]
    search_backend_name = None
    panels = [
        MultiFieldPanel(
            [
                FieldPanel("name"),
                FieldPanel("slug"),
                FieldPanel("university"),
                FieldRowPanel([FieldPanel("city"), FieldPanel("province")]),
                FieldPanel("website"),
                FieldPanel("active"),
            ],
            heading="School",
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("language"), FieldPanel("route")]),
                FieldPanel("program_years"),
                FieldPanel("admission_year"),
                FieldRowPanel([FieldPanel("casper_required"), FieldPanel("interview_format")]),
                FieldPanel("deadlines"),
                FieldPanel("out_of_province_notes"),
                FieldPanel("international_notes"),
                FieldPanel("last_verified_on"),
            ],
            heading="Admission facts (leave a fact empty until the school confirms it)",
        ),
    ]


class QuestionViewSet(SnippetViewSet):
    model = Question
    icon = "help"
    menu_label = "Question bank"
    list_display = [
        Column("text", label="Question", accessor="__str__"),
        Column("format", label="Format", accessor="get_format_display"),
        Column("category", label="Category", accessor="get_category_display"),
        BooleanColumn("active"),
    ]
    list_filter = ["format", "category", "active"]
    search_fields = ["text", "coach_note"]
    search_backend_name = None
    panels = [
        FieldPanel("text"),
        FieldRowPanel([FieldPanel("format"), FieldPanel("category")]),
        FieldPanel("coach_note"),
        FieldPanel("active"),
    ]


class MembersAreaViewSetGroup(SnippetViewSetGroup):
    items = (SchoolViewSet, QuestionViewSet)
    menu_icon = "group"
    menu_label = "Members' area"
    menu_name = "members-area"
    menu_order = 250


@hooks.register("register_admin_viewset")
def register_members_area_viewsets():
    return MembersAreaViewSetGroup()


# --- members' documents -----------------------------------------------------------------------


@hooks.register("before_serve_document")
def gate_members_document(document, request):
    """A document in a gated collection: the members' panel (403, a file) for anyone the gate
    does not let in and who does not manage the document either; otherwise Wagtail's serve view streams the file from the
    private storage (WAGTAILDOCS_SERVE_METHOD = "serve_view": nosniff, no public URL).

    Wagtail only takes an `HttpResponse` from this hook, not a streaming one, so the allowed
    case returns None and lets Wagtail stream, rather than `core.files.protected_download`."""
    perk = selectors.document_perk(document)
    if perk is None or gate_open(request, perk):
        return None
    editor = document.is_editable_by_user(request.user)  # asked only of those without the perk
    return perk_gate(request, perk, title=document.title, allow=editor, file=True)


@hooks.register("register_log_actions")
def register_history_actions(actions):
    """What can happen to an entitlement, as actions of the one history (core.history)."""
    register_actions(actions, EntitlementAction)
