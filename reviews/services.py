"""Every write in document reviews: submit, withdraw, claim, draft, return, revise, close,
reassign, delete files, and the jobs (reminders, overdue notices, auto-close, retention).

Submitting spends one credit with `booking.services.credit_spend` in the transaction that
creates the review: no credit, no review; two submissions racing for the last credit give one
review. Withdrawing before a reviewer claims gives it back (`booking.services.credit_return`).
State changes lock the review row (`select_for_update`) and pass the model's guard; a claim is a
conditional UPDATE, so of two reviewers claiming at once exactly one wins. Files are written to
the private storage inside the transaction and deleted again if it rolls back. Emails are
queued after commit.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from booking.services import credit_return, credit_spend
from coaching.models import Coach, PerkKind, Service, ServiceKind
from coaching.work_queue import claim_guard
from core import workdays
from core.duties import can_handle_coaching
from core.history import record
from core.uploads import CheckedFile
from members.access import has_perk
from reviews import emails, selectors
from reviews.errors import (
    ClaimLost,
    EmptyReturn,
    ReviewForbidden,
    ReviewStateError,
    RevisionLimit,
)
from reviews.history import ReviewAction
from reviews.models import (
    AUTO_CLOSE_DAYS,
    FINISHED,
    OPEN_FOR_REVIEWER,
    FileKind,
    Review,
    ReviewFile,
    ReviewRound,
    ReviewStatus,
)

logger = logging.getLogger(__name__)

# The first round plus one follow-up come with every review; more need the revisions perk.
INCLUDED_ROUNDS = 2
DEFAULT_TURNAROUND_DAYS = 5
# Reviewer reminders go out from this time (business zone) on the working day before the due day.
REMINDER_TIME = time(9, 0)


# --- helpers ------------------------------------------------------------------------------


def _move(review: Review, to: str, *, action: str, actor=None, now: datetime, note: str = ""):
    """Change status through the guard and record it; the caller saves the locked review."""
    from_status = review.status
    review.check_transition(to)
    review.status = to
    record(
        review,
        action,
        actor=actor,
        at=now,
        reason=note,
        data={"from_status": from_status, "to_status": to},
    )


def _locked(review: Review) -> Review:
    return (
        Review.objects.select_for_update(of=("self",))
        .select_related("service", "applicant", "reviewer__user", "credit")
        .get(pk=review.pk)
    )


def _turnaround(service: Service) -> int:
    return service.turnaround_days or DEFAULT_TURNAROUND_DAYS


def _store_files(
    review: Review, round: ReviewRound, files: Iterable[CheckedFile], *, kind: str, user, stored
) -> list[ReviewFile]:
    """Write checked files to the private storage under random names; `stored` collects the
    names so that a rolled-back transaction can delete them again."""
    rows = []
    for checked in files:
        row = ReviewFile(
            review=review,
            round=round,
            kind=kind,
            original_name=checked.name,
            content_type=checked.kind.content_type,
            size=checked.size,
            uploaded_by=user,
        )
        row.file.save(checked.name, ContentFile(checked.content), save=False)
        stored.append(row.file.name)
        row.save()
        rows.append(row)
    return rows


def _delete_blobs(names: Iterable[str]) -> None:
    storage = ReviewFile._meta.get_field("file").storage
    for name in names:
        try:
            storage.delete(name)
        except Exception:  # the row says it is gone; a leftover blob is logged, not fatal
            logger.exception("could not delete private file %s", name)


class _CleanUpOnError:
    """Collects stored file names; deletes them if the block raises (the rows rolled back)."""

    def __init__(self):
        self.names: list[str] = []

    def __enter__(self):
        return self.names

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None and self.names:
            _delete_blobs(self.names)
        return False


def _current_round(review: Review) -> ReviewRound:
    return review.rounds.order_by("-number").first()


def _require_reviewer(review: Review, coach: Coach) -> None:
    if review.reviewer_id != coach.pk:
        raise ReviewForbidden("Only the reviewer assigned to this review can do that.")


def _start(review: Review, *, actor, now: datetime) -> None:
    """Assigned or revision requested → in review (the reviewer began working on it)."""
    if review.status in (ReviewStatus.ASSIGNED, ReviewStatus.REVISION_REQUESTED):
        _move(review, ReviewStatus.IN_REVIEW, action=ReviewAction.STARTED, actor=actor, now=now)


# --- the applicant ------------------------------------------------------------------------


def review_submit(
    *,
    applicant,
    service: Service,
    brief: str,
    text: str,
    files: list[CheckedFile],
    now: datetime | None = None,
) -> Review:
    """Spend one credit and create the review with its first round, in one transaction."""
    if service.kind != ServiceKind.REVIEW or not service.active:
        raise ReviewStateError(f"{service.name} is not a document review we offer at the moment.")
    if not text.strip() and not files:
        raise ReviewStateError("Paste your text or attach at least one file.", code="empty")
    with _CleanUpOnError() as stored, transaction.atomic():
        now = now or timezone.now()
        credit = credit_spend(applicant=applicant, service=service, now=now)
        due = workdays.due_at(now, _turnaround(service))
        review = Review.objects.create(
            applicant=applicant,
            service=service,
            credit=credit,
            brief=brief,
            submitted_at=now,
            due_at=due,
        )
        round = ReviewRound.objects.create(
            review=review, number=1, text=text, created_at=now, due_at=due
        )
        _store_files(review, round, files, kind=FileKind.SUBMITTED, user=applicant, stored=stored)
        record(
            review,
            ReviewAction.SUBMITTED,
            actor=applicant,
            at=now,
            reason=f"Credit: {credit.source_label or 'review credit'}",
            data={
                "to_status": ReviewStatus.SUBMITTED,
            },
        )
        transaction.on_commit(lambda: emails.send_received(review))
    logger.info("review %s submitted (credit %s)", review.public_id, credit.pk)
    return review


def review_withdraw(*, review: Review, actor, reason: str = "") -> Review:
    """The applicant takes back a review nobody has claimed; the credit comes back."""
    with transaction.atomic():
        review = _locked(review)
        if review.applicant_id != getattr(actor, "pk", None):
            raise ReviewForbidden("You can only withdraw your own reviews.")
        if review.status == ReviewStatus.WITHDRAWN:
            return review
        if review.status != ReviewStatus.SUBMITTED:
            raise ReviewStateError(
                "A reviewer is already working on this review, so it can no longer be withdrawn."
            )
        now = timezone.now()
        returned = credit_return(credit_id=review.credit_id)
        _withdraw(review, actor=actor, now=now, note=reason or "Withdrawn by the applicant.")
        transaction.on_commit(
            lambda: emails.send_withdrawn(review, credit_returned=returned, reason=reason)
        )
    return review


def _withdraw(review: Review, *, actor, now: datetime, note: str) -> None:
    _move(
        review,
        ReviewStatus.WITHDRAWN,
        action=ReviewAction.WITHDRAWN,
        actor=actor,
        now=now,
        note=note,
    )
    review.withdrawn_at = now
    review.save(update_fields=["status", "withdrawn_at", "updated_at"])


def reviews_withdraw_for_credit_sources(
    *, sources: Iterable[str], reason: str, actor=None
) -> list[Review]:
    """After a full refund: withdraw the unclaimed reviews paid with these credits (no credit
    comes back: the money does). Claimed reviews are still delivered."""
    sources = list(sources)
    withdrawn = []
    pending = selectors.unclaimed_for_credit_sources(sources).values_list("pk", flat=True)
    for pk in list(pending):
        with transaction.atomic():
            review = _locked(Review(pk=pk))
            if review.status != ReviewStatus.SUBMITTED:
                continue  # claimed a moment ago: it is delivered
            now = timezone.now()
            _withdraw(review, actor=actor, now=now, note=reason)
            transaction.on_commit(
                lambda review=review: emails.send_withdrawn(
                    review, credit_returned=False, reason=reason
                )
            )
            withdrawn.append(review)
    return withdrawn


def revision_allowed(
    review: Review, *, rounds: int | None = None, unlimited: bool | None = None
) -> bool:
    """Another round is included (one follow-up) or the applicant's revisions perk is valid
    (`unlimited`, when the caller already asked `has_perk`)."""
    rounds = review.rounds.count() if rounds is None else rounds
    if rounds < INCLUDED_ROUNDS:
        return True
    if unlimited is None:
        unlimited = has_perk(review.applicant, PerkKind.APPLICATION_REVISIONS)
    return unlimited


def review_request_revision(
    *, review: Review, actor, text: str, note: str, files: list[CheckedFile]
) -> Review:
    """Returned → revision requested: a new round with the applicant's new version, due in the
    service's working days from now, for the same reviewer."""
    if not text.strip() and not files and not note.strip():
        raise ReviewStateError(
            "Paste your new version, attach files, or say what the reviewer should look at again.",
            code="empty",
        )
    with _CleanUpOnError() as stored, transaction.atomic():
        review = _locked(review)
        if review.applicant_id != getattr(actor, "pk", None):
            raise ReviewForbidden("You can only revise your own reviews.")
        if review.status == ReviewStatus.REVISION_REQUESTED:
            raise ReviewStateError("Your revision is already with the reviewer.")
        review.check_transition(ReviewStatus.REVISION_REQUESTED)
        rounds = review.rounds.count()
        if not revision_allowed(review, rounds=rounds):
            raise RevisionLimit(
                "Your review included one follow-up round, and it is used. Unlimited rounds come "
                "with the application revisions perk of a package."
            )
        now = timezone.now()
        due = workdays.due_at(now, _turnaround(review.service))
        round = ReviewRound.objects.create(
            review=review, number=rounds + 1, text=text, note=note, created_at=now, due_at=due
        )
        _store_files(review, round, files, kind=FileKind.SUBMITTED, user=actor, stored=stored)
        _move(
            review,
            ReviewStatus.REVISION_REQUESTED,
            action=ReviewAction.REVISION_REQUESTED,
            actor=actor,
            now=now,
            note=f"Round {round.number}",
        )
        review.due_at = due
        review.reminder_sent_at = review.overdue_notice_sent_at = None
        review.save(
            update_fields=[
                "status",
                "due_at",
                "reminder_sent_at",
                "overdue_notice_sent_at",
                "updated_at",
            ]
        )
        transaction.on_commit(lambda: emails.send_revision_received(review, round))
    return review


