"""Every write to webinars: create, change, move, cancel; register, waitlist, promote, cancel a
registration; attendance; recordings; reminders; what a refund takes back.

Seats: every change that takes or frees a seat first locks the webinar row
(`select_for_update`), counts the registered rows and writes that count to `seats_taken`, which
a CHECK constraint keeps at or below `capacity`. Racing registrations for the last seat queue on
the lock: one gets it, the rest join the waitlist. A freed seat goes to the first person waiting
while the lock is held, so two cancellations at once promote two different people, each once.
Emails are queued after commit (`core.emails`), so a rolled-back change sends nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from coaching.models import Coach, PerkKind
from core.dates import ensure_supported
from core.duties import can_handle_coaching
from core.history import record
from core.reminders import SESSION_REMINDERS, lead_label, send_due_notices
from core.uploads import UploadRejected, check_recording
from members.models import Entitlement
from webinars.access import may_host, registration_eligibility
from webinars.emails import send_webinar_email
from webinars.errors import WebinarError, WebinarForbidden
from webinars.history import RegistrationAction
from webinars.models import (
    LIVE_STATUSES,
    RegistrationStatus,
    Webinar,
    WebinarAudience,
    WebinarRegistration,
    WebinarStatus,
)

logger = logging.getLogger(__name__)

MAX_DURATION = timedelta(hours=8)
# What staff may change through `webinar_update` besides the time (which is a move).
DETAIL_FIELDS = ("title", "description", "host", "audience", "join_url", "capacity")


# --- helpers -------------------------------------------------------------------------------


def _as_utc(moment: datetime) -> datetime:
    if timezone.is_naive(moment):
        raise WebinarError("Give the time with its zone.", code="naive_time")
    return ensure_supported(moment, name="The time").astimezone(UTC)


def _check_times(start: datetime, end: datetime) -> tuple[datetime, datetime]:
    start, end = _as_utc(start), _as_utc(end)
    if end <= start:
        raise WebinarError("The end must be after the start.", code="invalid_period")
    if end - start > MAX_DURATION:
        raise WebinarError("A webinar lasts at most 8 hours.", code="too_long")
    return start, end


def _require_staff(actor) -> None:
    if not can_handle_coaching(actor):
        raise WebinarForbidden("Only staff can set up, move or cancel webinars.")


def _require_host(actor, webinar: Webinar) -> None:
    if not may_host(actor, webinar):
        raise WebinarForbidden("Only this webinar's hosts and staff can do this.")


def _locked(webinar: Webinar) -> Webinar:
    return Webinar.objects.select_for_update(of=("self",)).select_related("host").get(pk=webinar.pk)


def _validate(webinar: Webinar) -> None:
    """The model's own rules (lengths, URL, capacity range) as the user's error."""
    try:
        webinar.full_clean(exclude=["recording_file", "host", "seats_taken"])
    except ValidationError as error:
        messages = [message for field in error.message_dict.values() for message in field]
        raise WebinarError(" ".join(messages), code="invalid") from None


def _sync_seats(webinar: Webinar) -> None:
    """Write the count of registered rows to `seats_taken` (the webinar row is locked); the
    CHECK constraint refuses a count above capacity."""
    webinar.seats_taken = webinar.registrations.registered().count()
    Webinar.objects.filter(pk=webinar.pk).update(seats_taken=webinar.seats_taken)


def _email_after_commit(registration: WebinarRegistration, kind: str, **extra) -> None:
    transaction.on_commit(lambda: send_webinar_email(registration, kind=kind, extra=extra))


def _claim_reminders_already_due(registration: WebinarRegistration, now: datetime) -> None:
    """The confirmation is the reminder when someone registers inside a reminder's lead."""
    until = registration.webinar.start - now
    for notice in SESSION_REMINDERS:
        if until <= notice.lead:
            setattr(registration, notice.field, now)


def _seat(registration: WebinarRegistration, now: datetime) -> None:
    registration.check_transition(RegistrationStatus.REGISTERED)
    registration.status = RegistrationStatus.REGISTERED
    registration.registered_at = now
    _claim_reminders_already_due(registration, now)


