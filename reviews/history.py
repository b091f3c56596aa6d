"""What can happen to a document review, as entries of the one history (`core.history`)."""

from django.db import models


class ReviewAction(models.TextChoices):
    SUBMITTED = "review.submitted", "Submitted"
    ASSIGNED = "review.assigned", "Claimed by a reviewer"
    REASSIGNED = "review.reassigned", "Reassigned"
    STARTED = "review.started", "Review started"
    RETURNED = "review.returned", "Returned with feedback"
    REVISION_REQUESTED = "review.revision_requested", "Revision requested"
    CLOSED = "review.closed", "Closed"
    AUTO_CLOSED = "review.auto_closed", "Closed automatically"
    WITHDRAWN = "review.withdrawn", "Withdrawn"
    FILE_DELETED = "review.file_deleted", "File deleted"
    FILES_PURGED = "review.files_purged", "Files deleted after the retention period"