def review_close(*, review: Review, actor) -> Review:
    """The applicant is done with a returned review."""
    with transaction.atomic():
        review = _locked(review)
        if review.applicant_id != getattr(actor, "pk", None):
            raise ReviewForbidden("You can only close your own reviews.")
        if review.status == ReviewStatus.CLOSED:
            return review
        now = timezone.now()
        _move(review, ReviewStatus.CLOSED, action=ReviewAction.CLOSED, actor=actor, now=now)
        review.closed_at = now
        review.save(update_fields=["status", "closed_at", "updated_at"])
    return review


def review_file_delete(*, file: ReviewFile, actor) -> ReviewFile:
    """The applicant deletes a file they sent: the bytes go, the record stays."""
    with transaction.atomic():
        file = ReviewFile.objects.select_for_update().select_related("review").get(pk=file.pk)
        if (
            file.review.applicant_id != getattr(actor, "pk", None)
            or file.kind != FileKind.SUBMITTED
        ):
            raise ReviewForbidden("You can delete only the files you sent.")
        if file.is_deleted:
            return file
        now = timezone.now()
        name = _forget_file(file, now=now, reason="Deleted by the applicant.")
        record(
            file.review,
            ReviewAction.FILE_DELETED,
            actor=actor,
            at=now,
            data={"file": file.public_id},
        )
        transaction.on_commit(lambda: _delete_blobs([name]))
    return file