def _promote_waitlisted(webinar: Webinar, *, now: datetime) -> list[WebinarRegistration]:
    """Give free seats to the first people waiting (the webinar row is locked). Nobody is
    promoted once it has started: the waitlist closes at the start."""
    promoted = []
    if webinar.is_cancelled or webinar.has_started(now=now):
        return promoted
    free = webinar.capacity - webinar.registrations.registered().count()
    if free <= 0:
        return promoted
    waiting = (
        webinar.registrations.waitlisted().select_for_update(of=("self",)).select_related("member")
    )
    for registration in waiting[:free]:
        registration.webinar = webinar
        _seat(registration, now)
        registration.save()
        record(registration, RegistrationAction.PROMOTED, at=now)
        promoted.append(registration)
        _email_after_commit(registration, "promoted")
        logger.info("webinar %s: registration %s promoted", webinar.pk, registration.pk)
    _sync_seats(webinar)
    return promoted


# --- staff: create, change, move, cancel ---------------------------------------------------


@transaction.atomic
def webinar_create(
    *,
    actor,
    title: str,
    host: Coach,
    start: datetime,
    end: datetime,
    capacity: int,
    audience: str = WebinarAudience.MEMBERS,
    description: str = "",
    join_url: str = "",
    co_hosts: Iterable[Coach] = (),
) -> Webinar:
    """Staff set up a webinar (a past one too, to publish its recording)."""
    _require_staff(actor)
    start, end = _check_times(start, end)
    webinar = Webinar(
        title=title.strip(),
        description=description.strip(),
        host=host,
        start=start,
        end=end,
        capacity=capacity,
        audience=audience,
        join_url=join_url,
    )
    _validate(webinar)
    webinar.save()
    webinar.co_hosts.set([coach for coach in co_hosts if coach.pk != host.pk])
    logger.info("webinar %s created by staff %s", webinar.pk, actor.pk)
    return webinar


def webinar_update(
    *,
    webinar: Webinar,
    actor,
    start: datetime | None = None,
    end: datetime | None = None,
    co_hosts: Iterable[Coach] | None = None,
    **details,
) -> Webinar:
    """Staff change a webinar's details; a new start or end is a move (everyone registered is
    emailed an updated invite). A smaller capacity may not drop below the seats taken; a larger
    one gives the new seats to the waitlist."""
    _require_staff(actor)
    unknown = set(details) - set(DETAIL_FIELDS)
    if unknown:
        raise WebinarError(f"Unknown webinar fields: {', '.join(sorted(unknown))}.")
    now = timezone.now()
    with transaction.atomic():
        locked = _locked(webinar)
        if locked.is_cancelled:
            raise WebinarError(
                "This webinar was cancelled; it cannot be changed.", code="cancelled"
            )
        for name, value in details.items():
            setattr(locked, name, value.strip() if isinstance(value, str) else value)
        taken = locked.registrations.registered().count()
        if isinstance(locked.capacity, int) and locked.capacity < taken:
            raise WebinarError(
                f"{taken} people hold seats: the capacity cannot be less than that.",
                code="capacity_below_seats",
            )
        new_start, new_end = _check_times(
            start if start is not None else locked.start, end if end is not None else locked.end
        )
        moved = (new_start, new_end) != (locked.start, locked.end)
        previous_start = locked.start
        if moved:
            if new_start <= now:
                raise WebinarError("Move it to a time that has not passed.", code="in_the_past")
            locked.start, locked.end = new_start, new_end
            locked.sequence += 1
        _validate(locked)
        locked.save()
        if co_hosts is not None:
            locked.co_hosts.set([coach for coach in co_hosts if coach.pk != locked.host_id])
        if moved:
            locked.registrations.live().update(reminder_24h_sent_at=None, reminder_1h_sent_at=None)
            for registration in locked.registrations.registered().select_related("member"):
                registration.webinar = locked
                _email_after_commit(registration, "moved", previous_start=previous_start)
            logger.info("webinar %s moved by staff %s", locked.pk, actor.pk)
        _promote_waitlisted(locked, now=now)
    return locked


