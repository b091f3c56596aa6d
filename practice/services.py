"""Every write in practice: starting an attempt, the clock, saving answers and recordings,
the coaches' claim, scores and return, withdrawal after a refund and the retention job.

The clock. A scenario's deadline is stored when it opens and never moved. `attempt_advance`
walks an attempt forward to `now`: a scenario whose deadline has passed is closed at its
deadline and the next one opens at that same moment (or, after a break, when the applicant
continues or the break ends), so an attempt whose browser went away finishes on time, whether
the next request or the `close-overdue-practice` job notices first. Saves are accepted until
`deadline + PRACTICE_GRACE_SECONDS`, because the browser's last save races the deadline;
later ones are refused and the last saved answer stands.

Payments calls `attempts_withdraw_for_ended_entitlements` after a full refund; practice never
imports payments.
"""

from __future__ import annotations

import logging
import random
import re
import shutil
import tempfile
from collections.abc import Iterable
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F, Q, Sum
from django.utils import timezone

from coaching.models import Coach, PerkKind
from coaching.work_queue import claim_guard
from core.history import record
from core.media import remux
from core.uploads import (
    AUDIO_TYPES,
    VIDEO_TYPES,
    UploadRejected,
    check_recording,
    sniff_media,
)
from members.access import has_perk, member_perks
from members.errors import PerkRequired
from members.models import QuestionFormat
from members.selectors import question_list
from practice import emails, selectors
from practice.errors import (
    AttemptStateError,
    ClaimError,
    FairUseError,
    PracticeError,
    RecordingRejected,
    StaleAnswer,
    TooLate,
)
from practice.history import AttemptAction
from practice.models import (
    MAX_ANSWER_CHARS,
    OPEN_STATUSES,
    Answer,
    Attempt,
    AttemptScenario,
    AttemptStatus,
    CloseReason,
    Competency,
    PracticeSet,
    Recording,
    RecordingPart,
    ResponseKind,
)

logger = logging.getLogger(__name__)

MMI_NOTES_LABEL = "Your notes (optional: you may record a spoken answer instead)"
MMI_VIDEO_LABEL = "Answer as you would to the interviewer, on camera"
MAX_COMMENT_CHARS = 3000


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def _grace() -> timedelta:
    return timedelta(seconds=settings.PRACTICE_GRACE_SECONDS)


# --- starting -----------------------------------------------------------------------------


def _scenario_rows(practice_set: PracticeSet) -> list[AttemptScenario]:
    """What this attempt will show, copied from the set (or drawn from the question bank)."""
    if practice_set.is_mmi:
        ids = list(
            question_list(filters={"format": QuestionFormat.MMI}).values_list("pk", flat=True)
        )
        chosen = random.sample(ids, min(len(ids), practice_set.station_count))
        on_camera = practice_set.station_response == ResponseKind.VIDEO
        by_id = {q.pk: q for q in question_list().filter(pk__in=chosen)}
        return [
            AttemptScenario(
                question=by_id[pk],
                title=f"Station {number}: {by_id[pk].get_category_display()}",
                prompt=by_id[pk].text,
                questions=[MMI_VIDEO_LABEL if on_camera else MMI_NOTES_LABEL],
                response=practice_set.station_response,
                reading_seconds=practice_set.station_reading_seconds,
                answer_seconds=practice_set.station_answer_seconds,
            )
            for number, pk in enumerate(chosen, start=1)
        ]
    scenarios = list(practice_set.scenarios.all())
    if practice_set.format is not None:
        return _format_rows(practice_set.format, scenarios)
    rows = [
        AttemptScenario(
            scenario=scenario,
            title=scenario.title,
            prompt=scenario.prompt,
            guidance=scenario.guidance,
            transcript=scenario.transcript,
            video_id=scenario.video_id,
            questions=scenario.questions,
            reading_seconds=scenario.reading_seconds,
            answer_seconds=scenario.time_limit_seconds,
        )
        for scenario in scenarios
    ]
    if practice_set.break_after and practice_set.break_after < len(rows):
        rows[practice_set.break_after - 1].break_seconds_after = practice_set.break_seconds
    return rows


