"""Every write in scheduling: credits, holds, bookings, cancellations, moves, outcomes.

Lock before deciding: writes that occupy a coach's time lock the coach's `CoachSchedule` row
(`select_for_update`; on SQLite the IMMEDIATE transaction already holds the write lock), then
check the time with the slot engine, then insert. On PostgreSQL the exclusion constraint
`booking_no_overlap` is the last word; its IntegrityError becomes `SlotUnavailable`.
Emails are queued with `transaction.on_commit`, so a rolled-back change sends nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.transaction import TransactionManagementError
from django.utils import timezone

from booking import emails
from booking.availability import schedule_for
from booking.errors import (
    BookingStateError,
    CreditUnavailable,
    Forbidden,
    HoldLimitReached,
    NotBookable,
    PolicyError,
    SlotUnavailable,
)
from booking.history import BookingAction
from booking.meetings import new_room_name
from booking.models import (
    Booking,
    BookingStatus,
    CoachSchedule,
    Credit,
)
from booking.policy import GivesBack, booking_policy
from booking.slots import assignment_order, find_slots, is_free_slot
from coaching.models import Coach, Service
from core.dates import ensure_supported
from core.duties import can_handle_coaching, can_handle_money
from core.errors import DomainError
from core.history import record
from core.reminders import SESSION_REMINDERS, lead_label, send_due_notices
from core.timezones import is_valid_zone

logger = logging.getLogger(__name__)

OVERLAP_CONSTRAINT = "booking_no_overlap"

# Why a booking made with "any coach" went to its coach (its history says so).
ANY_COACH_REASON = "Any coach: assigned the coach with the fewest sessions that day."

# A paid single session cancelled in time becomes a credit for the same service, valid this long.
CANCELLED_SESSION_CREDIT_DAYS = 365


# --- credits ------------------------------------------------------------------------------


def credits_grant(
    *,
    applicant,
    service: Service,
    quantity: int,
    expires_at: datetime,
    source: str,
    source_label: str = "",
) -> Credit:
    """Grant credits once per `source`; a repeat returns the existing credit unchanged."""
    if quantity < 1:
        raise ValueError("quantity must be at least 1")
    existing = Credit.objects.filter(source=source).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return Credit.objects.create(
                applicant=applicant,
                service=service,
                quantity=quantity,
                remaining=quantity,
                expires_at=expires_at,
                source=source,
                source_label=source_label,
            )
    except IntegrityError:
        # Another request granted the same source at the same moment: theirs stands.
        return Credit.objects.get(source=source)


def credits_revoke_unused(*, source: str, reason: str, actor=None) -> int:
    """Take back what is left of a source's credits (e.g. after a refund). Returns how many."""
    count = Credit.objects.filter(source=source, revoked_at__isnull=True).update(
        remaining=0, revoked_at=timezone.now(), revoked_reason=reason[:300]
    )
    logger.info(
        "revoked %d credit(s) from %s (actor=%s)", count, source, getattr(actor, "pk", None)
    )
    return count


def credits_freeze(*, source: str, reason: str) -> int:
    """Make a source's credits unusable for now (e.g. a disputed payment)."""
    count = Credit.objects.filter(
        source=source, frozen_at__isnull=True, revoked_at__isnull=True
    ).update(frozen_at=timezone.now())
    logger.info("froze %d credit(s) from %s: %s", count, source, reason)
    return count


def credits_unfreeze(*, source: str) -> int:
    """Make every frozen credit from `source` usable again (a dispute won or withdrawn); returns how
    many. Credits never frozen are untouched."""
    return Credit.objects.filter(source=source, frozen_at__isnull=False).update(frozen_at=None)


