import zoneinfo

from django.utils import timezone

from core.timezones import is_valid_zone


class UserTimezoneMiddleware:
    """Render times in the signed-in user's zone (or the zone a visitor picked this session)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        zone = None
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            zone = user.time_zone
        else:
            zone = request.session.get("time_zone") if hasattr(request, "session") else None
        if zone and is_valid_zone(zone):
            timezone.activate(zoneinfo.ZoneInfo(zone))
        else:
            timezone.deactivate()
        return self.get_response(request)
