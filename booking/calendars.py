"""Calendar files (iCalendar, RFC 5545): invites attached to booking emails and coach feeds.

Every invite for one booking has the same UID; SEQUENCE grows with each change (the booking's
`sequence`), and a cancellation is METHOD:CANCEL with STATUS:CANCELLED, so calendar apps update
or remove the event they already have. Times are written in UTC; apps show them locally.
"""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parseaddr

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

PRODID = "-//MedPath//Booking//EN"


def _calendar(method: str | None = None) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    return cal


def _event(booking, *, cancelled: bool = False) -> Event:
    event = Event()
    event.add("uid", booking.uid)
    event.add("sequence", booking.sequence)
    event.add("dtstamp", timezone.now().astimezone(UTC))
    event.add("dtstart", booking.start.astimezone(UTC))
    event.add("dtend", booking.end.astimezone(UTC))
    event.add("summary", f"{booking.service.name} with {booking.coach.display_name}")
    meeting = booking.coach.meeting_url
    lines = [
        f"{booking.service.name}: {booking.applicant} with {booking.coach.display_name}.",
    ]
    if meeting:
        lines.append(f"Join: {meeting}")
        event.add("location", meeting)
        event.add("url", meeting)
    lines.append(f"Manage: {settings.SITE_URL}/book/bookings/{booking.public_id}/")
    event.add("description", "\n".join(lines))
    # MedPath organises; applicant and coach are both attendees, so each person's calendar app
    # treats the invite (and its updates and cancellation) the same way.
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    organizer = vCalAddress(f"mailto:{address}")
    organizer.params["cn"] = vText(name or "MedPath")
    event.add("organizer", organizer)
    for person, label in (
        (booking.applicant, str(booking.applicant)),
        (booking.coach.user, booking.coach.display_name),
    ):
        attendee = vCalAddress(f"mailto:{person.email}")
        attendee.params["cn"] = vText(label)
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        event.add("attendee", attendee)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return event


def booking_invite(booking, *, method: str = "REQUEST") -> str:
    """An .ics for one booking: REQUEST for a new or moved session, CANCEL for a cancellation."""
    cal = _calendar(method)
    cal.add_component(_event(booking, cancelled=method == "CANCEL"))
    return cal.to_ical().decode()


def coach_feed(coach, bookings) -> bytes:
    """The coach's subscribed calendar: their confirmed (and finished) sessions."""
    cal = _calendar()
    cal.add("x-wr-calname", f"MedPath sessions: {coach.display_name}")
    cal.add("x-published-ttl", "PT15M")
    for booking in bookings:
        cal.add_component(_event(booking))
    return cal.to_ical()


def parse(ics: str | bytes) -> Calendar:
    return Calendar.from_ical(ics)


def as_utc(value) -> datetime:
    return value.astimezone(UTC)