def credit_spend(*, applicant, service: Service, now: datetime) -> Credit:
    """Spend one session of the applicant's soonest-expiring usable credit for `service`.

    The one way a credit is spent (bookings, and document reviews): the credit row is locked
    (`select_for_update`), expired, frozen, revoked and empty credits are skipped, and
    `CreditUnavailable` is raised when none is left. It must run inside the caller's
    transaction, so that whatever the credit pays for is created with the spend or not at all;
    racing requests for the last session wait on the lock and find it gone.
    """
    if not transaction.get_connection().in_atomic_block:
        # Checked here because SQLite (no SELECT ... FOR UPDATE) would not refuse it.
        raise TransactionManagementError("credit_spend must run inside the caller's transaction.")
    credit = (
        Credit.objects.select_for_update()
        .filter(applicant=applicant, service=service)
        .usable(now)
        .order_by("expires_at", "id")
        .first()
    )
    if credit is None:
        raise CreditUnavailable()
    # The CHECK constraint (0 <= remaining <= quantity) is the last word against overdraw.
    Credit.objects.filter(pk=credit.pk).update(remaining=F("remaining") - 1)
    credit.remaining -= 1
    return credit


def credit_return(*, credit_id: int | None) -> bool:
    """Put one spent session back on a credit (a cancelled booking, a withdrawn review);
    whether it came back. Conditional, so a credit revoked or restored meanwhile is not
    overfilled."""
    if credit_id is None:
        return False
    return bool(
        Credit.objects.filter(pk=credit_id, revoked_at__isnull=True)
        .filter(remaining__lt=F("quantity"))
        .update(remaining=F("remaining") + 1)
    )


def _credit_give_back(booking: Booking, gives_back: GivesBack, *, now: datetime) -> bool:
    """Give a cancelled session's value back as the policy says; whether anything came back."""
    if gives_back == GivesBack.CREDIT_RETURNED:
        return credit_return(credit_id=booking.credit_id)
    if gives_back == GivesBack.NEW_CREDIT:
        credits_grant(
            applicant=booking.applicant,
            service=booking.service,
            quantity=1,
            expires_at=now + timedelta(days=CANCELLED_SESSION_CREDIT_DAYS),
            source=f"cancelled-booking:{booking.public_id}",
            source_label="Cancelled paid session",
        )
        return True
    return False


# --- helpers ------------------------------------------------------------------------------


def _as_utc(value: datetime) -> datetime:
    if timezone.is_naive(value):
        raise ValueError("booking times must be timezone-aware")
    return ensure_supported(value, name="The time").astimezone(UTC)


def _check_bookable(*, service: Service, coach: Coach | None = None) -> None:
    if not service.is_bookable:
        raise NotBookable(
            f"{service.name} is a document review: there is no time to book.",
            code="not_bookable",
        )
    if not service.active:
        raise NotBookable(f"{service.name} is not offered at the moment.", code="not_bookable")
    if coach is not None:
        if not coach.active:
            raise NotBookable(f"{coach.display_name} is not taking bookings.", code="not_bookable")
        if not Service.objects.filter(pk=service.pk, coaches=coach).exists():
            raise NotBookable(
                f"{coach.display_name} does not offer {service.name}.", code="not_bookable"
            )


def _lock_schedule(coach: Coach) -> CoachSchedule:
    """Lock the coach's schedule row: writes for one coach then run one at a time."""
    schedule = schedule_for(coach, lock=True)
    coach.schedule = schedule
    return schedule


def _expire_lapsed_holds(*, coach: Coach, now: datetime, exclude_pk: int | None = None) -> None:
    """Holds past their expiry stop blocking time; mark them expired before inserting."""
    lapsed = Booking.objects.filter(
        coach=coach, status=BookingStatus.HELD, hold_expires_at__lte=now
    )
    if exclude_pk is not None:
        lapsed = lapsed.exclude(pk=exclude_pk)
    for pk in lapsed.values_list("pk", flat=True):
        _expire_one(pk=pk, now=now, reason="Hold lapsed before payment.")


