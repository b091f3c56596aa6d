"""Webinar notifications to attendees, each in the attendee's own zone with the host's beside,
through the one sender `core.emails.send_templated_email` (queued after commit). One template,
`emails/webinars/notice.txt|.html`, says each kind's first sentence.

Invites (`webinars.calendars`) go with the emails that put the webinar in a calendar or
take it out: registered (or given a freed seat), moved, reminded, cancelled.
"""

from __future__ import annotations

from core.emails import send_to_person
from webinars.calendars import registration_invite

# kind: (subject prefix, invite method or None)
KINDS = {
    "registered": ("Your seat", "REQUEST"),
    "promoted": ("A seat is yours", "REQUEST"),
    "waitlisted": ("On the waitlist", None),
    "moved": ("New time", "REQUEST"),
    "reminder": ("Reminder", "REQUEST"),
    "registration_cancelled": ("Registration cancelled", "CANCEL"),
    "webinar_cancelled": ("Cancelled", "CANCEL"),
}


def send_webinar_email(registration, *, kind: str, extra: dict | None = None) -> None:
    """One email about one registration; `kind` is a key of KINDS."""
    prefix, method = KINDS[kind]
    webinar, member = registration.webinar, registration.member
    subject = f"{prefix}: {webinar.title}"
    if kind == "reminder":
        subject = f"Reminder: {webinar.title} {extra['lead']}"
    attachments = []
    if method:
        ics = registration_invite(registration, method=method)
        attachments = [("webinar.ics", ics, f"text/calendar; method={method}")]
    send_to_person(
        member,
        subject=subject,
        template="webinars/notice",
        context={
            "kind": kind,
            "registration": registration,
            "webinar": webinar,
            "host_zone": webinar.host.time_zone,
            **(extra or {}),
        },
        attachments=attachments,
    )
