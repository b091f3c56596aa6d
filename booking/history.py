"""What can happen to a booking, as entries of the one history (`core.history`)."""

from django.db import models


class BookingAction(models.TextChoices):
    HELD = "booking.held", "Held"
    CONFIRMED = "booking.confirmed", "Confirmed"
    BOOKED = "booking.booked", "Booked with a credit"
    RESCHEDULED = "booking.rescheduled", "Rescheduled"
    CANCELLED = "booking.cancelled", "Cancelled"
    EXPIRED = "booking.expired", "Hold expired"
    RELEASED = "booking.released", "Hold released"
    COMPLETED = "booking.completed", "Marked completed"
    NO_SHOW = "booking.no_show", "Marked no-show"
