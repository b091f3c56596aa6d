"""Domain errors raised by booking services; views turn them into messages or 4xx JSON."""

from core.errors import DomainError


class SlotUnavailable(DomainError):
    code = "slot_taken"
    status = 409

    def __init__(self, message: str = "That time was just taken. Please pick another.", **kw):
        super().__init__(message, **kw)


class BookingStateError(DomainError):
    code = "booking_state"
    status = 409


class CreditUnavailable(DomainError):
    code = "no_credit"
    status = 409

    def __init__(
        self,
        message: str = "You have no unused credit for this service. Buy a session or a package first.",
        **kw,
    ):
        super().__init__(message, **kw)


class HoldLimitReached(DomainError):
    """One person may not hold more unpaid times than the limits in `booking.services`."""

    code = "too_many_holds"
    status = 409


class PolicyError(DomainError):
    """The cancellation/reschedule policy forbids this (e.g. too close to the start)."""

    code = "policy"
    status = 409


class NotBookable(DomainError):
    """A document review or an inactive service/coach: nothing to put on a calendar."""

    code = "not_bookable"
    status = 400


class InvalidQuery(DomainError):
    code = "invalid"
    status = 400


class NotFound(DomainError):
    code = "not_found"
    status = 404


class AvailabilityError(DomainError):
    """Hours, overrides or time off that do not make sense (end before start, overlaps)."""

    code = "invalid_availability"
    status = 400


class Forbidden(PolicyError):
    """The person asking may not do this (someone else's booking, not a coach, ...)."""

    code = "forbidden"
    status = 403
