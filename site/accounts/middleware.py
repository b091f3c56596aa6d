import zoneinfo

from django.utils import timezone

from core.timezones import is_valid_zone
from medpath.accounts.services import admin_profile_in_step

# Wagtail's admin sets its own zone from the user's admin profile, which is kept in step here.
WAGTAIL_ADMIN_PREFIX = "/admin/"


class UserTimezoneMiddleware:
    """Render times in the signed-in user's zone (or the zone a visitor picked this session).

    The Django admin renders in the zone activated here. The Wagtail admin activates the zone
    of the user's Wagtail profile around each view, so under /admin/ that profile is made to
    match the account's zone first (and handed to Wagtail, which then does not read it again).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        zone = None
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            zone = user.time_zone
            if request.path_info.startswith(WAGTAIL_ADMIN_PREFIX) and user.has_perm(
                "wagtailadmin.access_admin"
            ):
                user.wagtail_userprofile = admin_profile_in_step(user=user)
        else:
            zone = request.session.get("time_zone") if hasattr(request, "session") else None
        # Whether times follow a zone the person chose; without one, pages that show times
        # mark them for the browser to show in the device's zone (medpath/js/local-times.js).
        request.zone_chosen = bool(zone and is_valid_zone(zone))
        if request.zone_chosen:
            timezone.activate(zoneinfo.ZoneInfo(zone))
        else:
            timezone.deactivate()
        return self.get_response(request)
