"""Conventions the templates keep: one badge per booking status, links by name, one way to
name partials."""

import pytest
from django.template.loader import render_to_string

from booking.models import Booking, BookingStatus


@pytest.mark.parametrize(
    ("status", "modifier", "label"),
    [
        (BookingStatus.HELD, "badge--warning", "Awaiting payment"),
        (BookingStatus.CONFIRMED, "badge--success", "Confirmed"),
        (BookingStatus.COMPLETED, "badge--success", "Completed"),
        (BookingStatus.NO_SHOW, "badge--warning", "No-show"),
        (BookingStatus.CANCELLED, "badge--muted", "Cancelled"),
        (BookingStatus.EXPIRED, "badge--muted", "Expired"),
    ],
)
def test_booking_status_badge_has_one_colour_and_label_per_status(status, modifier, label):
    html = render_to_string("includes/booking_status.html", {"booking": Booking(status=status)})
    assert f'<span class="badge {modifier}">{label}</span>' in html
