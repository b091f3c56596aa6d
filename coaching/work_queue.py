"""The coach's work queue: one rule for claiming work, whichever app the work belongs to.

Document reviews (`reviews`) and practice attempts (`practice`) are claimed from one queue
(`site/coach_queue.py`) against one limit, `Coach.max_open_items`. The rule lives here, below
both apps, because the coach's row does:

- each app's `AppConfig.ready()` registers its kind of work with the counter of a coach's open
  items of that kind (`register_work_kind`), so this module counts every app's open items
  without importing any of them;
- each app's claim service calls `claim_guard` inside its transaction, before its conditional
  UPDATE: it locks the coach's row, so one coach's claims run one at a time whatever app they
  are in, and refuses the claim (`ClaimRefused`, `QueueFull`) unless the coach may take it.

The registry is filled by code at start-up in every process (web, worker, tests), never by
requests, so no process keeps state another needs.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Protocol

from django.core.exceptions import ImproperlyConfigured

from coaching.models import Coach
from core.errors import DomainError


class WorkItem(Protocol):
    """What the queue and the guard need of a piece of work (a `Review`, an `Attempt`)."""

    work_kind: str  # the kind it was registered under; also its URL segment
    public_id: str
    work_service_id: int  # the service a coach must deliver to claim it
    work_owner_id: int  # the user who sent it in: never the one who claims it
    work_owner: object  # shown as the applicant
    work_title: str
    work_due_at: datetime | None

    def is_claimed_by(self, coach: Coach) -> bool:
        """The coach holds it now (a repeated claim is a double click, not a new one)."""
        ...

    def refresh_from_db(self) -> None: ...

    def get_status_display(self) -> str: ...

    def get_work_url(self) -> str: ...

    # Optional: `work_size`, a short note of how much work it is ("4 min of recorded answers").


class ClaimRefused(DomainError):
    """This coach may not take this item (inactive, not their service, their own work)."""

    code = "claim_refused"
    status = 403


class QueueFull(DomainError):
    """The coach holds as many open items as their limit allows."""

    code = "queue_full"
    status = 409


OpenCounter = Callable[[Coach], int]
_open_counters: dict[str, OpenCounter] = {}


def register_work_kind(kind: str, *, open_count_for: OpenCounter) -> None:
    """Make `kind` claimable and count the coach's open items of it against their limit.
    Called from the app's `AppConfig.ready()`; registering a kind again replaces its counter."""
    _open_counters[kind] = open_count_for


def registered_kinds() -> set[str]:
    """The kinds of work apps have registered."""
    return set(_open_counters)


def open_total_for(coach: Coach) -> int:
    """The coach's open items across every registered kind: what their limit is held against."""
    return sum(count(coach) for count in _open_counters.values())


def claim_guard(*, coach: Coach, item: WorkItem) -> Coach:
    """Lock the coach's row and return it, if the coach may claim `item` now; raise otherwise.

    Call it inside the claim's transaction, before the conditional UPDATE that takes the item:
    the lock lasts until that transaction ends, so a coach's concurrent claims (in any app) count
    their open items one at a time and the limit is never exceeded. Once the lock is held,
    `item` is refreshed from the database; if the coach already holds it (a double click, even
    a concurrent one) nothing is checked and the caller sees `item.is_claimed_by(coach)`.
    Otherwise refuses with `ClaimRefused` a coach who is inactive, does not deliver the item's
    service or sent the item in themselves, and with `QueueFull` one at their limit. A kind no
    app registered is a programming error (`ImproperlyConfigured`), never a claim the limit
    would miss.
    """
    if item.work_kind not in _open_counters:
        raise ImproperlyConfigured(f"No app registered the work kind {item.work_kind!r}.")
    locked = Coach.objects.select_for_update().get(pk=coach.pk)
    item.refresh_from_db()
    if item.is_claimed_by(locked):
        return locked
    if not locked.active:
        raise ClaimRefused(
            "Your coach profile is inactive, so you cannot claim work.", code="coach_inactive"
        )
    if item.work_owner_id == locked.user_id:
        raise ClaimRefused("This is your own work: another coach will take it.", code="own_item")
    if not locked.services.filter(pk=item.work_service_id).exists():
        raise ClaimRefused("You do not deliver this service.", code="not_your_service")
    open_now = open_total_for(locked)
    if open_now >= locked.max_open_items:
        items = "item" if open_now == 1 else "items"
        raise QueueFull(
            f"You have {open_now} open {items}, your limit. Return one before claiming another."
        )
    return locked