def _forget_file(file: ReviewFile, *, now: datetime, reason: str) -> str:
    name = file.file.name
    file.file = ""
    file.deleted_at = now
    file.deleted_reason = reason[:120]
    file.save(update_fields=["file", "deleted_at", "deleted_reason"])
    return name


# --- the reviewer -------------------------------------------------------------------------


def review_claim(*, review: Review, coach: Coach) -> Review:
    """An unassigned review becomes the coach's, if the queue's rule lets them take it.

    `coaching.work_queue.claim_guard` locks the coach's row and refuses a coach who is
    inactive, does not review the service, sent the review in, or is at their limit of open
    items (reviews and practice attempts together), so one coach's claims run one at a time and
    the limit holds; the review is taken with a conditional UPDATE (`WHERE status =
    'submitted'`), so of two coaches claiming at once exactly one wins and the other gets
    `ClaimLost`. Claiming a review the coach already holds returns it unchanged.
    """
    with transaction.atomic():
        current = Review.objects.get(pk=review.pk)
        coach = claim_guard(coach=coach, item=current)
        if current.is_claimed_by(coach):
            return current  # a double click
        if not current.check_transition(ReviewStatus.ASSIGNED):
            raise ClaimLost()
        now = timezone.now()
        won = Review.objects.filter(
            pk=current.pk, status=ReviewStatus.SUBMITTED, reviewer__isnull=True
        ).update(status=ReviewStatus.ASSIGNED, reviewer=coach, claimed_at=now, updated_at=now)
        if not won:
            raise ClaimLost()
        current.status, current.reviewer, current.claimed_at = ReviewStatus.ASSIGNED, coach, now
        record(
            current,
            ReviewAction.ASSIGNED,
            actor=coach.user,
            at=now,
            data={
                "coach": coach.pk,
                "from_status": ReviewStatus.SUBMITTED,
                "to_status": ReviewStatus.ASSIGNED,
            },
        )
    logger.info("review %s claimed by coach %s", current.public_id, coach.pk)
    return current


