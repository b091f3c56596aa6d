"""Notices due a while before a moment, each sent exactly once: reminders before a session or a
webinar, notices before a member's access ends.

A row records each notice in a nullable timestamp field. `send_due_notices` finds the rows whose
moment is within a notice's lead time and still ahead, and claims the notice with a conditional
UPDATE (`... SET field = now WHERE pk = … AND field IS NULL`): only the caller whose UPDATE
changed the row sends, so a job that runs twice at once, or is retried, sends once. When the job
ran so late that a shorter notice is already due, the longer ones are claimed with it and not
sent (one email, the relevant one). Moving the moment means setting the fields back to NULL.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import QuerySet


@dataclass(frozen=True)
class Notice:
    """One notice: the field that records when it was claimed, and how long before it is due."""

    field: str
    lead: timedelta


# The reminders before a live session or a webinar starts: 24 hours and 1 hour before, each
# recorded on the row's `reminder_24h_sent_at` / `reminder_1h_sent_at`.
SESSION_REMINDERS = (
    Notice(field="reminder_1h_sent_at", lead=timedelta(hours=1)),
    Notice(field="reminder_24h_sent_at", lead=timedelta(hours=24)),
)


def lead_label(until: timedelta) -> str:
    """How far off the moment is, for a reminder's subject ("in 24 hours", "in 40 minutes")."""
    minutes = round(until.total_seconds() / 60)
    if minutes >= 90:
        return f"in {round(minutes / 60)} hours"
    if minutes >= 50:
        return "in 1 hour"
    return f"in {max(minutes, 1)} minutes"


def send_due_notices(
    *,
    candidates: QuerySet,
    moment: str,
    notices: Sequence[Notice],
    now: datetime,
    deliver: Callable[[int], None],
) -> int:
    """Claim and deliver every notice now due among `candidates` (already filtered to the rows
    that may get one: confirmed sessions, live entitlements...); returns how many were sent.

    `notices` go shortest lead first. `moment` is the (possibly related) field the leads count
    back from. `deliver(pk)` runs after the claim commits and sends the notice for that row.
    """
    ordered = sorted(notices, key=lambda notice: notice.lead)
    manager = candidates.model._default_manager
    sent = 0
    for index, notice in enumerate(ordered):
        due = candidates.filter(
            **{
                f"{moment}__gt": now,
                f"{moment}__lte": now + notice.lead,
                f"{notice.field}__isnull": True,
            }
        ).values_list("pk", flat=True)
        for pk in list(due):
            with transaction.atomic():
                for longer in ordered[index + 1 :]:  # moot now: claimed, never sent
                    manager.filter(pk=pk, **{f"{longer.field}__isnull": True}).update(
                        **{longer.field: now}
                    )
                if not manager.filter(pk=pk, **{f"{notice.field}__isnull": True}).update(
                    **{notice.field: now}
                ):
                    continue  # another run claimed it first
                transaction.on_commit(lambda pk=pk: deliver(pk))
                sent += 1
    return sent