def _expire_one(*, pk: int, now: datetime, reason: str, action=BookingAction.EXPIRED) -> bool:
    # A conditional UPDATE: whoever flips the row first records the event, nobody twice.
    changed = Booking.objects.filter(
        pk=pk, status=BookingStatus.HELD, hold_expires_at__lte=now
    ).update(status=BookingStatus.EXPIRED, updated_at=now)
    if changed:
        record(
            Booking.objects.only("public_id").get(pk=pk),
            action,
            reason=reason,
            data={"from_status": BookingStatus.HELD, "to_status": BookingStatus.EXPIRED},
        )
    return bool(changed)


def _save_active(booking: Booking, **save_kwargs) -> None:
    """Save a held/confirmed booking; the overlap constraint's veto becomes SlotUnavailable."""
    try:
        with transaction.atomic():
            booking.save(**save_kwargs)
    except IntegrityError as exc:
        if OVERLAP_CONSTRAINT in str(exc):
            raise SlotUnavailable() from exc
        raise


def _locked(booking: Booking) -> Booking:
    return (
        Booking.objects.select_for_update(of=("self",))
        .select_related("coach__user", "service", "applicant", "credit")
        .get(pk=booking.pk)
    )


def _has_conflict(*, coach: Coach, blocked_start, blocked_end, now, exclude_pk=None) -> bool:
    qs = Booking.objects.blocking(now).filter(
        coach=coach, blocked_start__lt=blocked_end, blocked_end__gt=blocked_start
    )
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return qs.exists()


def _session_times(*, service: Service, start: datetime, schedule: CoachSchedule) -> dict:
    """A session's end and the interval it blocks (the coach's buffers around it)."""
    end = start + timedelta(minutes=service.duration_minutes)
    return {
        "start": start,
        "end": end,
        "blocked_start": start - schedule.buffer_before,
        "blocked_end": end + schedule.buffer_after,
    }


def _new_booking(*, applicant, coach, service, start, schedule, **fields) -> Booking:
    return Booking(
        applicant=applicant,
        coach=coach,
        service=service,
        **_session_times(service=service, start=start, schedule=schedule),
        **fields,
    )


def _lock_coaches(service: Service) -> list[Coach]:
    """Lock the schedule rows of every active coach who delivers `service`, in id order: racing
    "any coach" writers queue in one order (no deadlock between them; writers for one coach
    lock only that row) and each decides on what the one before it committed."""
    coaches = list(service.coaches.active().order_by("pk"))
    for coach in coaches:
        _lock_schedule(coach)
    return coaches


def _occupy(
    *,
    applicant,
    service: Service,
    start: datetime,
    coach: Coach | None,
    now: datetime,
    refuse: Callable[[Coach], DomainError | None] = lambda coach: None,
    **fields,
) -> Booking:
    """Insert an active booking at `start` inside the caller's transaction, with `coach` or,
    without one, "any coach": the free coaches in `assignment_order` (fewest active sessions on
    that date in their own zone, ties by slug), the first that `refuse` does not turn down.
    Should the database still veto a coach (the overlap constraint), the next one is tried, so
    a time never fails while a coach is free."""
    if coach is not None:
        schedule = _lock_schedule(coach)
        _expire_lapsed_holds(coach=coach, now=now)
        if not is_free_slot(service=service, coach=coach, start=start, now=now):
            raise SlotUnavailable()
        booking = _new_booking(
            applicant=applicant,
            coach=coach,
            service=service,
            start=start,
            schedule=schedule,
            **fields,
        )
        _save_active(booking)
        return booking
    coaches = _lock_coaches(service)
    for candidate in coaches:
        _expire_lapsed_holds(coach=candidate, now=now)
    free = find_slots(
        service=service,
        start=start,
        end=start + timedelta(microseconds=1),
        coaches=coaches,
        now=now,
    )
    refused = None
    for slot in assignment_order(free, start):
        error = refuse(slot.coach)
        if error is not None:
            refused = refused or error
            continue
        booking = _new_booking(
            applicant=applicant,
            coach=slot.coach,
            service=service,
            start=start,
            schedule=slot.coach.schedule,
            **fields,
        )
        try:
            _save_active(booking)
        except SlotUnavailable:
            continue
        return booking
    raise refused or SlotUnavailable()