def _format_rows(practice_format, scenarios: list) -> list[AttemptScenario]:
    """The set's scenarios poured into the format's sections (`PracticeFormat.pour`), each
    shown and timed as its section says, with the section's break after its last scenario."""
    rows: list[AttemptScenario] = []
    plan = practice_format.pour(scenarios)
    for number, (section, scenario) in enumerate(plan):
        questions = scenario.questions[: section.questions_per_scenario]
        last_of_section = number + 1 == len(plan) or plan[number + 1][0] != section
        rows.append(
            AttemptScenario(
                scenario=scenario,
                title=scenario.title,
                prompt=scenario.prompt,
                guidance=scenario.guidance,
                transcript=scenario.transcript,
                video_id=scenario.video_id,
                questions=questions,
                section=section.title,
                response=section.response,
                reading_seconds=scenario.reading_seconds,
                question_seconds=section.seconds if section.one_at_a_time else 0,
                answer_seconds=section.seconds * (len(questions) if section.one_at_a_time else 1),
                break_seconds_after=section.break_seconds_after if last_of_section else 0,
            )
        )
    if rows:
        rows[-1].break_seconds_after = 0  # nothing follows the last one
    return rows


def attempt_start(*, member, practice_set: PracticeSet, now: datetime | None = None) -> Attempt:
    """Start an attempt at `practice_set` and open its first scenario.

    Fair use: a member may have one attempt per set that is not scored yet, and start at most
    `PRACTICE_MONTHLY_ATTEMPTS` in a calendar month. Starting again while an attempt at the set
    is still running returns that attempt (a double click resumes rather than refuses).
    """
    now = _now(now)
    if not has_perk(member, PerkKind.PRACTICE_TESTS):
        raise PerkRequired("Practice tests come with a package that includes them.")
    if not practice_set.active:
        raise PracticeError("This practice set is not offered any more.", code="inactive_set")
    try:
        with transaction.atomic():
            # One member's starts queue here, so two racing clicks cannot both pass the checks.
            get_user_model().objects.select_for_update().filter(pk=member.pk).first()
            rule = selectors.fair_use(member, practice_set, now=now)
            if rule.open_attempt is not None:
                if rule.open_attempt.status == AttemptStatus.IN_PROGRESS:
                    return rule.open_attempt
                raise FairUseError(rule.reason, code="awaiting_score")
            if not rule.may_start:
                raise FairUseError(rule.reason, code="monthly_cap")
            rows = _scenario_rows(practice_set)
            if not rows:
                raise PracticeError("This practice set has no scenarios yet.", code="empty_set")
            attempt = Attempt.objects.create(
                member=member, practice_set=practice_set, started_at=now
            )
            for position, row in enumerate(rows, start=1):
                row.attempt = attempt
                row.position = position
            AttemptScenario.objects.bulk_create(rows)
            Answer.objects.bulk_create(
                Answer(attempt_scenario=row, index=index)
                for row in AttemptScenario.objects.filter(attempt=attempt).exclude(
                    response=ResponseKind.VIDEO
                )
                for index in range(len(row.questions))
            )
            _open(AttemptScenario.objects.get(attempt=attempt, position=1), at=now)
            record(attempt, AttemptAction.STARTED, actor=member, at=now)
    except IntegrityError:
        # The conditional unique constraint: another request started this set a moment ago.
        raise FairUseError(
            "You already have an attempt at this set that is not scored yet.",
            code="awaiting_score",
        ) from None
    logger.info("practice attempt %s started by user %s", attempt.public_id, member.pk)
    return attempt


# --- the clock ----------------------------------------------------------------------------


def _open(row: AttemptScenario, *, at: datetime) -> bool:
    """Open a scenario at `at`, writing its clock once: a second opening changes nothing."""
    reading_ends_at = at + timedelta(seconds=row.reading_seconds)
    deadline = reading_ends_at + timedelta(seconds=row.answer_seconds)
    opened = AttemptScenario.objects.filter(pk=row.pk, opened_at__isnull=True).update(
        opened_at=at, reading_ends_at=reading_ends_at, deadline=deadline
    )
    row.refresh_from_db(fields=["opened_at", "reading_ends_at", "deadline"])
    return bool(opened)


def _close(attempt: Attempt, row: AttemptScenario, *, at: datetime, reason: str) -> None:
    """Close one scenario at `at` and open the next one then (or start the set's break)."""
    row.closed_at = at
    row.close_reason = reason
    row.save(update_fields=["closed_at", "close_reason"])
    following = attempt.scenarios.filter(position=row.position + 1).first()
    if following is None:
        return
    if row.break_seconds_after:
        attempt.break_until = at + timedelta(seconds=row.break_seconds_after)
        attempt.save(update_fields=["break_until"])
    else:
        _open(following, at=at)


