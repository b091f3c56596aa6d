"""Who may see a review and its files: the applicant who sent it, the reviewer assigned to it,
and coaching staff (`core.duties`; superusers too, editors and finance not). Everyone else gets
a 404, so a review's existence is not disclosed."""

from __future__ import annotations

from core.duties import can_handle_coaching


def is_review_staff(user) -> bool:
    return can_handle_coaching(user)


def is_owner(user, review) -> bool:
    return bool(user is not None and user.is_authenticated and review.applicant_id == user.pk)


def is_assigned_reviewer(user, review) -> bool:
    reviewer = review.reviewer
    return bool(
        user is not None
        and user.is_authenticated
        and reviewer is not None
        and reviewer.user_id == user.pk
    )


def can_view(user, review) -> bool:
    return is_owner(user, review) or is_assigned_reviewer(user, review) or is_review_staff(user)
