"""What can happen to a webinar registration, as entries of the one history (`core.history`)."""

from django.db import models


class RegistrationAction(models.TextChoices):
    REGISTERED = "registration.registered", "Registered"
    WAITLISTED = "registration.waitlisted", "Joined the waitlist"
    PROMOTED = "registration.promoted", "Given a seat from the waitlist"
    CANCELLED = "registration.cancelled", "Cancelled"
