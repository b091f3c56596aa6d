"""The Wagtail admin's Reports → Background jobs: is the worker alive, what each job last did."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from core.duties import has_a_duty
from core.timezones import active_zone_name, zone_short_name
from medpath.background import LATE_AFTER_INTERVALS, heartbeat_of, job_statuses


def background_jobs(request):
    if not has_a_duty(request.user):
        raise PermissionDenied
    statuses = job_statuses()
    return render(
        request,
        "medpath/admin/background_jobs.html",
        {
            "page_title": "Background jobs",
            "header_icon": "cogs",
            "statuses": statuses,
            "heartbeat": heartbeat_of(statuses),
            "problems": sum(1 for status in statuses if status.problem),
            "late_after": LATE_AFTER_INTERVALS,
            "zone_name": zone_short_name(active_zone_name()),
        },
    )


@hooks.register("register_admin_urls")
def register_background_jobs_url():
    return [path("background-jobs/", background_jobs, name="medpath_background_jobs")]


class BackgroundJobsMenuItem(MenuItem):
    def is_shown(self, request):
        return has_a_duty(request.user)


@hooks.register("register_reports_menu_item")
def register_background_jobs_menu_item():
    return BackgroundJobsMenuItem(
        "Background jobs", reverse("medpath_background_jobs"), icon_name="cogs", order=950
    )
