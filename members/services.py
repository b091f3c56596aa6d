"""Every write to entitlements (grant from a purchase or by staff, end early, expiry notices)
and to what members keep: their school shortlist and their favourite questions.

Payments calls `entitlement_grant` from its fulfilment and `entitlements_end_for_sources` after
a full refund; members never imports payments.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from coaching.models import PerkKind
from core.history import record
from core.reminders import Notice, send_due_notices
from members import emails
from members.errors import EntitlementError, ShortlistError
from members.history import EntitlementAction
from members.models import Entitlement, FavouriteQuestion, Question, School, ShortlistEntry

logger = logging.getLogger(__name__)


def entitlement_source(*, line_id: int, perk: str) -> str:
    """The idempotency key of the row an order line grants for one perk."""
    return f"order-line:{line_id}:perk:{perk}"


def _check_period(starts_at: datetime, ends_at: datetime) -> None:
    if ends_at <= starts_at:
        raise EntitlementError("The end must be after the start.", code="invalid_period")


def entitlement_grant(
    *,
    member,
    perk: str,
    starts_at: datetime,
    ends_at: datetime,
    source: str,
    source_label: str = "",
) -> tuple[Entitlement, bool]:
    """Grant `perk` for a purchase, once per `source`: (row, created). A second call with the
    same source (a replayed or racing webhook) returns the row the first one made."""
    if perk not in PerkKind.values:
        raise EntitlementError(f"Unknown perk kind: {perk}.", code="unknown_perk")
    if not source:
        raise EntitlementError("A purchase grant needs its source.", code="no_source")
    _check_period(starts_at, ends_at)
    existing = Entitlement.objects.filter(source=source).first()
    if existing:
        return existing, False
    try:
        with transaction.atomic():
            row = Entitlement.objects.create(
                member=member,
                perk=perk,
                starts_at=starts_at,
                ends_at=ends_at,
                source=source,
                source_label=source_label[:200],
            )
            record(row, EntitlementAction.GRANTED, data={"source": source})
    except IntegrityError:
        # Another delivery of the same event won the race: its row is the grant.
        return Entitlement.objects.get(source=source), False
    logger.info("entitlement %s granted to user %s from %s", row.perk, member.pk, source)
    return row, True


@transaction.atomic
def entitlement_grant_by_staff(
    *, member, perk: str, starts_at: datetime, ends_at: datetime, actor, reason: str
) -> Entitlement:
    """A grant by hand (goodwill, a package sold outside the site), with who and why."""
    _require_staff(actor)
    reason = (reason or "").strip()
    if not reason:
        raise EntitlementError("Say why you are granting this.", code="reason_required")
    if perk not in PerkKind.values:
        raise EntitlementError(f"Unknown perk kind: {perk}.", code="unknown_perk")
    _check_period(starts_at, ends_at)
    row = Entitlement.objects.create(
        member=member,
        perk=perk,
        starts_at=starts_at,
        ends_at=ends_at,
        granted_by=actor,
        grant_reason=reason[:300],
        source_label="Granted by staff",
    )
    record(row, EntitlementAction.GRANTED_BY_STAFF, actor=actor, reason=reason)
    logger.info("entitlement %s granted by staff %s to user %s", perk, actor.pk, member.pk)
    return row


def _require_staff(actor) -> None:
    if actor is None or not actor.has_perm("members.add_entitlement"):
        raise EntitlementError("Only staff may grant or end access by hand.", code="forbidden")


def _end(rows, *, at: datetime, reason: str, actor=None) -> list[Entitlement]:
    ended = []
    for row in rows.select_for_update().filter(ended_early_at__isnull=True):
        row.ended_early_at = at
        row.ended_early_by = actor
        row.end_reason = reason[:300]
        row.save(update_fields=["ended_early_at", "ended_early_by", "end_reason"])
        record(row, EntitlementAction.ENDED_EARLY, actor=actor, reason=reason, at=at)
        ended.append(row)
    return ended


@transaction.atomic
def entitlement_end(*, entitlement: Entitlement, actor, reason: str) -> Entitlement:
    """Staff end one row now, with a reason; ending an ended row changes nothing."""
    if actor is None or not actor.has_perm("members.end_entitlement"):
        raise EntitlementError("Only staff may grant or end access by hand.", code="forbidden")
    reason = (reason or "").strip()
    if not reason:
        raise EntitlementError("Say why you are ending this.", code="reason_required")
    _end(
        Entitlement.objects.filter(pk=entitlement.pk), at=timezone.now(), reason=reason, actor=actor
    )
    entitlement.refresh_from_db()
    return entitlement


@transaction.atomic
def entitlements_end_for_sources(
    *, sources: list[str], reason: str, actor=None
) -> list[Entitlement]:
    """End what these purchases granted (a full refund); returns the rows that were still on,
    so the caller can tell each members' app what stopped. Repeating it ends nothing more."""
    if not sources:
        return []
    return _end(
        Entitlement.objects.filter(source__in=sources),
        at=timezone.now(),
        reason=reason,
        actor=actor,
    )


