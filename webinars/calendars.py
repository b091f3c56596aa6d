"""A webinar as calendar values: each attendee's invite and the events of a host's feed.

The iCalendar work is `core.calendars`. An attendee's invite has the registration's UID (new
registration, new UID) and SEQUENCE `webinar.sequence + registration.sequence`, which grows with
every move of the webinar and with the registration's own cancellation; a cancellation is
METHOD:CANCEL. The invite carries the webinar page, not the join link: the link is released on
the page from 15 minutes before the start. Hosts' feeds carry the join link.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from icalendar import Event

from core.calendars import CalendarPerson, calendar_event, calendar_invite


def _page_url(webinar) -> str:
    return f"{settings.SITE_URL}{webinar.get_absolute_url()}"


def _hosts(webinar) -> str:
    names = [webinar.host.display_name, *(coach.display_name for coach in webinar.co_hosts.all())]
    return ", ".join(names)


def registration_invite(registration, *, method: str = "REQUEST") -> str:
    """An .ics for one attendee: REQUEST when registered or moved, CANCEL when it is off."""
    webinar = registration.webinar
    page = _page_url(webinar)
    lines = [
        f"Live webinar hosted by {_hosts(webinar)}.",
        webinar.description,
        f"The join link appears on {page} from 15 minutes before the start.",
    ]
    event = calendar_event(
        uid=registration.uid,
        sequence=registration.invite_sequence,
        start=webinar.start,
        end=webinar.end,
        summary=f"Webinar: {webinar.title}",
        description="\n\n".join(line for line in lines if line),
        location=page,
        url=page,
        attendees=[CalendarPerson(email=registration.member.email, name=str(registration.member))],
        cancelled=method == "CANCEL",
    )
    return calendar_invite(event, method=method)


def host_event(webinar) -> Event:
    """The webinar in a host's feed: one UID per webinar, with the join link."""
    page = _page_url(webinar)
    lines = [
        f"You host this webinar ({webinar.seats_taken} of {webinar.capacity} seats taken).",
        "Attendees and recording: "
        + settings.SITE_URL
        + reverse("webinars:host_detail", kwargs={"public_id": webinar.public_id}),
    ]
    if webinar.join_url:
        lines.insert(0, f"Join: {webinar.join_url}")
    return calendar_event(
        uid=webinar.uid,
        sequence=webinar.sequence,
        start=webinar.start,
        end=webinar.end,
        summary=f"Webinar: {webinar.title}",
        description="\n".join(lines),
        location=webinar.join_url or page,
        url=webinar.join_url or page,
        cancelled=webinar.is_cancelled,
    )
