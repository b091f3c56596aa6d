"""Domain errors raised by review services; views turn them into messages or form errors."""

from core.errors import DomainError


class ReviewStateError(DomainError):
    """A move the review's status does not allow (return a withdrawn review, ...)."""

    code = "review_state"
    status = 409


class ReviewForbidden(DomainError):
    """The person asking may not do this to this review."""

    code = "forbidden"
    status = 403


class ClaimLost(DomainError):
    """Another reviewer claimed the review first (or it was withdrawn meanwhile)."""

    code = "claim_lost"
    status = 409

    def __init__(self, message: str = "Another reviewer claimed this review a moment ago.", **kw):
        super().__init__(message, **kw)


class RevisionLimit(DomainError):
    """The follow-up round included with a review is used and no revisions perk is active."""

    code = "revision_limit"
    status = 409


class EmptyReturn(DomainError):
    code = "empty_return"
    status = 400

    def __init__(
        self,
        message: str = "Write a summary, suggest a revised text or attach a file before returning.",
        **kw,
    ):
        super().__init__(message, **kw)