def _walk(attempt: Attempt, *, now: datetime) -> None:
    """Bring a locked attempt up to `now` (see the module's docstring)."""
    while attempt.status == AttemptStatus.IN_PROGRESS:
        current = attempt.scenarios.filter(closed_at__isnull=True).order_by("position").first()
        if current is None:
            last = attempt.scenarios.order_by("-closed_at").values_list("closed_at", flat=True)
            attempt.check_transition(AttemptStatus.SUBMITTED)
            attempt.status = AttemptStatus.SUBMITTED
            attempt.submitted_at = min(last.first() or now, now)
            attempt.break_until = None
            attempt.save(update_fields=["status", "submitted_at", "break_until"])
            record(attempt, AttemptAction.SUBMITTED, at=attempt.submitted_at)
            logger.info("practice attempt %s submitted", attempt.public_id)
            return
        if current.opened_at is None:
            if attempt.break_until is None or now < attempt.break_until:
                return  # in the break; the applicant continues when ready
            _open(current, at=attempt.break_until)
            attempt.break_until = None
            attempt.save(update_fields=["break_until"])
            continue
        if now < current.deadline:
            return
        _close(attempt, current, at=current.deadline, reason=CloseReason.EXPIRED)


def _locked(attempt: Attempt) -> Attempt:
    return Attempt.objects.select_for_update().select_related("practice_set").get(pk=attempt.pk)


def attempt_advance(*, attempt: Attempt, now: datetime | None = None) -> Attempt:
    """Close what is overdue and open what is due; returns the attempt as it stands now."""
    now = _now(now)
    with transaction.atomic():
        locked = _locked(attempt)
        _walk(locked, now=now)
    return locked


def attempt_continue(*, attempt: Attempt, now: datetime | None = None) -> Attempt:
    """End the break early: the next scenario opens now."""
    now = _now(now)
    with transaction.atomic():
        locked = _locked(attempt)
        _walk(locked, now=now)
        if locked.status == AttemptStatus.IN_PROGRESS and locked.break_until is not None:
            current = locked.scenarios.filter(opened_at__isnull=True).order_by("position").first()
            _open(current, at=now)
            locked.break_until = None
            locked.save(update_fields=["break_until"])
    return locked


def scenario_submit(*, attempt: Attempt, position: int, now: datetime | None = None) -> Attempt:
    """The applicant is done with scenario `position` before its time is up: close it now.

    Submitting a scenario that already closed (time ran out, another tab submitted) changes
    nothing, so a late click never closes the next one by mistake."""
    now = _now(now)
    with transaction.atomic():
        locked = _locked(attempt)
        _walk(locked, now=now)
        row = (
            locked.scenarios.select_for_update()
            .filter(position=position, closed_at__isnull=True, opened_at__isnull=False)
            .first()
        )
        if locked.status == AttemptStatus.IN_PROGRESS and row is not None:
            _close(locked, row, at=now, reason=CloseReason.SUBMITTED)
            _walk(locked, now=now)
    return locked


def attempts_close_overdue(*, now: datetime | None = None) -> int:
    """The django-q2 job: move on every attempt whose browser did not call back."""
    now = _now(now)
    overdue = (
        Attempt.objects.filter(status=AttemptStatus.IN_PROGRESS)
        .filter(
            Q(scenarios__deadline__lte=now, scenarios__closed_at__isnull=True)
            | Q(break_until__lte=now)
        )
        .distinct()
    )
    moved = 0
    for attempt in overdue:
        attempt_advance(attempt=attempt, now=now)
        moved += 1
    return moved


# --- answers and recordings ---------------------------------------------------------------


def _answerable(locked: Attempt, position: int, *, now: datetime, grace: timedelta):
    """The scenario `position` if answers to it may still be saved now, else a domain error."""
    if locked.status not in (AttemptStatus.IN_PROGRESS, AttemptStatus.SUBMITTED):
        raise TooLate("This attempt has gone to the coaches; answers can no longer change.")
    row = locked.scenarios.select_for_update().filter(position=position).first()
    if row is None:
        raise PracticeError("There is no such scenario in this attempt.", code="no_scenario")
    if row.opened_at is None:
        raise PracticeError("This scenario has not opened yet.", code="not_open")
    if row.close_reason == CloseReason.SUBMITTED and now > row.closed_at + grace:
        raise TooLate("You submitted this scenario; your saved answers stand.")
    if now > row.deadline + grace:
        raise TooLate("Time is up for this scenario; your last saved answers stand.")
    return row