def _may_cancel_for_others(actor) -> bool:
    """Coaching staff cancel any session; finance cancels those a full refund pays back."""
    return can_handle_coaching(actor) or can_handle_money(actor)


# --- holds (paid single sessions) ---------------------------------------------------------


# Each unpaid hold keeps a coach's time from everybody else, so one person may hold only a few
# at once: in all, with one coach, and on one day of their own calendar.
MAX_HOLDS = 3
MAX_HOLDS_WITH_ONE_COACH = 2
MAX_HOLDS_ON_ONE_DAY = 2


def _hold_limit_error(
    *, applicant, held: list[tuple[int, datetime]], start: datetime, coach: Coach | None = None
) -> HoldLimitReached | None:
    """What stops one more hold at `start` (with `coach`, when one is given), or None. `held`
    is the applicant's waiting holds as (coach id, start), read with the applicant's row
    locked, so racing requests count one after another."""
    zone = ZoneInfo(applicant.time_zone if is_valid_zone(applicant.time_zone) else "UTC")
    day = start.astimezone(zone).date()
    with_coach = sum(1 for coach_id, _ in held if coach is not None and coach_id == coach.pk)
    on_day = sum(1 for _, held_start in held if held_start.astimezone(zone).date() == day)
    if len(held) >= MAX_HOLDS:
        problem = f"You already have {len(held)} sessions waiting for payment."
    elif with_coach >= MAX_HOLDS_WITH_ONE_COACH:
        problem = f"You already have {with_coach} sessions with this coach waiting for payment."
    elif on_day >= MAX_HOLDS_ON_ONE_DAY:
        problem = f"You already have {on_day} sessions on that day waiting for payment."
    else:
        return None
    return HoldLimitReached(f"{problem} Pay for or cancel one of them first (see your orders).")


def booking_hold(
    *,
    applicant,
    coach: Coach | None,
    service: Service,
    start: datetime,
    hold_until: datetime,
    actor=None,
) -> Booking:
    """Hold a free slot while the applicant pays; it stops blocking at `hold_until`. Without a
    coach, "any coach" assigns one (see `_occupy`) among those the hold limits allow."""
    _check_bookable(service=service, coach=coach)
    start = _as_utc(start)
    with transaction.atomic():
        # The applicant first, then the coach(es): every hold takes the locks in this order.
        applicant = get_user_model().objects.select_for_update().get(pk=applicant.pk)
        now = timezone.now()
        held = list(
            Booking.objects.filter(
                applicant=applicant, status=BookingStatus.HELD, hold_expires_at__gt=now
            ).values_list("coach_id", "start")
        )
        error = _hold_limit_error(applicant=applicant, held=held, start=start, coach=coach)
        if error is not None:
            raise error
        booking = _occupy(
            applicant=applicant,
            service=service,
            start=start,
            coach=coach,
            now=now,
            refuse=lambda candidate: _hold_limit_error(
                applicant=applicant, held=held, start=start, coach=candidate
            ),
            status=BookingStatus.HELD,
            hold_expires_at=_as_utc(hold_until),
        )
        record(
            booking,
            BookingAction.HELD,
            actor=actor or applicant,
            reason="" if coach else ANY_COACH_REASON,
            data={
                "to_start": start,
                "to_status": BookingStatus.HELD,
            },
        )
    return booking


