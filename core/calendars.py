"""Calendar files (iCalendar, RFC 5545) built from plain values: invites and feeds.

Callers (booking today, webinars next) map their own objects to `calendar_event(...)` and
serialise with `calendar_invite` (one event, METHOD:REQUEST or CANCEL) or `calendar_feed` (a
subscribed calendar). Keep one UID per thing and raise SEQUENCE with each change, so calendar
apps update or remove the event they already have; a cancellation is METHOD:CANCEL with
STATUS:CANCELLED. Times are written in UTC; apps show them locally.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parseaddr
from urllib.parse import urlencode

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

PRODID = "-//MedPath//Booking//EN"


@dataclass(frozen=True)
class CalendarPerson:
    """An organizer or attendee: an email address and the name calendar apps show."""

    email: str
    name: str


def site_organizer() -> CalendarPerson:
    """The default organizer: MedPath itself, as DEFAULT_FROM_EMAIL."""
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return CalendarPerson(email=address, name=name or "MedPath")


def new_calendar(*, method: str | None = None) -> Calendar:
    """An empty VCALENDAR with MedPath's PRODID and, for invites, a METHOD."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    return cal


def calendar_event(
    *,
    uid: str,
    sequence: int,
    start: datetime,
    end: datetime,
    summary: str,
    description: str = "",
    location: str = "",
    url: str = "",
    organizer: CalendarPerson | None = None,
    attendees: Iterable[CalendarPerson] = (),
    cancelled: bool = False,
) -> Event:
    """One VEVENT; `organizer` defaults to the site, every attendee is a required participant."""
    event = Event()
    event.add("uid", uid)
    event.add("sequence", sequence)
    event.add("dtstamp", timezone.now().astimezone(UTC))
    event.add("dtstart", start.astimezone(UTC))
    event.add("dtend", end.astimezone(UTC))
    event.add("summary", summary)
    if location:
        event.add("location", location)
    if url:
        event.add("url", url)
    if description:
        event.add("description", description)
    organizer = organizer or site_organizer()
    address = vCalAddress(f"mailto:{organizer.email}")
    address.params["cn"] = vText(organizer.name)
    event.add("organizer", address)
    for person in attendees:
        attendee = vCalAddress(f"mailto:{person.email}")
        attendee.params["cn"] = vText(person.name)
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        event.add("attendee", attendee)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return event


def calendar_invite(event: Event, *, method: str = "REQUEST") -> str:
    """An .ics carrying one event: REQUEST for a new or changed one, CANCEL to remove it."""
    cal = new_calendar(method=method)
    cal.add_component(event)
    return cal.to_ical().decode()


def calendar_feed(*, name: str, events: Iterable[Event], refresh: str = "PT15M") -> bytes:
    """A subscribed calendar (no METHOD); `refresh` is how often apps should fetch it again."""
    cal = new_calendar()
    cal.add("x-wr-calname", name)
    cal.add("x-published-ttl", refresh)
    for event in events:
        cal.add_component(event)
    return cal.to_ical()


# --- "add to calendar" links for web calendars (no file to download) ------------------------

GOOGLE_CALENDAR = "https://calendar.google.com/calendar/render"
OUTLOOK_CALENDARS = {
    "outlook": "https://outlook.live.com/calendar/0/action/compose",  # Outlook.com, Hotmail
    "office": "https://outlook.office.com/calendar/0/action/compose",  # work or school (365)
}


@dataclass(frozen=True)
class CalendarLink:
    """A link that opens a web calendar's "new event" form, filled in."""

    key: str
    label: str
    url: str


def web_calendar_links(
    *, start: datetime, end: datetime, summary: str, description: str = "", location: str = ""
) -> list[CalendarLink]:
    """Google Calendar and Outlook (personal, and work or school) links for one event, its times
    in UTC as each service expects them."""
    start, end = start.astimezone(UTC), end.astimezone(UTC)
    google = {
        "action": "TEMPLATE",
        "text": summary,
        "dates": f"{start:%Y%m%dT%H%M%SZ}/{end:%Y%m%dT%H%M%SZ}",
        "details": description,
        "location": location,
    }
    outlook = {
        "rru": "addevent",
        "subject": summary,
        "startdt": f"{start:%Y-%m-%dT%H:%M:%SZ}",
        "enddt": f"{end:%Y-%m-%dT%H:%M:%SZ}",
        "body": description,
        "location": location,
    }
    return [
        CalendarLink("google", "Google Calendar", f"{GOOGLE_CALENDAR}?{urlencode(google)}"),
        CalendarLink(
            "outlook", "Outlook.com", f"{OUTLOOK_CALENDARS['outlook']}?{urlencode(outlook)}"
        ),
        CalendarLink(
            "office",
            "Outlook (work or school)",
            f"{OUTLOOK_CALENDARS['office']}?{urlencode(outlook)}",
        ),
    ]


def parse(ics: str | bytes) -> Calendar:
    return Calendar.from_ical(ics)
