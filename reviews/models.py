"""Document reviews: what an applicant sends, who reviews it, each round and its files.

A review is paid with one credit, spent in the transaction that creates it. It moves
submitted → assigned (a reviewer claimed it) → in review → returned → (revision requested →
in review → returned)* → closed, or submitted → withdrawn; one table of moves, one guard
(`core.states.TransitionGuardMixin`). Each round holds the applicant's version (pasted text and
files) and the reviewer's answer (summary, suggested text, returned files). Files live in the
"private" storage under random names; only `reviews.views` hands them out, after a check.
Times are UTC; due dates are 17:00 Toronto on the last working day (`core.workdays`).
"""

from __future__ import annotations

import secrets
from datetime import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse

from booking.models import Credit
from coaching.models import Coach, Service
from core.files import private_storage
from core.ids import new_public_id
from core.states import TransitionGuardMixin
from reviews.errors import ReviewStateError

MAX_TEXT_CHARS = 50_000
MAX_BRIEF_CHARS = 2_000
MAX_SUMMARY_CHARS = 20_000
AUTO_CLOSE_DAYS = 14


class ReviewStatus(models.TextChoices):
    SUBMITTED = "submitted", "Submitted"
    ASSIGNED = "assigned", "Assigned"
    IN_REVIEW = "in_review", "In review"
    RETURNED = "returned", "Returned"
    REVISION_REQUESTED = "revision_requested", "Revision requested"
    CLOSED = "closed", "Closed"
    WITHDRAWN = "withdrawn", "Withdrawn"


REVIEW_TRANSITIONS: dict[str, set[str]] = {
    ReviewStatus.SUBMITTED: {ReviewStatus.ASSIGNED, ReviewStatus.WITHDRAWN},
    ReviewStatus.ASSIGNED: {ReviewStatus.IN_REVIEW},
    ReviewStatus.IN_REVIEW: {ReviewStatus.RETURNED},
    ReviewStatus.RETURNED: {ReviewStatus.REVISION_REQUESTED, ReviewStatus.CLOSED},
    ReviewStatus.REVISION_REQUESTED: {ReviewStatus.IN_REVIEW},
    ReviewStatus.CLOSED: set(),
    ReviewStatus.WITHDRAWN: set(),
}

# Statuses in which a reviewer owes work: they count towards the coach's open items.
OPEN_FOR_REVIEWER = (
    ReviewStatus.ASSIGNED,
    ReviewStatus.IN_REVIEW,
    ReviewStatus.REVISION_REQUESTED,
)
# Statuses with a due date still running (the applicant is waiting).
WAITING = (ReviewStatus.SUBMITTED, *OPEN_FOR_REVIEWER)
FINISHED = (ReviewStatus.CLOSED, ReviewStatus.WITHDRAWN)


class ReviewQuerySet(models.QuerySet):
    def waiting(self):
        return self.filter(status__in=WAITING)

    def overdue(self, now):
        return self.waiting().filter(due_at__lt=now)

    def open_for(self, coach):
        return self.filter(reviewer=coach, status__in=OPEN_FOR_REVIEWER)