def booking_confirm_hold(*, booking: Booking, actor=None) -> Booking:
    """Held → confirmed after payment. A lapsed hold is confirmed if its time is still free;
    if someone else took it meanwhile, raise SlotUnavailable (the payer gets a refund)."""
    with transaction.atomic():
        booking = _locked(booking)
        if booking.status == BookingStatus.CONFIRMED:
            return booking
        booking.check_transition(BookingStatus.CONFIRMED)
        now = timezone.now()
        from_status = booking.status
        lapsed = booking.status == BookingStatus.EXPIRED or (
            booking.hold_expires_at is not None and booking.hold_expires_at <= now
        )
        if lapsed:
            _lock_schedule(booking.coach)
            _expire_lapsed_holds(coach=booking.coach, now=now, exclude_pk=booking.pk)
            if _has_conflict(
                coach=booking.coach,
                blocked_start=booking.blocked_start,
                blocked_end=booking.blocked_end,
                now=now,
                exclude_pk=booking.pk,
            ):
                raise SlotUnavailable()
        booking.status = BookingStatus.CONFIRMED
        booking.meeting_room = booking.meeting_room or new_room_name()
        _save_active(booking, update_fields=["status", "meeting_room", "updated_at"])
        record(
            booking,
            BookingAction.CONFIRMED,
            actor=actor,
            reason="Confirmed after its hold lapsed." if lapsed else "",
            data={
                "to_start": booking.start,
                "from_status": from_status,
                "to_status": BookingStatus.CONFIRMED,
            },
        )
        transaction.on_commit(lambda: emails.send_booking_confirmed(booking))
    return booking


def booking_release_hold(*, booking: Booking, reason: str) -> Booking:
    """Held → expired (checkout cancelled or expired). Anything else is left as it is."""
    with transaction.atomic():
        booking = _locked(booking)
        if booking.status != BookingStatus.HELD:
            return booking
        booking.status = BookingStatus.EXPIRED
        booking.save(update_fields=["status", "updated_at"])
        record(
            booking,
            BookingAction.RELEASED,
            reason=reason,
            data={
                "from_status": BookingStatus.HELD,
                "to_status": BookingStatus.EXPIRED,
            },
        )
    return booking


def bookings_expire_stale_holds(*, now: datetime | None = None) -> int:
    """The sweep: every hold past its expiry becomes expired. Safe to run twice or late."""
    now = now or timezone.now()
    count = 0
    stale = Booking.objects.filter(status=BookingStatus.HELD, hold_expires_at__lte=now)
    for pk in stale.values_list("pk", flat=True):
        with transaction.atomic():
            count += _expire_one(pk=pk, now=now, reason="Hold expired.")
    return count


# --- booking with a credit ----------------------------------------------------------------


def booking_book_with_credit(
    *, applicant, service: Service, start: datetime, coach: Coach | None = None, notes: str = ""
) -> Booking:
    """Spend one usable credit (soonest-expiring first) and confirm, in one transaction.
    Without a coach, "any coach" assigns one (see `_occupy`)."""
    _check_bookable(service=service, coach=coach)
    start = _as_utc(start)
    with transaction.atomic():
        now = timezone.now()
        credit = credit_spend(applicant=applicant, service=service, now=now)
        booking = _occupy(
            applicant=applicant,
            service=service,
            start=start,
            coach=coach,
            now=now,
            status=BookingStatus.CONFIRMED,
            credit=credit,
            applicant_notes=notes[:2000],
            meeting_room=new_room_name(),
        )
        credit_label = f"Credit: {credit.source_label or credit.source}"
        record(
            booking,
            BookingAction.BOOKED,
            actor=applicant,
            reason=credit_label if coach else f"{credit_label}. {ANY_COACH_REASON}",
            data={
                "to_start": start,
                "to_status": BookingStatus.CONFIRMED,
            },
        )
        transaction.on_commit(lambda: emails.send_booking_confirmed(booking))
    return booking


# --- cancel, reschedule, outcome ----------------------------------------------------------


