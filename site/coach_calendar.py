"""A coach's subscribed calendar (`/coach/calendar/<token>.ics`): their sessions (booking) and
the webinars they host (members), in one feed.

It lives in `site/` because it gathers two apps and booking may not import members. Each app
maps its own objects to calendar events; `core.calendars` writes the feed.
"""

from django.http import Http404, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from booking import selectors as booking_selectors
from booking.calendars import booking_event
from core.calendars import calendar_feed
from webinars import selectors as webinar_selectors
from webinars.calendars import host_event


def coach_feed_events(coach, *, now=None) -> list:
    now = now or timezone.now()
    sessions = [booking_event(b) for b in booking_selectors.coach_feed_bookings(coach, now=now)]
    webinars = [host_event(w) for w in webinar_selectors.feed_webinars(coach, now=now)]
    return sorted(sessions + webinars, key=lambda event: event.decoded("dtstart"))


@require_GET
def coach_feed(request, token: str):
    coach = booking_selectors.coach_for_feed_token(token)
    if coach is None:
        raise Http404("Unknown calendar.")
    response = HttpResponse(
        calendar_feed(
            name=f"MedPath sessions: {coach.display_name}", events=coach_feed_events(coach)
        ),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = 'inline; filename="medpath-sessions.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response