# --- expiry notices ------------------------------------------------------------------------

NOTICES = (
    Notice(field="notice_7d_sent_at", lead=timedelta(days=7)),
    Notice(field="notice_30d_sent_at", lead=timedelta(days=30)),
)


def entitlements_send_expiry_notices(*, now: datetime | None = None) -> int:
    """Email members 30 and 7 days before a perk's access ends, each exactly once.

    Only the row with the latest end for a member and perk speaks: while another row covers
    later, nothing is about to end. Each notice is claimed by `core.reminders.send_due_notices`
    (a conditional UPDATE), so a job that runs twice at once or late sends it once; when the job
    was so late that the 7-day notice is due, the 30-day one is claimed with it and not sent.
    """
    now = now or timezone.now()
    later_cover = Entitlement.objects.not_ended(at=now).filter(
        member=OuterRef("member"), perk=OuterRef("perk"), ends_at__gt=OuterRef("ends_at")
    )
    return send_due_notices(
        candidates=Entitlement.objects.not_ended(at=now).exclude(Exists(later_cover)),
        moment="ends_at",
        notices=NOTICES,
        now=now,
        deliver=lambda pk: emails.send_perk_ending(
            Entitlement.objects.select_related("member").get(pk=pk)
        ),
    )


# --- the school shortlist and favourite questions ---------------------------------------------

MAX_SHORTLIST = 30
MAX_NOTES = 2000


@transaction.atomic
def shortlist_add(*, member, school: School) -> ShortlistEntry:
    """Put an active school on the member's shortlist; adding it again changes nothing."""
    if not school.active:
        raise ShortlistError("This school is no longer in the guide.", code="unknown_school")
    entry = ShortlistEntry.objects.filter(member=member, school=school).first()
    if entry:
        return entry
    # Lock the member's row so two racing adds cannot both pass the size check.
    get_user_model().objects.select_for_update().filter(pk=member.pk).first()
    if ShortlistEntry.objects.filter(member=member).count() >= MAX_SHORTLIST:
        raise ShortlistError(
            f"Your shortlist holds at most {MAX_SHORTLIST} schools: remove one first.",
            code="shortlist_full",
        )
    entry, _ = ShortlistEntry.objects.get_or_create(member=member, school=school)
    return entry


def shortlist_update_notes(*, member, school: School, notes: str) -> ShortlistEntry:
    """Save the member's own notes on a school they shortlisted."""
    if len(notes) > MAX_NOTES:
        raise ShortlistError(f"Notes can be at most {MAX_NOTES} characters.", code="notes_too_long")
    entry = ShortlistEntry.objects.filter(member=member, school=school).first()
    if entry is None:
        raise ShortlistError("Add the school to your shortlist first.", code="not_shortlisted")
    entry.notes = notes.strip()
    entry.save(update_fields=["notes", "updated_at"])
    return entry


def shortlist_remove(*, member, school: School) -> None:
    """Take a school off the member's shortlist (with its notes); removing twice is a no-op."""
    ShortlistEntry.objects.filter(member=member, school=school).delete()


def favourite_set(*, member, question: Question, favourite: bool) -> bool:
    """Mark or unmark a question as a favourite; returns whether it is one now."""
    if favourite:
        FavouriteQuestion.objects.get_or_create(member=member, question=question)
    else:
        FavouriteQuestion.objects.filter(member=member, question=question).delete()
    return favourite