def answer_save(
    *,
    attempt: Attempt,
    position: int,
    index: int,
    text: str,
    version: int,
    now: datetime | None = None,
) -> Answer:
    """Save one answer if it replaces `version` (what the saving tab last saw).

    A save from a stale tab is refused (`StaleAnswer`) and never overwrites newer text; a save
    after the deadline and its grace is refused (`TooLate`) and the last saved answer stands.
    """
    now = _now(now)
    if len(text) > MAX_ANSWER_CHARS:
        raise PracticeError(
            f"An answer can be at most {MAX_ANSWER_CHARS} characters.", code="too_long"
        )
    with transaction.atomic():
        locked = _locked(attempt)
        _walk(locked, now=now)
        row = _answerable(locked, position, now=now, grace=_grace())
        if row.is_video:
            raise PracticeError("This scenario takes answers recorded on camera.", code="video")
        if not 0 <= index < len(row.questions):
            raise PracticeError("There is no such question in this scenario.", code="no_question")
        if now < row.reading_ends_at:
            raise PracticeError("Reading time: answers open when it ends.", code="reading")
        updated = Answer.objects.filter(attempt_scenario=row, index=index, version=version).update(
            text=text, version=F("version") + 1, saved_at=now
        )
        answer = Answer.objects.get(attempt_scenario=row, index=index)
        if not updated and answer.text != text:  # the same text from an older tab is no conflict
            error = StaleAnswer(
                "This answer was changed in another tab or window. Reload the page to see the "
                "newer text (copy anything you want to keep first).",
            )
            error.current_version = answer.version
            raise error
    return answer


def _upload_grace() -> timedelta:
    return timedelta(seconds=max(settings.PRACTICE_UPLOAD_GRACE_SECONDS, 0))


def _part_grace() -> timedelta:
    return timedelta(seconds=max(settings.PRACTICE_PART_GRACE_SECONDS, 0))


# A question may be a moment early by the server's clock when the page asked for it on time.
EARLY_TOLERANCE = timedelta(seconds=2)


def _recordable(
    locked: Attempt, position: int, index: int, *, now: datetime, grace: timedelta | None = None
) -> AttemptScenario:
    """The scenario `position` if question `index` may take a recording now, else an error:
    an MMI station (audio, one take, `index` 0) while it is open, or a question of a
    video-response scenario inside its own window (plus `grace`, by default the upload
    grace). A question whose window has passed is never recorded again: no going back."""
    grace = _upload_grace() if grace is None else grace
    if (
        not locked.practice_set.is_mmi
        and not locked.scenarios.filter(position=position, response=ResponseKind.VIDEO).exists()
    ):
        raise RecordingRejected("This scenario takes typed answers only.", code="typed_only")
    row = _answerable(locked, position, now=now, grace=grace)
    if not 0 <= index < max(len(row.questions), 1) or (not row.is_video and index):
        raise PracticeError("There is no such question in this scenario.", code="no_question")
    if row.is_video:
        opens, closes = row.question_window(index)
        if now < opens - EARLY_TOLERANCE:
            raise PracticeError("This question has not opened yet.", code="not_open")
        if now > closes + grace:
            raise TooLate("Time is up for this question; it cannot be recorded again.")
    return row


def recording_save(
    *, attempt: Attempt, position: int, upload, index: int = 0, now: datetime | None = None
) -> Recording:
    """Keep a spoken answer (replacing an earlier take of the same question): to an MMI station
    (audio), or to question `index` of a video-response scenario (video, in its own window).

    At most `PRACTICE_RECORDING_MAX_BYTES`, a WebM, Ogg or MP4 file by its first bytes (not by
    what the browser says), until `PRACTICE_UPLOAD_GRACE_SECONDS` after the question closed."""
    now = _now(now)
    with transaction.atomic():
        locked = _locked(attempt)
        _walk(locked, now=now)
        row = _recordable(locked, position, index, now=now)
        content_type = check_recording(
            upload, max_bytes=settings.PRACTICE_RECORDING_MAX_BYTES, video=row.is_video
        )
        recording = _replace_recording(row, index, upload, content_type, now=now)
    return recording


# --- recordings sent in parts -------------------------------------------------------------

PART_MAX_BYTES = 2 * 2**20
MAX_PARTS = 2000
TAKE_PATTERN = re.compile(r"[A-Za-z0-9_-]{8,22}")


