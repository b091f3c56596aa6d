"""Domain errors raised by the webinar services."""

from core.errors import DomainError


class WebinarError(DomainError):
    """A webinar or registration change that is not allowed now (full, closed, cancelled...)."""

    code = "webinar"
    status = 400


class WebinarForbidden(DomainError):
    """The person asking may not do this (register without the perk, host someone else's)."""

    code = "forbidden"
    status = 403
