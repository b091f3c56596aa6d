"""Staff views in the Wagtail admin: every review (overdue ones filtered in a click), a review's
page with its timeline and the reassign form, and the turnaround report per coach.

Reviews change only through `reviews.services`; the admin form cannot edit them. Reassigning
needs the "reassign review" permission; seeing reviews needs "view review" (staff, not editors).
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn
from wagtail.admin.views.generic import InspectView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from coaching.models import Coach
from core import workdays
from core.admin_policies import ReadOnlyModelPolicy
from core.duties import can_handle_coaching
from core.errors import errors_shown_on
from core.history import register_actions, timeline
from core.timezones import in_active_zone
from reviews import selectors, services
from reviews.history import ReviewAction
from reviews.models import WAITING, Review, ReviewStatus

REPORT_DAYS = 90


# Reviews change only through their services (never in an admin form).
register_permission_policy(Review, ReadOnlyModelPolicy(Review))


class ReviewFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(choices=ReviewStatus.choices, label="Status")
    overdue = django_filters.BooleanFilter(label="Overdue", method="filter_overdue")
    reviewer = django_filters.ModelChoiceFilter(queryset=Coach.objects.all(), label="Reviewer")

    class Meta:
        model = Review
        fields = []

    def filter_overdue(self, queryset, name, value):
        now = timezone.now()
        late = queryset.filter(status__in=WAITING, due_at__lt=now)
        return late if value else queryset.exclude(pk__in=late)


class ReassignForm(forms.Form):
    coach = forms.ModelChoiceField(queryset=Coach.objects.none(), label="New reviewer")
    reason = forms.CharField(max_length=200, required=False)

    def __init__(self, *args, review: Review, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coach"].queryset = Coach.objects.active().filter(services=review.service_id)


class ReviewInspectView(InspectView):
    template_name = "reviews/admin/review_inspect.html"

    def get_object(self, queryset=None):
        return selectors.review_page(
            Review.objects.values_list("public_id", flat=True).get(pk=self.pk)
        )

    def get_page_subtitle(self):
        return f"Review {self.object.reference}"

    def can_reassign(self) -> bool:
        return can_handle_coaching(self.request.user) and self.object.status in (
            ReviewStatus.SUBMITTED,
            ReviewStatus.ASSIGNED,
            ReviewStatus.IN_REVIEW,
            ReviewStatus.REVISION_REQUESTED,
        )

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        review = self.object
        context.update(
            review=review,
            rounds=review.rounds.all(),
            history=timeline(review, staff=True),
            overdue=review.is_overdue(timezone.now()),
            can_reassign=self.can_reassign(),
            form=form or (ReassignForm(review=review) if self.can_reassign() else None),
        )
        return context

    def post(self, request, *args, **kwargs):
        if not self.can_reassign():
            raise PermissionDenied
        form = ReassignForm(request.POST, review=self.object)
        if form.is_valid():
            with errors_shown_on(form):
                services.review_reassign(
                    review=self.object,
                    to_coach=form.cleaned_data["coach"],
                    actor=request.user,
                    reason=form.cleaned_data["reason"],
                )
                messages.success(request, f"Review {self.object.reference} reassigned.")
                return redirect(request.path)
        return self.render_to_response(self.get_context_data(form=form), status=400)


class ReviewViewSet(ModelViewSet):
    model = Review
    icon = "doc-full"
    menu_label = "Document reviews"
    menu_order = 260
    add_to_admin_menu = True
    inspect_view_enabled = True
    copy_view_enabled = False
    inspect_view_class = ReviewInspectView
    form_fields = ["brief"]  # required by ModelViewSet; editing is denied by the policy
    filterset_class = ReviewFilterSet
    search_fields = ["public_id", "applicant__email", "applicant__display_name"]
    search_backend_name = None
    ordering = ["due_at"]
    list_display = [
        "reference",
        Column("service", label="Service", accessor="service"),
        Column("applicant", label="Applicant", accessor="applicant"),
        Column("reviewer", label="Reviewer", accessor="reviewer"),
        StatusTagColumn("status", label="Status", accessor="get_status_display", primary=False),
        DateColumn("due_at", label=in_active_zone("Due")),
    ]
    list_export = [
        "public_id",
        "service",
        "applicant.email",
        "reviewer",
        "status",
        "submitted_at",
        "due_at",
        "returned_at",
    ]

    def get_queryset(self, request):
        return Review.objects.select_related("service", "applicant", "reviewer")


review_viewset = ReviewViewSet("review_admin")


@hooks.register("register_admin_viewset")
def register_review_viewset():
    return review_viewset


def turnaround_report(request):
    if not can_handle_coaching(request.user):
        raise PermissionDenied
    days = REPORT_DAYS
    since = datetime.combine(
        timezone.now().astimezone(workdays.BUSINESS_ZONE).date() - timedelta(days=days),
        time.min,
        tzinfo=workdays.BUSINESS_ZONE,
    )
    return render(
        request,
        "reviews/admin/turnaround_report.html",
        {
            "rows": selectors.turnaround_report(since=since),
            "days": days,
            "overdue_url": reverse("review_admin:index") + "?overdue=true",
        },
    )


@hooks.register("register_admin_urls")
def register_review_report_url():
    return [path("reviews-turnaround/", turnaround_report, name="reviews_turnaround")]


class ReportMenuItem(MenuItem):
    def is_shown(self, request):
        return can_handle_coaching(request.user)


@hooks.register("register_reports_menu_item")
def register_turnaround_menu_item():
    return ReportMenuItem(
        "Review turnaround", reverse("reviews_turnaround"), icon_name="time", order=900
    )


@hooks.register("register_log_actions")
def register_history_actions(actions):
    """What can happen to a review, as actions of the one history (core.history)."""
    register_actions(actions, ReviewAction)