def _check_part(take: str, number: int, data: bytes) -> None:
    if not TAKE_PATTERN.fullmatch(take or ""):
        raise PracticeError("That recording is not one this page started.", code="bad_take")
    if not 0 <= number < MAX_PARTS:
        raise PracticeError("There is no such part of a recording.", code="bad_part")
    if not data:
        raise RecordingRejected("The part is empty.", code="empty")
    if len(data) > PART_MAX_BYTES:
        raise RecordingRejected("A part can be at most 2 MB.", code="too_large")


def _open_take(row: AttemptScenario, index: int, take: str, head: bytes) -> None:
    """Part 0 starts a take: it must begin like a recording we keep; any unfinished take of
    the same question is dropped (the newer take replaces it)."""
    types = VIDEO_TYPES if row.is_video else AUDIO_TYPES
    if sniff_media(head[:16]) not in types:
        kinds = "WebM, Ogg or MP4 video" if row.is_video else "WebM, Ogg or MP4 audio"
        raise RecordingRejected(f"That is not a recording we can keep ({kinds}).", code="not_media")
    stale = list(RecordingPart.objects.filter(attempt_scenario=row, index=index).exclude(take=take))
    _delete_parts_after_commit(stale)


def _delete_parts_after_commit(parts: list[RecordingPart]) -> None:
    if not parts:
        return
    RecordingPart.objects.filter(pk__in=[part.pk for part in parts]).delete()
    names = [(part.file.storage, part.file.name) for part in parts]
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in names])


def recording_part_save(
    *,
    attempt: Attempt,
    position: int,
    index: int,
    take: str,
    number: int,
    data: bytes,
    now: datetime | None = None,
) -> RecordingPart:
    """Keep part `number` of take `take` (a name the page chose) of a question's recording.

    Part 0 must arrive while the question is open (its window plus `PRACTICE_GRACE_SECONDS`)
    and begin like a media file; the later parts of a take begun in time are accepted until
    `PRACTICE_PART_GRACE_SECONDS` after the window, so a slow uplink loses nothing recorded in
    time. A part sent again is stored once (the first copy stands); a take stays within
    `PRACTICE_RECORDING_MAX_BYTES`."""
    now = _now(now)
    _check_part(take, number, data)
    with transaction.atomic():
        locked = _locked(attempt)
        _walk(locked, now=now)
        grace = _grace() if number == 0 else _part_grace()
        row = _recordable(locked, position, index, now=now, grace=grace)
        parts = RecordingPart.objects.filter(attempt_scenario=row, index=index, take=take)
        existing = parts.filter(number=number).first()
        if existing is not None:
            return existing  # sent again after a lost answer
        if number == 0:
            _open_take(row, index, take, data)
        elif not parts.filter(number=0).exists():
            raise PracticeError("This recording was not started in time.", code="no_take")
        if (parts.aggregate(total=Sum("size"))["total"] or 0) + len(data) > (
            settings.PRACTICE_RECORDING_MAX_BYTES
        ):
            raise RecordingRejected("The recording is too long to keep.", code="too_large")
        part = RecordingPart(
            attempt_scenario=row,
            index=index,
            take=take,
            number=number,
            size=len(data),
            received_at=now,
        )
        part.file.save(f"{number}", ContentFile(data), save=False)
        part.save()
    return part


def _assemble(parts: list[RecordingPart], spool) -> File:
    """The parts, in order, as one file written into `spool`."""
    for part in parts:
        with part.file.open("rb") as chunk:
            shutil.copyfileobj(chunk, spool)
    spool.seek(0)
    return File(spool, name="answer")


def recording_complete(
    *, attempt: Attempt, position: int, index: int, take: str, parts: int, now=None
) -> Recording:
    """The page says take `take` has `parts` parts: once every one has arrived they become the
    question's recording (replacing an earlier take) and the parts are deleted; until then
    `PracticeError` ("incomplete", with `missing`) names the parts still to send. Completing a
    take already completed returns its recording."""
    now = _now(now)
    if not TAKE_PATTERN.fullmatch(take or "") or not 0 < parts <= MAX_PARTS:
        raise PracticeError("That recording is not one this page started.", code="bad_take")
    with transaction.atomic():
        locked = _locked(attempt)
        _walk(locked, now=now)
        row = _recordable(locked, position, index, now=now, grace=_part_grace())
        done = Recording.objects.filter(attempt_scenario=row, index=index, take=take).first()
        if done is not None:
            return done
        received = list(
            RecordingPart.objects.filter(attempt_scenario=row, index=index, take=take).order_by(
                "number"
            )
        )
        missing = sorted(set(range(parts)) - {part.number for part in received})
        if missing or len(received) != parts:
            error = PracticeError(
                "Some parts of the recording have not arrived yet.", code="incomplete"
            )
            error.missing = missing[:100]
            raise error
        with received[0].file.open("rb") as first:
            head = first.read(16)
        types = VIDEO_TYPES if row.is_video else AUDIO_TYPES
        content_type = types[sniff_media(head)]
        with tempfile.SpooledTemporaryFile(max_size=4 * 2**20) as spool:
            whole = _assemble(received, spool)
            recording = _replace_recording(row, index, whole, content_type, now=now)
        recording.take = take
        recording.save(update_fields=["take"])
        _delete_parts_after_commit(received)
    return recording