def _cancel_policy(booking: Booking, *, now: datetime, by_staff: bool, expected: GivesBack | None):
    """The policy that applies to cancelling `booking` now, or `PolicyError` when it may not be
    cancelled or gives back something else than the person was told (`expected`)."""
    policy = booking_policy(booking, now=now, by_staff=by_staff)
    if not policy.can_cancel:
        raise PolicyError("This session has already started; it can no longer be cancelled.")
    if expected is not None and policy.gives_back != expected:
        raise PolicyError(
            f"This has changed since you opened the page: {policy.sentence[0].lower()}"
            f"{policy.sentence[1:]} Confirm again if you still want to cancel.",
            code="policy_changed",
        )
    return policy


def booking_cancel(
    *,
    booking: Booking,
    actor,
    reason: str,
    by_staff: bool = False,
    return_value: bool = True,
    expected: GivesBack | None = None,
) -> Booking:
    """Cancel, giving back what `booking_policy` says cancelling now gives back.

    On time (or by staff) the session's value comes back: a booking made with a credit gets
    that credit back, a session paid for on its own a new credit for the same service, so the
    money is never silently kept. Late, an applicant forfeits it. `return_value=False` is for
    callers that give the value back another way (a full refund). `expected` is what the
    person was told cancelling gives back: if that is no longer so (the deadline passed while
    they read it), nothing changes and `PolicyError` (`policy_changed`) says what it gives now.
    """
    if by_staff and not _may_cancel_for_others(actor):
        raise Forbidden("Only coaching staff can cancel on someone's behalf.")
    with transaction.atomic():
        booking = _locked(booking)
        if booking.status == BookingStatus.CANCELLED:
            return booking
        if not by_staff and booking.applicant_id != getattr(actor, "pk", None):
            raise Forbidden("You can only cancel your own bookings.")
        booking.check_transition(BookingStatus.CANCELLED)
        now = timezone.now()
        policy = _cancel_policy(booking, now=now, by_staff=by_staff, expected=expected)
        gives_back = policy.gives_back if return_value else GivesBack.NOTHING
        credit_returned = _credit_give_back(booking, gives_back, now=now)
        forfeited = return_value and policy.forfeits
        from_status = booking.status
        booking.status = BookingStatus.CANCELLED
        booking.sequence += 1
        booking.save(update_fields=["status", "sequence", "updated_at"])
        record(
            booking,
            BookingAction.CANCELLED,
            actor=actor,
            reason=f"{reason} (late cancellation: session forfeited)".strip()
            if forfeited
            else reason,
            data={
                "from_start": booking.start,
                "from_status": from_status,
                "to_status": BookingStatus.CANCELLED,
            },
        )
        if from_status == BookingStatus.CONFIRMED:
            transaction.on_commit(
                lambda: emails.send_booking_cancelled(
                    booking, reason=reason, credit_returned=credit_returned, forfeited=forfeited
                )
            )
    return booking


def _reschedule_check(booking: Booking, *, times: dict, now: datetime, by_staff: bool) -> None:
    """Applicants move to a slot the engine offers; staff to any future time nobody else holds."""
    new_start = times["start"]
    if not by_staff:
        if not is_free_slot(
            service=booking.service,
            coach=booking.coach,
            start=new_start,
            now=now,
            exclude_booking_id=booking.pk,
        ):
            raise SlotUnavailable()
        return
    if new_start <= now or _has_conflict(
        coach=booking.coach,
        blocked_start=times["blocked_start"],
        blocked_end=times["blocked_end"],
        now=now,
        exclude_pk=booking.pk,
    ):
        raise SlotUnavailable("That time is taken or in the past. Pick another.")


