"""What can happen to an entitlement, as entries of the one history (`core.history`)."""

from django.db import models


class EntitlementAction(models.TextChoices):
    GRANTED = "entitlement.granted", "Granted with a purchase"
    GRANTED_BY_STAFF = "entitlement.granted_by_staff", "Granted by staff"
    ENDED_EARLY = "entitlement.ended_early", "Ended early"