def review_save_draft(*, review: Review, coach: Coach, summary: str, suggested_text: str) -> Review:
    """Keep the reviewer's work on the current round without returning it."""
    with transaction.atomic():
        review = _locked(review)
        _require_reviewer(review, coach)
        if review.status not in OPEN_FOR_REVIEWER:
            raise ReviewStateError("This review is not open for work.")
        now = timezone.now()
        _start(review, actor=coach.user, now=now)
        review.save(update_fields=["status", "updated_at"])
        ReviewRound.objects.filter(pk=_current_round(review).pk).update(
            summary=summary, suggested_text=suggested_text
        )
    return review


def review_return(
    *,
    review: Review,
    coach: Coach,
    summary: str,
    suggested_text: str,
    files: list[CheckedFile],
) -> Review:
    """Send the reviewer's answer to the applicant: a summary, a suggested version of the
    pasted text, returned files (at least one of them)."""
    with _CleanUpOnError() as stored, transaction.atomic():
        review = _locked(review)
        _require_reviewer(review, coach)
        if review.status == ReviewStatus.RETURNED:
            raise ReviewStateError("This review was already returned.")
        if review.status not in OPEN_FOR_REVIEWER:
            raise ReviewStateError("This review is not open for work.")
        round = _current_round(review)
        has_files = bool(files) or round.files.filter(kind=FileKind.RETURNED).present().exists()
        suggests = bool(suggested_text.strip()) and suggested_text.strip() != round.text.strip()
        if not summary.strip() and not suggests and not has_files:
            raise EmptyReturn()
        now = timezone.now()
        _start(review, actor=coach.user, now=now)
        _store_files(review, round, files, kind=FileKind.RETURNED, user=coach.user, stored=stored)
        round.summary = summary
        round.suggested_text = suggested_text if suggests else ""
        round.returned_at = now
        round.returned_by = coach
        round.save(update_fields=["summary", "suggested_text", "returned_at", "returned_by"])
        _move(
            review,
            ReviewStatus.RETURNED,
            action=ReviewAction.RETURNED,
            actor=coach.user,
            now=now,
            note=f"Round {round.number}",
        )
        review.returned_at = now
        review.save(update_fields=["status", "returned_at", "updated_at"])
        transaction.on_commit(lambda: emails.send_returned(review, round))
    return review


# --- staff --------------------------------------------------------------------------------


def review_reassign(*, review: Review, to_coach: Coach, actor, reason: str = "") -> Review:
    """Staff give a review to another coach who reviews its service (an unassigned one is
    assigned). The status stays; the new reviewer takes over the current round."""
    if not can_handle_coaching(actor):
        raise ReviewForbidden("Only staff can reassign reviews.")
    if (
        not to_coach.active
        or not Service.objects.filter(pk=review.service_id, coaches=to_coach).exists()
    ):
        raise ReviewForbidden(f"{to_coach.display_name} does not review this service.")
    with transaction.atomic():
        review = _locked(review)
        if review.reviewer_id == to_coach.pk:
            return review
        now = timezone.now()
        previous = review.reviewer.display_name if review.reviewer else "nobody"
        note = f"From {previous} to {to_coach.display_name}. {reason}".strip()
        if review.status == ReviewStatus.SUBMITTED:
            _move(
                review,
                ReviewStatus.ASSIGNED,
                action=ReviewAction.ASSIGNED,
                actor=actor,
                now=now,
                note=note,
            )
            review.claimed_at = now
        elif review.status in OPEN_FOR_REVIEWER:
            record(review, ReviewAction.REASSIGNED, actor=actor, at=now, reason=note)
        else:
            raise ReviewStateError(
                f"This review is {review.get_status_display().lower()}; there is nothing to reassign."
            )
        review.reviewer = to_coach
        review.reminder_sent_at = None
        review.save(
            update_fields=["status", "reviewer", "claimed_at", "reminder_sent_at", "updated_at"]
        )
    return review