def _replace_recording(row, index: int, upload, content_type: str, *, now) -> Recording:
    """Store `upload` as the recording of question `index` of `row`, the earlier take's file
    deleted after commit, and queue the job that makes it seekable."""
    previous = Recording.objects.filter(attempt_scenario=row, index=index).first()
    old_name = previous.file.name if previous else None
    recording = previous or Recording(attempt_scenario=row, index=index)
    recording.content_type = content_type
    recording.size = upload.size
    recording.uploaded_at = now
    recording.seekable = False
    recording.duration_seconds = None
    recording.file.save(f"{row.position}-{index}", upload, save=False)
    recording.save()
    if old_name:
        storage = recording.file.storage
        transaction.on_commit(lambda: storage.delete(old_name))
    transaction.on_commit(lambda: _queue_make_seekable(recording.pk))
    return recording


def _queue_make_seekable(recording_id: int) -> None:
    from django_q.tasks import async_task

    async_task(
        "practice.services.recording_make_seekable",
        recording_id=recording_id,
        task_name=f"remux:{recording_id}",
        group="recordings",
    )


def recording_make_seekable(*, recording_id: int) -> Recording | None:
    """Remux a recording (stream copy, no re-encoding: `core.media.remux`) so players can seek
    it and its duration is known. Safe to run twice (a seekable one is left alone) and late (a
    recording replaced or deleted meanwhile is left to its newer take). A file ffmpeg cannot
    read stays as it was, unseekable, and is logged. Returns the recording, or None."""
    recording = Recording.objects.filter(pk=recording_id).first()
    if recording is None or recording.seekable:
        return recording
    name = recording.file.name
    with tempfile.TemporaryDirectory() as folder:
        source, seekable = Path(folder) / "take", Path(folder) / "seekable"
        with recording.file.open("rb") as stored, source.open("wb") as copy:
            shutil.copyfileobj(stored, copy)
        try:
            info = remux(source, seekable)
        except UploadRejected:
            logger.warning("recording %s could not be remuxed; kept as it was", recording_id)
            return recording
        with transaction.atomic():
            locked = Recording.objects.select_for_update().filter(pk=recording_id).first()
            if locked is None or locked.file.name != name:
                return locked  # a newer take replaced it meanwhile
            with seekable.open("rb") as handle:
                row = locked.attempt_scenario
                locked.file.save(f"{row.position}-{locked.index}", File(handle), save=False)
            locked.size = seekable.stat().st_size
            locked.seekable = info.seekable
            locked.duration_seconds = info.duration_seconds
            locked.save(update_fields=["file", "size", "seekable", "duration_seconds"])
            storage = locked.file.storage
            transaction.on_commit(lambda: storage.delete(name))
    return locked


# --- the applicant's own rating -----------------------------------------------------------

SELF_RATABLE = (AttemptStatus.SUBMITTED, AttemptStatus.CLAIMED, AttemptStatus.SCORED)
RATING_SCALE = (1, 2, 3, 4)


def _self_ratings_valid(rows: dict[int, AttemptScenario], ratings: dict) -> None:
    """Refuse the whole set of ratings before any is written: unknown positions, or a value
    that is not a whole number from 1 to 4 (None clears a rating)."""
    if set(ratings) - set(rows):
        raise PracticeError("There is no such scenario in this attempt.", code="no_scenario")
    for rating in ratings.values():
        whole = isinstance(rating, int) and not isinstance(rating, bool)
        if rating is not None and not (whole and rating in RATING_SCALE):
            raise PracticeError("Rate each scenario from 1 to 4.", code="bad_rating")


