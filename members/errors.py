"""Domain errors raised by members' services."""

from core.errors import DomainError


class EntitlementError(DomainError):
    code = "entitlement"
    status = 400


class PerkRequired(DomainError):
    """The person asking does not hold the perk this needs (or it has ended)."""

    code = "perk_required"
    status = 403


class ShortlistError(DomainError):
    code = "shortlist"
    status = 400
