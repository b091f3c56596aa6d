"""The cancel and reschedule policy: one function, asked by services, API, pages and dashboard.

`booking_policy(booking)` answers, for a moment (`now`): until when the session may be changed,
whether it may be cancelled or moved now, and what cancelling now gives back. The services
decide with it; everything that shows the policy (API JSON, booking page, dashboard) shows it,
so what a page promises is what cancelling does.

What cancelling gives back is read from what booking itself records:
- booked with a credit: that credit gets its session back, unless the credit was revoked (the
  order that granted it was refunded in full: the refund is the value returned);
- no credit, confirmed: a session paid for on its own; cancelling gives a new credit for the
  same service (`booking_cancel` grants it);
- held: nothing was paid yet, so nothing comes back;
- after the deadline (start − the service's notice hours) an applicant gets nothing back: the
  session is used up. Staff cancelling on someone's behalf always give the value back.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from django.utils import timezone

from booking.models import Booking, BookingStatus


class GivesBack(StrEnum):
    CREDIT_RETURNED = "credit_returned"  # the credit it was booked with gets its session back
    NEW_CREDIT = "new_credit"  # a paid single session becomes a credit for the same service
    NOTHING = "nothing"


class NothingBecause(StrEnum):
    """Why cancelling gives nothing back (empty when it does give something)."""

    NONE = ""
    LATE = "late"  # inside the notice period: the session is used up
    REFUNDED = "refunded"  # its credit was revoked by a refund
    ALREADY_RETURNED = "already_returned"  # its credit has every session back already
    NOT_PAID = "not_paid"  # a hold: nothing was paid yet
    CLOSED = "closed"  # cannot be cancelled at all (started, finished, cancelled)


@dataclass(frozen=True)
class BookingPolicy:
    """What the applicant (or staff) may do about one booking at one moment."""

    deadline: datetime  # last moment to move or cancel with the value given back
    notice_hours: int
    in_time: bool
    can_cancel: bool
    can_reschedule: bool
    gives_back: GivesBack
    nothing_because: NothingBecause
    service_name: str

    @property
    def cancel_returns_credit(self) -> bool:
        """Whether cancelling now leaves the applicant with a session to book again."""
        return self.gives_back != GivesBack.NOTHING

    @property
    def forfeits(self) -> bool:
        """Cancelling now uses up a confirmed session (late, by the applicant)."""
        return self.nothing_because == NothingBecause.LATE

    @property
    def gives_back_phrase(self) -> str:
        """What cancelling does, to follow "cancelling now …" in a sentence."""
        if self.gives_back == GivesBack.CREDIT_RETURNED:
            return "returns your credit"
        if self.gives_back == GivesBack.NEW_CREDIT:
            return f"gives you a credit for another {self.service_name}"
        return {
            NothingBecause.LATE: "uses up the session",
            NothingBecause.REFUNDED: "gives nothing back, as its payment was refunded",
            NothingBecause.NOT_PAID: "releases the held time (nothing was paid yet)",
        }.get(self.nothing_because, "gives nothing back")

    @property
    def sentence(self) -> str:
        """One sentence for the applicant about cancelling now."""
        if not self.can_cancel:
            return "This session can no longer be cancelled."
        return f"Cancelling now {self.gives_back_phrase}."


def booking_policy(
    booking: Booking, *, now: datetime | None = None, by_staff: bool = False
) -> BookingPolicy:
    """The policy for `booking` at `now`: for its applicant, or for staff acting for them."""
    now = now or timezone.now()
    notice_hours = booking.service.cancellation_notice_hours
    deadline = booking.start - timedelta(hours=notice_hours)
    in_time = now <= deadline
    active = booking.status in (BookingStatus.CONFIRMED, BookingStatus.HELD)
    confirmed = booking.status == BookingStatus.CONFIRMED
    if by_staff:
        can_cancel, can_reschedule = active, confirmed
    else:
        can_cancel = active and booking.start > now
        can_reschedule = confirmed and in_time

    because = NothingBecause.NONE
    if not can_cancel:
        because = NothingBecause.CLOSED
    elif not confirmed:
        because = NothingBecause.NOT_PAID
    elif not (in_time or by_staff):
        because = NothingBecause.LATE
    elif booking.credit_id and booking.credit.revoked_at is not None:
        because = NothingBecause.REFUNDED
    elif booking.credit_id and booking.credit.remaining >= booking.credit.quantity:
        because = NothingBecause.ALREADY_RETURNED

    if because:
        gives_back = GivesBack.NOTHING
    elif booking.credit_id:
        gives_back = GivesBack.CREDIT_RETURNED
    else:
        gives_back = GivesBack.NEW_CREDIT
    return BookingPolicy(
        deadline=deadline,
        notice_hours=notice_hours,
        in_time=in_time,
        can_cancel=can_cancel,
        can_reschedule=can_reschedule,
        gives_back=gives_back,
        nothing_because=because,
        service_name=booking.service.name,
    )


@dataclass(frozen=True)
class PaidSessionTerms:
    """What cancelling a session that is being paid for will give back once it is paid:
    before its deadline (`before`, empty when the deadline has already passed) and after it
    (`after`), each a phrase to follow "cancelling … " ("gives you a credit for another …")."""

    deadline: datetime
    before: str
    after: str


def paid_session_terms(booking: Booking, *, now: datetime | None = None) -> PaidSessionTerms:
    """For a held session at checkout: the policy asked about the same booking once paid
    (confirmed), now and just after its deadline, so checkout promises what cancelling does."""
    now = now or timezone.now()
    paid = copy.copy(booking)  # never saved: the hold itself stays as it is
    paid.status = BookingStatus.CONFIRMED
    policy = booking_policy(paid, now=now)
    late = booking_policy(paid, now=max(now, policy.deadline + timedelta(seconds=1)))
    return PaidSessionTerms(
        deadline=policy.deadline,
        before=policy.gives_back_phrase if policy.in_time else "",
        after=late.gives_back_phrase,
    )