@transaction.atomic
def attempt_self_rate(*, attempt: Attempt, member, ratings: dict[int, int | None]) -> Attempt:
    """Save the applicant's own 1–4 rating per scenario position (None clears one).

    Only the attempt's owner, and only once it is submitted (awaiting a coach, being scored or
    scored); never while it is in progress or after it was withdrawn. Every rating is checked
    before any is saved, so a refused request (`PracticeError`, `AttemptStateError`) changes
    nothing; positions left out keep their rating."""
    locked = _locked(attempt)
    if locked.member_id != member.pk:
        raise PracticeError("This attempt is not yours to rate.", code="not_owner")
    if locked.status not in SELF_RATABLE:
        raise AttemptStateError(
            "You can rate your answers once the attempt is submitted."
            if locked.status == AttemptStatus.IN_PROGRESS
            else "This attempt was withdrawn; it can no longer be rated.",
            code="not_ratable",
        )
    rows = {row.position: row for row in locked.scenarios.select_for_update()}
    _self_ratings_valid(rows, ratings)
    for position, rating in ratings.items():
        rows[position].self_rating = rating
        rows[position].save(update_fields=["self_rating"])
    return locked


# --- coaches: claim, score, return --------------------------------------------------------


@transaction.atomic
def attempt_claim(*, attempt: Attempt, coach: Coach, now: datetime | None = None) -> Attempt:
    """Take a submitted attempt from the queue, if the queue's rule lets the coach take it.

    `coaching.work_queue.claim_guard` locks the coach's row and refuses a coach who is
    inactive, does not deliver the set's service, made the attempt, or is at their limit of
    open items (practice attempts and reviews together), so one coach's claims run one at a
    time and the limit holds. Of two coaches claiming at once exactly one wins: the claim is a
    conditional UPDATE on a still-unclaimed, submitted row; the other gets `ClaimError`
    ("taken"). Claiming an attempt the coach already holds returns it unchanged."""
    now = _now(now)
    current = Attempt.objects.get(pk=attempt.pk)
    coach = claim_guard(coach=coach, item=current)
    if current.is_claimed_by(coach):
        return current  # a double click
    claimed = Attempt.objects.filter(
        pk=attempt.pk, status=AttemptStatus.SUBMITTED, claimed_by__isnull=True
    ).update(status=AttemptStatus.CLAIMED, claimed_by=coach, claimed_at=now)
    if not claimed:
        raise ClaimError("Another coach has already taken this attempt.", code="taken")
    attempt.refresh_from_db()
    record(attempt, AttemptAction.CLAIMED, actor=coach.user, at=now, data={"coach": coach})
    logger.info("practice attempt %s claimed by coach %s", attempt.public_id, coach.pk)
    return attempt


def _claimed_by(attempt: Attempt, coach: Coach) -> Attempt:
    locked = _locked(attempt)
    if locked.status != AttemptStatus.CLAIMED or locked.claimed_by_id != coach.pk:
        raise ClaimError("This attempt is not yours to score.", code="not_claimed")
    return locked


@transaction.atomic
def attempt_release(*, attempt: Attempt, coach: Coach) -> Attempt:
    """Give a claimed attempt back to the queue, unscored, for another coach."""
    locked = _claimed_by(attempt, coach)
    locked.status = AttemptStatus.SUBMITTED
    locked.claimed_by = None
    locked.claimed_at = None
    locked.save(update_fields=["status", "claimed_by", "claimed_at"])
    record(locked, AttemptAction.RELEASED, actor=coach.user, data={"coach": coach})
    return locked


def _tags_checked(
    rows: dict[int, AttemptScenario], competencies: dict[int, Iterable[int]]
) -> dict[int, set[int]]:
    """The competency ids per position, each one active or already on that scenario (a tag
    given before an editor retired it may stay); anything else is a domain error."""
    if set(competencies) - set(rows):
        raise PracticeError("There is no such scenario in this attempt.", code="no_scenario")
    active = set(Competency.objects.active().values_list("pk", flat=True))
    checked = {}
    for position, ids in competencies.items():
        ids = set(ids)
        kept = set(rows[position].competencies.values_list("pk", flat=True))
        if ids - active - kept:
            raise PracticeError(
                "Choose the competencies from the list offered.", code="bad_competency"
            )
        checked[position] = ids
    return checked


