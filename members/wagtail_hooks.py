"""Staff see every entitlement, grant one by hand and end one early, each with a reason.

Rows change only through members' services: nobody edits or deletes one in a form, so the
record of who granted or ended what, and why, stays whole.
"""

import django_filters
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic import CreateView, IndexView, InspectView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from coaching.models import PerkKind
from core.errors import DomainError
from members import services
from members.forms import EntitlementEndForm, EntitlementGrantForm
from members.models import Entitlement


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
            can_end=self.can_end(),
            end_form=end_form or (EntitlementEndForm() if self.can_end() else None),
        )
        return context

    def post(self, request, *args, **kwargs):
        if not request.user.has_perm("members.end_entitlement"):
            raise PermissionDenied
        form = EntitlementEndForm(request.POST)
        if form.is_valid():
            try:
                services.entitlement_end(
                    entitlement=self.object, actor=request.user, reason=form.cleaned_data["reason"]
                )
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
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
        DateColumn("starts_at", label="Starts"),
        DateColumn("ends_at", label="Ends"),
        Column("source_label", label="From"),
        DateColumn("ended_early_at", label="Ended early"),
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


from members import webinar_admin  # noqa: E402, F401  (webinars' admin viewset and staff pages)
