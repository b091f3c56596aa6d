"""Staff tools in the Wagtail admin: a bookings list (read-only) and a page to cancel or move one.

Bookings are never edited through a generic model form: every change goes through
`booking.services` (with `by_staff=True`), so it is checked, recorded and emailed.
"""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from booking import admin_views
from booking.history import BookingAction
from booking.models import Booking
from core.history import register_actions
from core.spreadsheets import SafeCsvExportMixin
from core.timezones import in_active_zone


class BookingPermissionPolicy(ModelPermissionPolicy):
    """View only; changes go through the staff manage page, never a generic edit form."""

    def user_has_permission(self, user, action):
        if action in ("add", "change", "delete"):
            return False
        return super().user_has_permission(user, action)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action)


register_permission_policy(Booking, BookingPermissionPolicy(Booking))


class BookingIndexView(SafeCsvExportMixin, IndexView):
    pass


class BookingViewSet(ModelViewSet):
    model = Booking
    index_view_class = BookingIndexView
    icon = "date"
    menu_label = "Bookings"
    add_to_admin_menu = True
    menu_order = 250
    inspect_view_enabled = True
    # Required by ModelViewSet; the edit view is unreachable (the policy denies "change").
    form_fields = ["applicant_notes"]
    list_filter = ["status", "coach", "service"]
    search_fields = ["public_id", "applicant__email", "applicant__display_name"]
    list_export = ["public_id", "start", "end", "service", "coach", "applicant", "status"]
    export_filename = "bookings"
    ordering = ["-start"]
    inspect_view_fields = [
        "public_id",
        "status",
        "service",
        "coach",
        "applicant",
        "start",
        "end",
        "hold_expires_at",
        "credit",
        "applicant_notes",
        "sequence",
        "created_at",
    ]

    @property
    def list_display(self):
        return [
            TitleColumn(
                "start",
                label=in_active_zone("Start"),
                get_url=lambda booking: reverse("booking_staff_manage", args=[booking.public_id]),
            ),
            Column("service"),
            Column("coach"),
            Column("applicant"),
            Column("status", accessor="get_status_display"),
        ]


@hooks.register("register_admin_viewset")
def register_booking_viewset():
    return BookingViewSet("bookings")


@hooks.register("register_admin_urls")
def register_booking_staff_urls():
    return [
        path(
            "booking-staff/<str:public_id>/",
            admin_views.manage_booking,
            name="booking_staff_manage",
        ),
    ]


@hooks.register("register_log_actions")
def register_history_actions(actions):
    """What can happen to a booking, as actions of the one history (core.history)."""
    register_actions(actions, BookingAction)