def booking_reschedule(
    *, booking: Booking, actor, new_start: datetime, by_staff: bool = False
) -> Booking:
    """Move a confirmed booking to another free slot, atomically (or not at all).

    Applicants: only their own, while `booking_policy` allows it (until the service's notice
    period), to a slot the engine offers. Staff: any booking, to any time that overlaps no other
    booking (outside hours allowed).
    """
    if by_staff and not can_handle_coaching(actor):
        raise Forbidden("Only coaching staff can move a booking on someone's behalf.")
    new_start = _as_utc(new_start)
    with transaction.atomic():
        booking = _locked(booking)
        if not by_staff and booking.applicant_id != getattr(actor, "pk", None):
            raise Forbidden("You can only move your own bookings.")
        if booking.status != BookingStatus.CONFIRMED:
            raise BookingStateError(
                f"This booking is {booking.get_status_display().lower()}; only confirmed "
                "bookings can be moved.",
                code="booking_state",
            )
        if new_start == booking.start:
            return booking
        now = timezone.now()
        policy = booking_policy(booking, now=now, by_staff=by_staff)
        if not policy.can_reschedule:
            raise PolicyError(
                f"Sessions can be moved until {policy.notice_hours} hours before they start; "
                f"this one is too close. You can still cancel it (cancelling now "
                f"{policy.gives_back_phrase}).",
                code="too_late",
            )
        schedule = _lock_schedule(booking.coach)
        _expire_lapsed_holds(coach=booking.coach, now=now)
        times = _session_times(service=booking.service, start=new_start, schedule=schedule)
        _reschedule_check(booking, times=times, now=now, by_staff=by_staff)
        previous_start = booking.start
        for name, value in times.items():
            setattr(booking, name, value)
        booking.sequence += 1
        booking.reminder_24h_sent_at = booking.reminder_1h_sent_at = None
        _save_active(booking)
        record(
            booking,
            BookingAction.RESCHEDULED,
            actor=actor,
            reason="Moved by staff." if by_staff else "Moved by the applicant.",
            data={
                "from_start": previous_start,
                "to_start": new_start,
                "from_status": booking.status,
                "to_status": booking.status,
            },
        )
        transaction.on_commit(
            lambda: emails.send_booking_rescheduled(booking, previous_start=previous_start)
        )
    return booking


def booking_mark(*, booking: Booking, actor, outcome: str, reason: str = "") -> Booking:
    """The coach (or staff) records how a session went, once it has started."""
    if outcome not in (BookingStatus.COMPLETED, BookingStatus.NO_SHOW):
        raise BookingStateError("Mark a session as completed or no-show.", code="bad_outcome")
    with transaction.atomic():
        booking = _locked(booking)
        if booking.coach.user_id != getattr(actor, "pk", None) and not can_handle_coaching(actor):
            raise Forbidden("Only the session's coach can record its outcome.")
        if booking.status == outcome:
            return booking
        booking.check_transition(outcome)
        if timezone.now() < booking.start:
            raise PolicyError("You can record the outcome once the session has started.")
        from_status = booking.status
        booking.status = outcome
        booking.save(update_fields=["status", "updated_at"])
        record(
            booking,
            BookingAction.COMPLETED
            if outcome == BookingStatus.COMPLETED
            else BookingAction.NO_SHOW,
            actor=actor,
            reason=reason,
            data={
                "from_status": from_status,
                "to_status": outcome,
            },
        )
    return booking


# --- reminders ----------------------------------------------------------------------------


def bookings_send_reminders(*, now: datetime | None = None) -> int:
    """Send each confirmed session's reminders (24 hours and 1 hour before its start,
    `core.reminders.SESSION_REMINDERS`) exactly once, even if the job runs late or twice at once
    (claimed by `core.reminders.send_due_notices`; a late job sends only the 1-hour one)."""
    now = now or timezone.now()

    def deliver(pk: int) -> None:
        booking = Booking.objects.select_related("coach__user", "service", "applicant").get(pk=pk)
        emails.send_booking_reminder(booking, lead=lead_label(booking.start - now))

    return send_due_notices(
        candidates=Booking.objects.filter(status=BookingStatus.CONFIRMED),
        moment="start",
        notices=SESSION_REMINDERS,
        now=now,
        deliver=deliver,
    )
