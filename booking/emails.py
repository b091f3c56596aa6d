"""Booking notifications: confirmation, new time, cancellation and reminders.

Each goes to the applicant and the coach, times shown in the recipient's own zone, with an .ics
from `booking.calendars`, through the project's one sender `core.emails.send_templated_email`.
"""

from __future__ import annotations

from booking.calendars import booking_invite
from booking.policy import booking_policy
from core.emails import send_templated_email


def _people(booking):
    """(recipient user, role, zone): the applicant in their zone, the coach in their working zone."""
    return [
        (booking.applicant, "applicant", booking.applicant.time_zone),
        (booking.coach.user, "coach", booking.coach.time_zone),
    ]


def _send_booking_email(booking, *, kind: str, subject: str, method: str, extra=None) -> None:
    ics = booking_invite(booking, method=method)
    for user, role, zone in _people(booking):
        send_templated_email(
            to=user.email,
            subject=subject,
            template=f"booking/{kind}",
            context={
                "booking": booking,
                "role": role,
                "recipient": user,
                "other": booking.coach.display_name
                if role == "applicant"
                else str(booking.applicant),
                "meeting_url": booking.meeting_url,
                # Until when the applicant may move or cancel: the policy's deadline, not a rule
                # restated in the template.
                "policy": booking_policy(booking),
                **(extra or {}),
            },
            attachments=[("session.ics", ics, f"text/calendar; method={method}")],
            time_zone=zone,
        )


def send_booking_confirmed(booking) -> None:
    _send_booking_email(
        booking,
        kind="confirmed",
        subject=f"Confirmed: {booking.service.name}",
        method="REQUEST",
    )


def send_booking_rescheduled(booking, *, previous_start) -> None:
    _send_booking_email(
        booking,
        kind="rescheduled",
        subject=f"New time: {booking.service.name}",
        method="REQUEST",
        extra={"previous_start": previous_start},
    )


def send_booking_cancelled(
    booking, *, reason: str, credit_returned: bool, forfeited: bool = False
) -> None:
    _send_booking_email(
        booking,
        kind="cancelled",
        subject=f"Cancelled: {booking.service.name}",
        method="CANCEL",
        extra={"reason": reason, "credit_returned": credit_returned, "forfeited": forfeited},
    )


def send_booking_reminder(booking, *, lead: str) -> None:
    _send_booking_email(
        booking,
        kind="reminder",
        subject=f"Reminder: {booking.service.name} {lead}",
        method="REQUEST",
        extra={"lead": lead},
    )