def webinar_move(*, webinar: Webinar, actor, start: datetime, end: datetime) -> Webinar:
    """Staff move a webinar to a new time; every attendee gets the updated invite."""
    return webinar_update(webinar=webinar, actor=actor, start=start, end=end)


def webinar_cancel(*, webinar: Webinar, actor, reason: str) -> Webinar:
    """Staff cancel a webinar that has not ended: every registration ends, attendees get a
    METHOD:CANCEL invite, people waiting are told. Cancelling it again changes nothing."""
    _require_staff(actor)
    reason = (reason or "").strip()
    if not reason:
        raise WebinarError("Say why it is cancelled: attendees read it.", code="reason_required")
    now = timezone.now()
    with transaction.atomic():
        locked = _locked(webinar)
        if not locked.check_transition(WebinarStatus.CANCELLED):
            return locked
        if locked.has_ended(now=now):
            raise WebinarError("This webinar is over; it cannot be cancelled.", code="over")
        locked.status = WebinarStatus.CANCELLED
        locked.cancel_reason = reason[:300]
        locked.cancelled_at = now
        locked.sequence += 1
        locked.save()
        live = locked.registrations.live().select_for_update(of=("self",)).select_related("member")
        for registration in live:
            registration.status = RegistrationStatus.CANCELLED
            registration.cancelled_at = now
            registration.cancel_reason = f"Webinar cancelled: {reason}"[:300]
            registration.save()
            record(
                registration,
                RegistrationAction.CANCELLED,
                actor=actor,
                reason=registration.cancel_reason,
                at=now,
            )
            registration.webinar = locked
            _email_after_commit(registration, "webinar_cancelled", reason=reason)
        _sync_seats(locked)
        logger.info("webinar %s cancelled by staff %s", locked.pk, actor.pk)
    return locked


# --- registrations -------------------------------------------------------------------------


def webinar_register(*, webinar: Webinar, member) -> WebinarRegistration:
    """Take a seat, or a waitlist place when it is full. Registering again while registered
    or waiting returns the registration already there (a double click)."""
    now = timezone.now()
    eligibility = registration_eligibility(member, webinar, now=now)
    if not eligibility.allowed:
        error = WebinarForbidden if eligibility.code == "perk_required" else WebinarError
        raise error(eligibility.reason, code=eligibility.code)
    try:
        with transaction.atomic():
            locked = _locked(webinar)
            if locked.is_cancelled or locked.has_started(now=now):  # changed since we looked
                raise WebinarError("Registration for this webinar is closed.", code="closed")
            existing = locked.registrations.live().filter(member=member).first()
            if existing is not None:
                return existing
            registration = WebinarRegistration(webinar=locked, member=member)
            if not locked.is_free:
                registration.entitlement = _covering_entitlement(member, now=now)
            if locked.registrations.registered().count() < locked.capacity:
                registration.status = RegistrationStatus.REGISTERED
                registration.registered_at = now
                _claim_reminders_already_due(registration, now)
                kind = "registered"
            else:
                registration.status = RegistrationStatus.WAITLISTED
                registration.waitlisted_at = now
                kind = "waitlisted"
            registration.save()
            record(
                registration,
                RegistrationAction.REGISTERED
                if kind == "registered"
                else RegistrationAction.WAITLISTED,
                actor=member,
                at=now,
                data={"entitlement": registration.entitlement_id},
            )
            _sync_seats(locked)
            _email_after_commit(registration, kind)
    except IntegrityError:
        # Only a bypass of the lock gets here (the constraints are the last word).
        raise WebinarError("That seat was just taken. Please try again.", code="conflict") from None
    logger.info("webinar %s: user %s %s", webinar.pk, member.pk, registration.status)
    return registration


