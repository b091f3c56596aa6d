"""Review notifications, rendered and queued by the one email sender (`core.emails`).

Applicants hear when a review is received (with its due date), returned, when their revision
is received, when it is late (an apology) and when it is withdrawn; reviewers get a reminder
the working day before a review is due and a note when a revision comes in. Times show in the
recipient's zone; links are absolute on `SITE_URL`.
"""

from __future__ import annotations

from core.emails import send_templated_email, send_to_person


def _to_applicant(review, *, template: str, subject: str, **extra) -> None:
    send_to_person(
        review.applicant,
        subject=subject,
        template=f"reviews/{template}",
        context={"review": review, **extra},
    )


def _to_reviewer(review, *, template: str, subject: str, **extra) -> None:
    coach = review.reviewer
    send_templated_email(
        to=coach.user.email,
        subject=subject,
        template=f"reviews/{template}",
        context={"recipient": coach.display_name, "review": review, **extra},
        time_zone=coach.time_zone,
    )


def send_received(review) -> None:
    _to_applicant(review, template="received", subject=f"We have your documents: {review.service}")


def send_returned(review, round) -> None:
    _to_applicant(
        review,
        template="returned",
        subject=f"Your review is back: {review.service}",
        round=round,
    )


def send_revision_received(review, round) -> None:
    _to_applicant(
        review,
        template="revision_received",
        subject=f"We have your revision: {review.service}",
        round=round,
    )
    _to_reviewer(
        review,
        template="revision_for_reviewer",
        subject=f"A revision to review: {review.service}",
        round=round,
    )


def send_overdue(review) -> None:
    _to_applicant(
        review, template="overdue", subject=f"Your review is running late: {review.service}"
    )


def send_withdrawn(review, *, credit_returned: bool, reason: str) -> None:
    _to_applicant(
        review,
        template="withdrawn",
        subject=f"Review withdrawn: {review.service}",
        credit_returned=credit_returned,
        reason=reason,
    )


def send_reviewer_reminder(review) -> None:
    _to_reviewer(
        review, template="reminder", subject=f"Review due on the next working day: {review.service}"
    )
