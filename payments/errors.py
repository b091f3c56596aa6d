"""Domain errors raised by payments services; views turn them into messages or 4xx JSON."""

from core.errors import DomainError


class OrderStateError(DomainError):
    code = "order_state"
    status = 409


class CheckoutUnavailable(DomainError):
    """Something in the request cannot be sold (inactive package, no single price, ...)."""

    code = "not_for_sale"
    status = 400


class CheckoutInvalid(DomainError):
    """What the buyer sent cannot be read (a missing field, a time without an offset)."""

    code = "invalid"
    status = 400


class CheckoutNotFound(DomainError):
    """The service or coach asked for does not exist (or is not active)."""

    code = "not_found"
    status = 404


class EmailNotVerified(DomainError):
    code = "email_not_verified"
    status = 403

    def __init__(self, message: str = "Please verify your email address before you buy.", **kw):
        super().__init__(message, **kw)


class PaymentProviderError(DomainError):
    """Stripe refused or could not be reached; the message says what the person can do."""

    code = "payment_provider"
    status = 502


class RefundError(DomainError):
    code = "refund"
    status = 400


class RefundStateError(DomainError):
    code = "refund_state"
    status = 409
