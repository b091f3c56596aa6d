"""Staff manage webinars in the Wagtail admin: set one up, change or move it, cancel it, export
its attendees as CSV.

Every change goes through `webinars.services` (a move emails every attendee an updated
invite, a cancellation a METHOD:CANCEL one); nothing is deleted. Hosts' own pages (attendees,
attendance, recording) are on the site at /webinars/host/.
"""

from __future__ import annotations

import zoneinfo
from datetime import UTC

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic import CreateView, EditView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from core.duties import can_handle_coaching
from core.errors import DomainError, errors_shown_on
from core.history import register_actions, timelines
from core.spreadsheets import csv_response
from core.timezones import in_active_zone
from webinars import selectors as selectors
from webinars import services as services
from webinars.forms import CancelWebinarForm, WebinarAdminForm
from webinars.history import RegistrationAction
from webinars.models import Webinar


class WebinarPermissionPolicy(ModelPermissionPolicy):
    """Never deleted: a webinar is cancelled, keeping its registrations and their history."""

    def user_has_permission(self, user, action):
        if action == "delete":
            return False
        return super().user_has_permission(user, action)


register_permission_policy(Webinar, WebinarPermissionPolicy(Webinar))


def _details(form) -> dict:
    data = form.cleaned_data
    return {name: data[name] for name in services.DETAIL_FIELDS}


class ServiceFormMixin:
    """Turn a domain error from the service into a form error on the same page."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except DomainError as error:
            form.add_error(None, error.message)
            self.produced_error_message = error.message
            return self.form_invalid(form)

    def get_success_url(self):
        return reverse("webinar_staff_manage", args=[self.object.public_id])


class WebinarCreateView(ServiceFormMixin, CreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        return services.webinar_create(
            actor=self.request.user,
            start=data["start"],
            end=data["end"],
            co_hosts=data["co_hosts"],
            **_details(self.form),
        )


class WebinarEditView(ServiceFormMixin, EditView):
    def save_instance(self):
        data = self.form.cleaned_data
        return services.webinar_update(
            webinar=Webinar.objects.get(pk=self.object.pk),
            actor=self.request.user,
            start=data["start"],
            end=data["end"],
            co_hosts=data["co_hosts"],
            **_details(self.form),
        )


class WebinarViewSet(ModelViewSet):
    model = Webinar
    icon = "group"
    menu_label = "Webinars"
    menu_order = 255
    add_to_admin_menu = True
    copy_view_enabled = False
    add_view_class = WebinarCreateView
    edit_view_class = WebinarEditView
    list_filter = ["status", "audience", "host"]
    search_fields = ["title", "public_id"]
    search_backend_name = None
    ordering = ["-start"]

    @property
    def list_display(self):
        return [
            TitleColumn(
                "title",
                label="Webinar",
                get_url=lambda webinar: reverse("webinar_staff_manage", args=[webinar.public_id]),
            ),
            Column("start", label=in_active_zone("Start")),
            Column("host"),
            Column("seats_taken", label="Seats taken"),
            Column("capacity"),
            Column("status", accessor="get_status_display"),
        ]

    def get_form_class(self, for_update=False):
        return WebinarAdminForm


webinar_viewset = WebinarViewSet("webinars_admin")


def _staff_webinar(request, public_id: str) -> Webinar:
    if not can_handle_coaching(request.user):
        raise PermissionDenied
    webinar = selectors.webinar_by_public_id(public_id)
    if webinar is None:
        raise Http404("No such webinar.")
    return webinar


def manage_webinar(request, public_id: str):
    """A webinar's staff page: its facts, attendees, the CSV export and the cancel form."""
    webinar = _staff_webinar(request, public_id)
    form = CancelWebinarForm()
    if request.method == "POST":
        form = CancelWebinarForm(request.POST)
        if form.is_valid():
            with errors_shown_on(form):
                services.webinar_cancel(
                    webinar=webinar, actor=request.user, reason=form.cleaned_data["reason"]
                )
                messages.success(request, "Webinar cancelled; everyone registered is emailed.")
                return redirect("webinar_staff_manage", public_id=webinar.public_id)
    registrations = list(selectors.attendees(webinar))
    history = timelines(registrations, staff=True)
    return TemplateResponse(
        request,
        "webinars/admin/webinar_manage.html",
        {
            "webinar": webinar,
            "host_zone": zoneinfo.ZoneInfo(webinar.host.time_zone).key,
            "registrations": [(row, history.get(row.pk, [])) for row in registrations],
            "cancel_form": form,
            "can_cancel": not webinar.is_cancelled and not webinar.has_ended(),
            "header_title": f"Webinar: {webinar.title}",
        },
        status=400 if form.errors else 200,
    )


def export_attendees(request, public_id: str):
    webinar = _staff_webinar(request, public_id)
    rows = [
        (
            row.member.display_name,
            row.member.email,
            row.member.time_zone,
            row.get_status_display(),
            _utc(row.registered_at),
            _utc(row.waitlisted_at),
            _utc(row.cancelled_at),
            {None: "", True: "yes", False: "no"}[row.attended],
        )
        for row in selectors.attendees(webinar)
    ]
    return csv_response(
        filename=f"webinar-{webinar.public_id}-attendees.csv",
        header=[
            "Name",
            "Email",
            "Time zone",
            "Status",
            "Registered (UTC)",
            "Waitlisted (UTC)",
            "Cancelled (UTC)",
            "Attended",
        ],
        rows=rows,
    )


def _utc(moment) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M") if moment else ""


@hooks.register("register_admin_viewset")
def register_webinar_viewset():
    return webinar_viewset


@hooks.register("register_admin_urls")
def register_webinar_staff_urls():
    return [
        path("webinar-staff/<str:public_id>/", manage_webinar, name="webinar_staff_manage"),
        path(
            "webinar-staff/<str:public_id>/attendees.csv",
            export_attendees,
            name="webinar_staff_export",
        ),
    ]


@hooks.register("register_log_actions")
def register_history_actions(actions):
    """What can happen to a webinar registration, as actions of the one history (core.history)."""
    register_actions(actions, RegistrationAction)