class Review(TransitionGuardMixin, models.Model):
    """One document review: an applicant's documents for one review service."""

    TRANSITIONS = REVIEW_TRANSITIONS
    state_error = ReviewStateError
    state_noun = "review"

    public_id = models.CharField(max_length=22, unique=True, default=new_public_id, editable=False)
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reviews"
    )
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="reviews")
    credit = models.ForeignKey(
        Credit, on_delete=models.PROTECT, related_name="reviews", help_text="The credit spent."
    )
    brief = models.TextField(
        max_length=MAX_BRIEF_CHARS,
        blank=True,
        help_text="Target schools or programs, deadline, what to focus on.",
    )
    status = models.CharField(
        max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.SUBMITTED
    )
    reviewer = models.ForeignKey(
        Coach, null=True, blank=True, on_delete=models.PROTECT, related_name="reviews"
    )
    submitted_at = models.DateTimeField()
    due_at = models.DateTimeField(help_text="When the current round is due (UTC).")
    claimed_at = models.DateTimeField(null=True, blank=True)
    returned_at = models.DateTimeField(null=True, blank=True, help_text="The latest return.")
    closed_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    # Claimed by conditional UPDATEs, so each is sent exactly once per round.
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    overdue_notice_sent_at = models.DateTimeField(null=True, blank=True)
    files_purged_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReviewQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-id"]
        permissions = [("reassign_review", "Can reassign document reviews")]
        indexes = [
            models.Index(fields=["status", "due_at"], name="reviews_status_due_idx"),
            models.Index(fields=["reviewer", "status"], name="reviews_reviewer_status_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                name="reviews_claimed_has_reviewer",
                condition=models.Q(status__in=["submitted", "withdrawn"])
                | models.Q(reviewer__isnull=False),
            ),
        ]

    def __str__(self):
        return f"{self.service} for {self.applicant} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("reviews:detail", args=[self.public_id])

    # --- as an item of the coach's work queue (`coaching.work_queue.WorkItem`) ---
    work_kind = "review"

    @property
    def work_service_id(self) -> int:
        return self.service_id

    @property
    def work_owner_id(self) -> int:
        return self.applicant_id

    @property
    def work_owner(self):
        return self.applicant

    @property
    def work_title(self) -> str:
        return self.service.name

    @property
    def work_due_at(self) -> datetime:
        return self.due_at

    def is_claimed_by(self, coach) -> bool:
        return self.status == ReviewStatus.ASSIGNED and self.reviewer_id == coach.pk

    def get_work_url(self) -> str:
        return self.get_absolute_url()

    @property
    def reference(self) -> str:
        return self.public_id[:8].upper()

    @property
    def is_waiting(self) -> bool:
        return self.status in WAITING

    def is_overdue(self, now) -> bool:
        return self.is_waiting and self.due_at < now

    @property
    def status_badge(self) -> str:
        return {
            ReviewStatus.RETURNED: "success",
            ReviewStatus.CLOSED: "muted",
            ReviewStatus.WITHDRAWN: "muted",
            ReviewStatus.REVISION_REQUESTED: "warning",
        }.get(self.status, "info")


class ReviewRound(models.Model):
    """One exchange: the applicant's version, then the reviewer's answer."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveSmallIntegerField()
    text = models.TextField(
        max_length=MAX_TEXT_CHARS, blank=True, help_text="The applicant's pasted text."
    )
    note = models.TextField(
        max_length=MAX_BRIEF_CHARS, blank=True, help_text="What changed, for a revision round."
    )
    created_at = models.DateTimeField()
    due_at = models.DateTimeField(help_text="When this round's answer was due (UTC).")
    summary = models.TextField(max_length=MAX_SUMMARY_CHARS, blank=True)
    suggested_text = models.TextField(max_length=MAX_TEXT_CHARS, blank=True)
    returned_at = models.DateTimeField(null=True, blank=True)
    returned_by = models.ForeignKey(
        Coach, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["review", "number"], name="reviews_round_number_once"),
        ]

    def __str__(self):
        return f"Round {self.number} of {self.review_id}"

    @property
    def is_returned(self) -> bool:
        return self.returned_at is not None

    @property
    def on_time(self) -> bool | None:
        return None if self.returned_at is None else self.returned_at <= self.due_at


def private_upload_name(instance, filename: str) -> str:
    """A random key: the applicant's file name never reaches the storage."""
    return f"reviews/{secrets.token_hex(16)}"


class FileKind(models.TextChoices):
    SUBMITTED = "submitted", "Sent by the applicant"
    RETURNED = "returned", "Returned by the reviewer"


class ReviewFileQuerySet(models.QuerySet):
    def present(self):
        return self.filter(deleted_at__isnull=True)


class ReviewFile(models.Model):
    """A document in the private storage; deleting it removes the bytes and keeps this row."""

    public_id = models.CharField(max_length=22, unique=True, default=new_public_id, editable=False)
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="files")
    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(max_length=10, choices=FileKind.choices)
    file = models.FileField(
        storage=private_storage, upload_to=private_upload_name, max_length=200, blank=True
    )
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_reason = models.CharField(max_length=120, blank=True)

    objects = ReviewFileQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.original_name

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None