def _covering_entitlement(member, *, now: datetime) -> Entitlement | None:
    """The webinars perk row that lets `member` register now (the one that lasts longest)."""
    return (
        Entitlement.objects.filter(member=member, perk=PerkKind.WEBINARS)
        .current(at=now)
        .order_by("-ends_at", "pk")
        .first()
    )


def registration_cancel(
    *, registration: WebinarRegistration, actor, reason: str = ""
) -> WebinarRegistration:
    """The member (before the start) or staff end a registration; a freed seat goes to the
    first person waiting. Cancelling a cancelled registration changes nothing."""
    if not (can_handle_coaching(actor) or registration.member_id == getattr(actor, "pk", None)):
        raise WebinarForbidden("You can only cancel your own registration.")
    reason = (reason or "").strip() or (
        "Cancelled by staff." if registration.member_id != actor.pk else "Cancelled by you."
    )
    return _cancel_registration(
        registration, reason=reason, by_staff=can_handle_coaching(actor), actor=actor
    )


def _cancel_registration(
    registration: WebinarRegistration, *, reason: str, by_staff: bool, actor=None
) -> WebinarRegistration:
    now = timezone.now()
    with transaction.atomic():
        webinar = _locked(registration.webinar)
        registration = (
            WebinarRegistration.objects.select_for_update(of=("self",))
            .select_related("member")
            .get(pk=registration.pk)
        )
        registration.webinar = webinar
        if registration.status == RegistrationStatus.CANCELLED:
            return registration
        if webinar.has_started(now=now) and not by_staff:
            raise WebinarError(
                "The webinar has started: registrations can no longer be cancelled.",
                code="started",
            )
        was_registered = registration.status == RegistrationStatus.REGISTERED
        registration.check_transition(RegistrationStatus.CANCELLED)
        registration.status = RegistrationStatus.CANCELLED
        registration.cancelled_at = now
        registration.cancel_reason = reason[:300]
        registration.sequence += 1
        registration.save()
        record(registration, RegistrationAction.CANCELLED, actor=actor, reason=reason, at=now)
        _sync_seats(webinar)
        _email_after_commit(
            registration, "registration_cancelled", reason=reason, had_seat=was_registered
        )
        if was_registered:
            _promote_waitlisted(webinar, now=now)
    return registration


def webinars_after_entitlements_ended(
    *, rows: Iterable[Entitlement], reason: str
) -> list[WebinarRegistration]:
    """Called by payments after a full refund with the entitlement rows it ended: upcoming
    registrations made under those rows are cancelled (freeing the seats) unless the member
    still holds the webinars perk through another row, which then covers them. Registrations
    whose perk simply lapsed are untouched. Returns the cancelled registrations."""
    ended = [row for row in rows if row.perk == PerkKind.WEBINARS]
    if not ended:
        return []
    now = timezone.now()
    cancelled = []
    affected = (
        WebinarRegistration.objects.filter(
            entitlement__in=ended,
            status__in=LIVE_STATUSES,
            webinar__status=WebinarStatus.SCHEDULED,
            webinar__start__gt=now,
        )
        .select_related("webinar", "member")
        .order_by("pk")
    )
    for registration in affected:
        other = _covering_entitlement(registration.member, now=now)
        if other is not None and other.pk not in {row.pk for row in ended}:
            WebinarRegistration.objects.filter(pk=registration.pk).update(entitlement=other)
            continue
        cancelled.append(_cancel_registration(registration, reason=reason, by_staff=True))
    return cancelled


# --- hosts: attendance and recordings -----------------------------------------------------


@transaction.atomic
def webinar_mark_attendance(*, webinar: Webinar, actor, attended: Iterable[int]) -> int:
    """A host records who came (registration ids ticked; every other seat holder is marked
    absent), once the webinar has started. Returns how many attended."""
    _require_host(actor, webinar)
    if not webinar.has_started():
        raise WebinarError("Attendance can be marked once the webinar has started.", code="early")
    present = {int(pk) for pk in attended}
    seats = webinar.registrations.registered()
    unknown = present - set(seats.values_list("pk", flat=True))
    if unknown:
        raise WebinarError("Some of those people are not registered for this webinar.")
    seats.filter(pk__in=present).update(attended=True)
    seats.exclude(pk__in=present).update(attended=False)
    return len(present)


