"""A booking as calendar values: the invites attached to booking emails, the .ics download and
"add to calendar" links on the booking page, and the coach feed.

The iCalendar work itself is `core.calendars`; this module only says what a booking's event is
(`_event_values`, shared by the file and the web-calendar links). The coach's subscribed feed
(sessions and webinars) is composed in `site/coach_calendar.py`. Every invite for one booking
has the same UID (`Booking.uid`) and SEQUENCE `Booking.sequence`, which grows with each change;
a cancellation is METHOD:CANCEL with STATUS:CANCELLED.
"""

from __future__ import annotations

from django.conf import settings
from icalendar import Event

from core.calendars import (
    CalendarLink,
    CalendarPerson,
    calendar_event,
    calendar_invite,
    web_calendar_links,
)


def _event_values(booking) -> dict:
    """Title, description and place of a booking's event, wherever it is written."""
    meeting = booking.meeting_url
    lines = [
        f"{booking.service.name}: {booking.applicant} with {booking.coach.display_name}.",
    ]
    if meeting:
        lines.append(f"Join: {meeting}")
    lines.append(f"Manage: {settings.SITE_URL}{booking.get_absolute_url()}")
    return {
        "start": booking.start,
        "end": booking.end,
        "summary": f"{booking.service.name} with {booking.coach.display_name}",
        "description": "\n".join(lines),
        "location": meeting,
    }


def booking_event(booking, *, cancelled: bool = False) -> Event:
    """One booking as a VEVENT (invites here; the coach's feed is composed in `site/`)."""
    values = _event_values(booking)
    return calendar_event(
        uid=booking.uid,
        sequence=booking.sequence,
        url=values["location"],
        # Applicant and coach are both attendees of an event MedPath organises, so each
        # person's calendar app treats the invite, its updates and cancellation the same way.
        attendees=[
            CalendarPerson(email=booking.applicant.email, name=str(booking.applicant)),
            CalendarPerson(email=booking.coach.user.email, name=booking.coach.display_name),
        ],
        cancelled=cancelled,
        **values,
    )


def booking_invite(booking, *, method: str = "REQUEST") -> str:
    """An .ics for one booking: REQUEST for a new or moved session, CANCEL for a cancellation
    (emails), PUBLISH for the file the booking page offers (an event to add, not an invitation
    to answer; later REQUEST emails still update it, by its UID and SEQUENCE)."""
    return calendar_invite(booking_event(booking, cancelled=method == "CANCEL"), method=method)


def booking_calendar_links(booking) -> list[CalendarLink]:
    """Google Calendar and Outlook "add this session" links, with the same title and times as
    the invite."""
    return web_calendar_links(**_event_values(booking))
