from allauth.account.adapter import get_adapter
from allauth.account.utils import get_next_redirect_url
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from core.redirects import back_to
from core.timezones import zone_label
from medpath.accounts.forms import ProfileForm


@login_required
def profile(request):
    """Edit display name and time zone; thin: the form validates, the service writes."""
    form = ProfileForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid() and form.save() is not None:
        messages.success(request, "Your profile is saved.")
        return redirect("account_profile")
    status = 400 if form.errors else 200
    return render(request, "account/profile.html", {"form": form}, status=status)


@require_POST
def switch_time_zone(request):
    """The one-click "show times in my device's zone" of the zone notice (includes/zone_mismatch.html).

    Sets the profile's zone to a current IANA name and goes back to the page it came from. An
    unknown zone changes nothing: the profile page says why (400).
    """
    next_url = back_to(request, default=reverse("dashboard"))
    if not request.user.is_authenticated:
        return redirect_to_login(next_url)
    form = ProfileForm(
        {"display_name": request.user.display_name, "time_zone": request.POST.get("zone", "")},
        user=request.user,
    )
    if form.is_valid() and form.save() is not None:
        messages.success(
            request,
            f"Times are now shown in {zone_label(request.user.time_zone)}, your device’s zone. "
            "You can change it in your profile.",
        )
        return redirect(next_url)
    messages.error(request, "Your time zone was not changed: that zone is not one we know.")
    return render(request, "account/profile.html", {"form": form}, status=400)


def admin_login(request):
    """/admin/login/: the Wagtail admin logs in through allauth, never with a form of its own.

    allauth's login applies the rate limits and the verified-email rule; Wagtail's own form
    would skip both. Whoever is logged in without admin access goes where logging in takes
    them (their dashboard, or /coach/ for a coach).
    """
    next_url = get_next_redirect_url(request)
    if not request.user.is_authenticated:
        return redirect_to_login(next_url or reverse("wagtailadmin_home"))
    if request.user.has_perm("wagtailadmin.access_admin"):
        return redirect(next_url or "wagtailadmin_home")
    if not next_url:
        # Coming from an admin page, Wagtail has already said so.
        messages.error(request, "You do not have permission to access the admin.")
    return redirect(get_adapter(request).get_login_redirect_url(request))