# What a recording's name may end in, and the container its first bytes must then announce.
RECORDING_EXTENSIONS = {
    "mp4": "video/mp4",
    "m4v": "video/mp4",
    "webm": "video/webm",
    "ogv": "video/ogg",
}


def recording_max_bytes() -> int:
    """The largest recording file a host may upload: WEBINAR_RECORDING_MAX_BYTES, 2 GiB when
    unset."""
    return getattr(settings, "WEBINAR_RECORDING_MAX_BYTES", 2 * 1024**3)


def check_recording_file(upload) -> str:
    """The content type of an uploaded recording, or a WebinarError saying what is wrong: an
    MP4, WebM or Ogg video by its name and, through `core.uploads.check_recording`, by its
    first bytes (the two agreeing), not empty, not too large."""
    name = (getattr(upload, "name", "") or "").lower()
    extension = name.rsplit(".", 1)[-1] if "." in name else ""
    if extension not in RECORDING_EXTENSIONS:
        raise WebinarError("Upload an MP4, WebM or Ogg video file.", code="bad_recording")
    try:
        content_type = check_recording(upload, max_bytes=recording_max_bytes(), video=True)
    except UploadRejected as error:
        if error.code != "not_video":
            raise WebinarError(error.message, code="bad_recording") from error
        content_type = None
    if content_type != RECORDING_EXTENSIONS[extension]:
        raise WebinarError(
            f"That file is not a {extension.upper()} video: its contents do not match its name.",
            code="bad_recording",
        )
    return content_type


def webinar_set_recording(*, webinar: Webinar, actor, upload=None, url: str = "") -> Webinar:
    """A host (or staff) adds the recording once the webinar has started: a video file kept in
    the private storage, or a link to another host. A new one replaces the old one."""
    _require_host(actor, webinar)
    if webinar.is_cancelled:
        raise WebinarError("This webinar was cancelled.", code="cancelled")
    if not webinar.has_started():
        raise WebinarError("Add the recording once the webinar has started.", code="early")
    if bool(upload) == bool(url):
        raise WebinarError("Upload a video file or give a link, one of the two.", code="one_of")
    if upload:
        check_recording_file(upload)
    with transaction.atomic():
        locked = _locked(webinar)
        old_file = locked.recording_file.name if locked.recording_file else ""
        if upload:
            locked.recording_file.save(upload.name, upload, save=False)
            locked.recording_url = ""
        else:
            locked.recording_file = ""
            locked.recording_url = url
        _validate(locked)
        locked.recording_added_at = timezone.now()
        locked.save()
        if old_file and old_file != locked.recording_file.name:
            storage = locked.recording_file.storage
            transaction.on_commit(lambda: storage.delete(old_file))
    logger.info("webinar %s: recording added by user %s", webinar.pk, actor.pk)
    return locked


# --- reminders -----------------------------------------------------------------------------


def webinar_registrations_send_reminders(*, now: datetime | None = None) -> int:
    """Remind each registered attendee 24 h and 1 h before, each exactly once (claimed by
    `core.reminders.send_due_notices`, as booking's session reminders)."""
    now = now or timezone.now()

    def deliver(pk: int) -> None:
        registration = WebinarRegistration.objects.select_related("webinar__host", "member").get(
            pk=pk
        )
        lead = lead_label(registration.webinar.start - now)
        send_webinar_email(registration, kind="reminder", extra={"lead": lead})

    return send_due_notices(
        candidates=WebinarRegistration.objects.filter(
            status=RegistrationStatus.REGISTERED, webinar__status=WebinarStatus.SCHEDULED
        ),
        moment="webinar__start",
        notices=SESSION_REMINDERS,
        now=now,
        deliver=deliver,
    )