@transaction.atomic
def attempt_score(
    *,
    attempt: Attempt,
    coach: Coach,
    scores: dict[int, tuple[int | None, str]],
    competencies: dict[int, Iterable[int]] | None = None,
) -> Attempt:
    """Save the coach's rating (1–4) and comment per scenario position, and (when given) the
    competencies each answer showed (ids of active competencies; the given set replaces the
    scenario's tags, positions left out keep theirs); a draft until returned. A refusal
    changes nothing."""
    locked = _claimed_by(attempt, coach)
    rows = {row.position: row for row in locked.scenarios.select_for_update()}
    if set(scores) - set(rows):
        raise PracticeError("There is no such scenario in this attempt.", code="no_scenario")
    for position, ids in _tags_checked(rows, competencies or {}).items():
        rows[position].competencies.set(ids)
    for position, (score, comment) in scores.items():
        if score is not None and score not in (1, 2, 3, 4):
            raise PracticeError("Rate each scenario from 1 to 4.", code="bad_score")
        if len(comment) > MAX_COMMENT_CHARS:
            raise PracticeError(
                f"A comment can be at most {MAX_COMMENT_CHARS} characters.", code="too_long"
            )
        rows[position].score = score
        rows[position].comment = comment.strip()
        rows[position].save(update_fields=["score", "comment"])
    return locked


def _retention() -> timedelta:
    return timedelta(days=settings.PRACTICE_RECORDING_RETENTION_DAYS)


def attempt_return(*, attempt: Attempt, coach: Coach, now: datetime | None = None) -> Attempt:
    """Send the scores back to the applicant (emailed after commit); recordings are then kept
    for `PRACTICE_RECORDING_RETENTION_DAYS`."""
    now = _now(now)
    with transaction.atomic():
        locked = _claimed_by(attempt, coach)
        if locked.scenarios.filter(score__isnull=True).exists():
            raise PracticeError("Rate every scenario before returning.", code="unscored")
        locked.check_transition(AttemptStatus.SCORED)
        locked.status = AttemptStatus.SCORED
        locked.returned_at = now
        locked.save(update_fields=["status", "returned_at"])
        record(locked, AttemptAction.RETURNED, actor=coach.user, at=now, data={"coach": coach})
        Recording.objects.filter(attempt_scenario__attempt=locked).update(
            delete_after=now + _retention()
        )
        transaction.on_commit(lambda: emails.send_attempt_returned(locked))
    logger.info("practice attempt %s returned by coach %s", locked.public_id, coach.pk)
    return locked


# --- refunds and retention ----------------------------------------------------------------


def attempts_withdraw_for_ended_entitlements(
    *, entitlements: Iterable, reason: str, now: datetime | None = None
) -> int:
    """After a full refund ended these entitlements: members left without the practice perk
    have their unscored attempts taken out of the queue (and their recordings deleted by the
    retention job); scored attempts stay with them. Returns how many were withdrawn."""
    now = _now(now)
    members = {row.member for row in entitlements if row.perk == PerkKind.PRACTICE_TESTS}
    withdrawn = 0
    for member in members:
        if PerkKind.PRACTICE_TESTS in member_perks(member, at=now):
            continue  # another purchase still covers practice
        with transaction.atomic():
            ids = list(
                Attempt.objects.select_for_update()
                .filter(member=member, status__in=OPEN_STATUSES)
                .values_list("pk", flat=True)
            )
            withdrawn += Attempt.objects.filter(pk__in=ids).update(
                status=AttemptStatus.WITHDRAWN,
                withdrawn_at=now,
                withdraw_reason=reason[:300],
                break_until=None,
            )
            Recording.objects.filter(attempt_scenario__attempt__in=ids).update(delete_after=now)
            for attempt in Attempt.objects.filter(pk__in=ids).only("public_id"):
                record(attempt, AttemptAction.WITHDRAWN, reason=reason, at=now)
    if withdrawn:
        logger.info("withdrew %d practice attempt(s) after a refund", withdrawn)
    return withdrawn


def recordings_delete_expired(*, now: datetime | None = None) -> int:
    """The daily job: delete recordings past their keeping time (file, then row), and the parts
    of takes never completed once they can no longer be (a day after their part grace)."""
    now = _now(now)
    deleted = 0
    for recording in Recording.objects.filter(delete_after__lte=now):
        recording.file.storage.delete(recording.file.name)
        recording.delete()
        deleted += 1
    abandoned = now - _part_grace() - timedelta(days=1)
    for part in RecordingPart.objects.filter(received_at__lte=abandoned):
        part.file.storage.delete(part.file.name)
        part.delete()
    return deleted
