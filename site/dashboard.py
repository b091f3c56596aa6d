"""The applicant dashboard: one view, one place that builds everything it shows.

Each section is a template include under `templates/dashboard/` fed by one key of the context
built in `dashboard_context`. A section whose list is empty renders its empty state with the
next step to take. The apps that own the data fill their key here with a selector (booking:
`credits` and `upcoming_sessions`; payments: `orders`) and keep the section template.
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone


def greeting_for(hour: int) -> str:
    if 5 <= hour < 12:
        return "Good morning"
    if 12 <= hour < 18:
        return "Good afternoon"
    return "Good evening"


def dashboard_context(*, user) -> dict:
    """Everything `/dashboard/` shows for `user`, in the user's active time zone."""
    now = timezone.localtime()  # the middleware has activated the user's zone
    return {
        "greeting": greeting_for(now.hour),
        "display_name": user.get_short_name(),
        "time_zone": user.time_zone,
        "now": now,
        "credits": [],
        "upcoming_sessions": [],
        "orders": [],
    }


@login_required
def dashboard(request):
    return render(request, "dashboard/index.html", dashboard_context(user=request.user))