# --- jobs (django-q2 schedules; each safe to run twice or late) ----------------------------


def reviews_send_reminders(*, now: datetime | None = None) -> int:
    """Remind each reviewer once, from 09:00 (business time) on the working day before a
    review is due.

    Claimed with a conditional UPDATE (`reminder_sent_at IS NULL`): two runs at once send one.
    """
    now = now or timezone.now()
    local_now = now.astimezone(workdays.BUSINESS_ZONE)
    candidates = Review.objects.filter(
        status__in=OPEN_FOR_REVIEWER,
        reminder_sent_at__isnull=True,
        due_at__gt=now,
        due_at__lte=now + timedelta(days=10),
    ).values_list("pk", "due_at")
    sent = 0
    for pk, due in list(candidates):
        due_day = due.astimezone(workdays.BUSINESS_ZONE).date()
        remind_from = datetime.combine(
            workdays.previous_working_day(due_day), REMINDER_TIME, tzinfo=workdays.BUSINESS_ZONE
        )
        if local_now < remind_from:
            continue
        with transaction.atomic():
            if not Review.objects.filter(pk=pk, reminder_sent_at__isnull=True).update(
                reminder_sent_at=now
            ):
                continue
            review = Review.objects.select_related("service", "applicant", "reviewer__user").get(
                pk=pk
            )
            transaction.on_commit(lambda review=review: emails.send_reviewer_reminder(review))
            sent += 1
    return sent


def reviews_send_overdue_notices(*, now: datetime | None = None) -> int:
    """Apologise once to each applicant whose review (or round) passed its due time."""
    now = now or timezone.now()
    sent = 0
    late = Review.objects.overdue(now).filter(overdue_notice_sent_at__isnull=True)
    for pk in list(late.values_list("pk", flat=True)):
        with transaction.atomic():
            if not Review.objects.filter(pk=pk, overdue_notice_sent_at__isnull=True).update(
                overdue_notice_sent_at=now
            ):
                continue
            review = Review.objects.select_related("service", "applicant").get(pk=pk)
            transaction.on_commit(lambda review=review: emails.send_overdue(review))
            sent += 1
    return sent


def reviews_auto_close(*, now: datetime | None = None) -> int:
    """Close reviews returned 14 days ago or more without a revision request."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=AUTO_CLOSE_DAYS)
    count = 0
    stale = Review.objects.filter(status=ReviewStatus.RETURNED, returned_at__lte=cutoff)
    for pk in list(stale.values_list("pk", flat=True)):
        with transaction.atomic():
            if not Review.objects.filter(
                pk=pk, status=ReviewStatus.RETURNED, returned_at__lte=cutoff
            ).update(status=ReviewStatus.CLOSED, closed_at=now, updated_at=now):
                continue
            record(
                Review.objects.only("public_id").get(pk=pk),
                ReviewAction.AUTO_CLOSED,
                at=now,
                reason=f"No revision requested within {AUTO_CLOSE_DAYS} days of the return.",
                data={
                    "from_status": ReviewStatus.RETURNED,
                    "to_status": ReviewStatus.CLOSED,
                },
            )
            count += 1
    return count


def reviews_purge_files(*, now: datetime | None = None) -> int:
    """Delete the files of reviews closed or withdrawn `REVIEW_FILE_RETENTION_DAYS` ago; the
    review, its rounds and the file records stay. Returns how many files were deleted."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.REVIEW_FILE_RETENTION_DAYS)
    due = Review.objects.filter(status__in=FINISHED, files_purged_at__isnull=True).filter(
        Q(closed_at__lte=cutoff) | Q(withdrawn_at__lte=cutoff)
    )
    deleted = 0
    for pk in list(due.values_list("pk", flat=True)):
        names = []
        with transaction.atomic():
            if not Review.objects.filter(pk=pk, files_purged_at__isnull=True).update(
                files_purged_at=now
            ):
                continue
            for file in ReviewFile.objects.select_for_update().filter(review_id=pk).present():
                names.append(_forget_file(file, now=now, reason="Retention period ended."))
            record(
                Review.objects.only("public_id").get(pk=pk),
                ReviewAction.FILES_PURGED,
                at=now,
                reason=f"{len(names)} file(s), {settings.REVIEW_FILE_RETENTION_DAYS} days after closing.",
            )
            transaction.on_commit(lambda names=names: _delete_blobs(names))
        deleted += len(names)
    return deleted
