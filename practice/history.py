"""What can happen to a practice attempt, as entries of the one history (`core.history`)."""

from django.db import models


class AttemptAction(models.TextChoices):
    STARTED = "attempt.started", "Started"
    SUBMITTED = "attempt.submitted", "Submitted for scoring"
    CLAIMED = "attempt.claimed", "Taken for scoring"
    RELEASED = "attempt.released", "Given back to the queue"
    RETURNED = "attempt.returned", "Scores returned"
    WITHDRAWN = "attempt.withdrawn", "Withdrawn"
