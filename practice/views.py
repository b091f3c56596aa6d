"""Practice pages under /practice/: the sets and the member's progress, taking a test (a plain
form per scenario, with autosave to a JSON endpoint when JavaScript runs), the results, the
recordings, and the coaches' interim queue and scoring page.

Thin views: every write is a service, every read a selector. An attempt is shown only to its
owner, the coach who claimed it and staff; to anyone else it does not exist (404).
"""

from __future__ import annotations

import json
from datetime import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from booking.views import coach_required
from coaching.models import Coach, PerkKind
from core.errors import DomainError
from core.files import protected_download
from core.history import timeline
from members.gate import perk_gate, perk_panel
from practice import selectors, services
from practice.forms import (
    MAX_POSITION,
    MAX_QUESTIONS,
    AnswerPayload,
    ScoreForm,
    SelfRatingForm,
)
from practice.models import MAX_ANSWER_CHARS, Attempt, AttemptStatus, PracticeSet

MAX_JSON_BODY = 64 * 1024


def _attempt_for(request, public_id: str, *roles: str) -> tuple[Attempt, str]:
    """The attempt if the user may see it in one of `roles`, else 404 (never a hint it exists)."""
    attempt = selectors.attempt_with_scenarios(public_id) if len(public_id) <= 22 else None
    role = selectors.attempt_role(request.user, attempt) if attempt else None
    if attempt is None or role not in roles:
        raise Http404("No such attempt.")
    return attempt, role


def _clock(seconds: int) -> str:
    return f"{seconds // 60}:{seconds % 60:02d}"


def _seconds_until(moment: datetime | None, now: datetime) -> int:
    if moment is None:
        return 0
    return max(int((moment - now).total_seconds() + 0.999), 0)


# --- the member's pages -------------------------------------------------------------------


@require_GET
def index(request):
    """The sets (with the fair-use rule said before starting) and the member's progress.

    Behind the members' gate; someone whose perk has ended still sees their own attempts and
    scores here, with the gate's panel where the sets were."""
    user = request.user
    summaries = selectors.attempts_for(user) if user.is_authenticated else []
    if not summaries:
        refused = perk_gate(request, PerkKind.PRACTICE_TESTS, title="Timed practice tests")
        if refused is not None:
            return refused
    panel = perk_panel(request, PerkKind.PRACTICE_TESTS)
    may_practise = panel is None
    now = timezone.now()
    used = selectors.monthly_attempts_used(request.user, now=now)
    scored = [s for s in summaries if s.average is not None]
    context = {
        "may_practise": may_practise,
        "panel": panel,
        "offers": selectors.sets_for(request.user) if may_practise else [],
        "cap": settings.PRACTICE_MONTHLY_ATTEMPTS,
        "used": used,
        "remaining": max(settings.PRACTICE_MONTHLY_ATTEMPTS - used, 0),
        "summaries": summaries,
        "chart": selectors.progress_chart(summaries),
        **_competency_context(request.user, scored),
        "overall_average": (
            round(sum(s.average for s in scored) / len(scored), 2) if scored else None
        ),
    }
    return render(request, "practice/index.html", context)


def _competency_context(member, scored: list) -> dict:
    """The per-competency table and its bar chart, once the member has a scored attempt."""
    if not scored:
        return {}
    progress = selectors.competency_progress(member)
    return {
        "competencies": progress,
        "competency_chart": selectors.competency_chart(progress),
        "scored_scenarios": sum(len([s for s in summary.scores if s]) for summary in scored),
    }


@login_required
@require_POST
def start(request, slug: str):
    practice_set = get_object_or_404(PracticeSet.objects.active(), slug=slug[:80])
    try:
        attempt = services.attempt_start(member=request.user, practice_set=practice_set)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("practice:index")
    return redirect(attempt)


@login_required
@require_GET
def system_check(request, slug: str):
    """Before a set with video answers starts: camera, microphone, a test recording and the
    upload speed, while no clock runs (no attempt exists yet). "Begin the test" posts to
    `start`, whatever the checks found: the applicant decides. An attempt already running at
    the set is shown instead, since its clock does not wait."""
    refused = perk_gate(request, PerkKind.PRACTICE_TESTS, title="Timed practice tests")
    if refused is not None:
        return refused
    practice_set = get_object_or_404(
        PracticeSet.objects.active().select_related("format"), slug=slug[:80]
    )
    if not selectors.records_video(practice_set):
        raise Http404("This set has no video answers to check for.")
    rule = selectors.fair_use(request.user, practice_set)
    if rule.open_attempt is not None and rule.open_attempt.status == AttemptStatus.IN_PROGRESS:
        return redirect(rule.open_attempt)
    context = {"practice_set": practice_set, "refusal": rule.reason}
    response = render(request, "practice/system_check.html", context)
    response.records_media = True  # the one page before the test that opens the camera
    return response


CHECK_UPLOAD_MAX_BYTES = 2 * 2**20


@login_required
@require_POST
def check_upload(request):
    """The system check's upload-speed test: raw bytes in (at most 2 MB), read and thrown away,
    and how many arrived out, so the browser can time the round."""
    if request.content_type != "application/octet-stream":
        return _json_error("unsupported", "Send the test bytes as application/octet-stream.", 415)
    if _content_length(request) > CHECK_UPLOAD_MAX_BYTES:
        return _json_error("too_large", "The speed test sends at most 2 MB.", 413)
    received = 0
    while chunk := request.read(64 * 1024):
        received += len(chunk)
        if received > CHECK_UPLOAD_MAX_BYTES:
            return _json_error("too_large", "The speed test sends at most 2 MB.", 413)
    return JsonResponse({"bytes": received})


@login_required
@require_http_methods(["GET", "POST"])
def attempt_page(request, public_id: str):
    """The test while it runs (one scenario at a time), then the summary and scores."""
    attempt, role = _attempt_for(request, public_id, "owner", "coach", "staff")
    if role != "owner":
        return redirect(attempt.get_coach_url())
    if request.method == "POST":
        return _post_answers(request, attempt)
    now = timezone.now()
    if attempt.status == AttemptStatus.IN_PROGRESS:
        attempt = services.attempt_advance(attempt=attempt, now=now)
    if attempt.status == AttemptStatus.IN_PROGRESS:
        return _take(request, attempt, now=now)
    attempt, _ = _attempt_for(request, public_id, "owner")
    return render(request, "practice/attempt_results.html", _results_context(attempt))


def _take(request, attempt: Attempt, *, now: datetime):
    row = selectors.current_scenario(attempt)
    total = attempt.scenarios.count()
    if row is None:  # a break between scenarios
        context = {
            "attempt": attempt,
            "break_seconds": _seconds_until(attempt.break_until, now),
            "clock": _clock(_seconds_until(attempt.break_until, now)),
            "done": attempt.scenarios.filter(closed_at__isnull=False).count(),
            "total": total,
        }
        return render(request, "practice/attempt_break.html", context)
    reading = now < row.reading_ends_at
    answers = list(row.answers.all())
    question = _open_question(row, now=now) if row.is_video and not reading else None
    ends = row.reading_ends_at if reading else (question["ends"] if question else row.deadline)
    context = {
        "attempt": attempt,
        "row": row,
        "total": total,
        "reading": reading,
        "question": question,
        "phase_seconds": row.reading_seconds
        if reading
        else (row.question_seconds if question else row.answer_seconds),
        "seconds_left": _seconds_until(ends, now),
        "clock": _clock(_seconds_until(ends, now)),
        "fields": [
            {"answer": answer, "label": label, "name": f"answer-{answer.index}"}
            for answer, label in zip(answers, row.questions, strict=False)
        ],
        "max_chars": MAX_ANSWER_CHARS,
        "max_bytes": settings.PRACTICE_RECORDING_MAX_BYTES,
        "bits_per_second": _video_bits_per_second(row),
        "is_mmi": attempt.practice_set.is_mmi,
        "is_last": row.position == total,
    }
    response = render(request, "practice/attempt_take.html", context)
    # Only a page that records may use the microphone and camera (site/middleware.py).
    response.records_media = bool(question) or (attempt.practice_set.is_mmi and not reading)
    return response


VIDEO_BITS_PER_SECOND = 1_000_000


def _video_bits_per_second(row) -> int:
    """About 1 Mb/s, less where a long answer (an 8-minute MMI station) would otherwise pass
    the recording size limit."""
    seconds = max(row.question_seconds or row.answer_seconds, 1)
    fits = int(settings.PRACTICE_RECORDING_MAX_BYTES * 8 * 0.85 / seconds)
    return min(VIDEO_BITS_PER_SECOND, fits)


def _open_question(row, *, now: datetime) -> dict:
    """The video question open now: its number, text, end, and any take already kept."""
    index = row.question_at(now)
    _, ends = row.question_window(index)
    return {
        "index": index,
        "number": index + 1,
        "count": len(row.questions),
        "label": row.questions[index],
        "ends": ends,
        "kept": any(take.index == index for take in row.recordings.all()),
    }


def _post_answers(request, attempt: Attempt):
    """The page without JavaScript: save each answer of the scenario, then submit it if asked."""
    now = timezone.now()
    position = request.POST.get("position", "")
    for key, text in request.POST.items():
        if not key.startswith("answer-"):
            continue
        index = key.removeprefix("answer-")
        try:
            payload = AnswerPayload.parse(
                {
                    "position": _whole(position),
                    "index": _whole(index),
                    "text": text,
                    "version": _whole(request.POST.get(f"version-{index}", "")),
                }
            )
        except ValueError:
            messages.error(request, "That form was not understood; your saved answers stand.")
            return redirect(attempt)
        try:
            services.answer_save(attempt=attempt, now=now, **payload)
        except DomainError as error:
            messages.error(request, f"Question {payload['index'] + 1}: {error.message}")
    if request.POST.get("action") == "submit" and isinstance(_whole(position), int):
        services.scenario_submit(attempt=attempt, position=_whole(position), now=now)
    elif request.POST.get("action") != "submit":
        messages.success(request, "Saved.")
    return redirect(attempt)


def _whole(value: str) -> int | None:
    """A short string of digits as an int (else None, which the payload check refuses)."""
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 10 else None


@login_required
@require_POST
def save_answer(request, public_id: str):
    """The autosave endpoint: JSON in, JSON out, a clear 4xx with a code when refused."""
    attempt, role = _attempt_for(request, public_id, "owner")
    if request.content_type != "application/json":
        return _json_error("unsupported", "Send the answer as JSON.", 415)
    if len(request.body) > MAX_JSON_BODY:
        return _json_error("too_large", "That answer is too long to save.", 413)
    try:
        payload = AnswerPayload.parse(json.loads(request.body))
    except (ValueError, TypeError) as error:
        return _json_error("invalid", str(error) or "The answer was not understood.", 400)
    try:
        answer = services.answer_save(attempt=attempt, **payload)
    except DomainError as error:
        extra = {}
        if hasattr(error, "current_version"):
            extra["version"] = error.current_version
        return _json_error(error.code, error.message, error.status, **extra)
    return JsonResponse(
        {
            "version": answer.version,
            "saved_at": answer.saved_at.isoformat(),
            "words": answer.word_count,
        }
    )


def _content_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _json_error(code: str, detail: str, status: int, **extra) -> JsonResponse:
    return JsonResponse({"code": code, "detail": detail, **extra}, status=status)


@login_required
@require_POST
def continue_after_break(request, public_id: str):
    attempt, _ = _attempt_for(request, public_id, "owner")
    services.attempt_continue(attempt=attempt)
    return redirect(attempt)


def _results_context(attempt: Attempt, *, self_rating_form: SelfRatingForm | None = None) -> dict:
    rows = list(attempt.scenarios.all())
    scores = [row.score for row in rows if row.score is not None]
    if self_rating_form is None and attempt.status in services.SELF_RATABLE:
        self_rating_form = SelfRatingForm(rows=rows)
    return {
        "attempt": attempt,
        "rows": rows,
        "average": round(sum(scores) / len(scores), 2) if scores and attempt.is_scored else None,
        "self_rating_form": self_rating_form,
        "history": timeline(attempt, viewer=attempt.member, applicant_id=attempt.member_id),
    }


@login_required
@require_POST
def self_rate(request, public_id: str):
    """The applicant rates each scenario 1–4 themselves, once the attempt is submitted. A
    refusal re-renders the results with the reason (400, or 409 for a withdrawn attempt) and
    changes nothing."""
    attempt, _ = _attempt_for(request, public_id, "owner")
    if attempt.status == AttemptStatus.IN_PROGRESS:
        messages.error(request, "You can rate your answers once the attempt is submitted.")
        return redirect(attempt)
    form = SelfRatingForm(request.POST, rows=list(attempt.scenarios.all()))
    status = 400
    if form.is_valid():
        try:
            services.attempt_self_rate(attempt=attempt, member=request.user, ratings=form.ratings())
        except DomainError as error:
            form.add_error(None, f"{error.message} Nothing was changed.")
            status = error.status
        else:
            messages.success(request, "Your own ratings are saved.")
            return redirect(attempt.get_absolute_url() + "#self-rating")
    context = _results_context(attempt, self_rating_form=form)
    return render(request, "practice/attempt_results.html", context, status=status)


# --- files ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def recording(request, public_id: str, position: int, index: int = 0):
    """GET: the recording, to the owner, the claiming coach and staff. POST: the owner uploads
    a take while the station or the question is open (multipart field `audio` or `video`)."""
    if position > MAX_POSITION or index >= MAX_QUESTIONS:
        raise Http404("No such scenario.")
    if request.method == "POST":
        attempt, _ = _attempt_for(request, public_id, "owner")
        if _content_length(request) > settings.PRACTICE_RECORDING_MAX_BYTES + MAX_JSON_BODY:
            limit = settings.PRACTICE_RECORDING_MAX_BYTES // 2**20
            return _json_error("too_large", f"A recording can be at most {limit} MB.", 413)
        upload = request.FILES.get("video") or request.FILES.get("audio")
        try:
            saved = services.recording_save(
                attempt=attempt, position=position, index=index, upload=upload
            )
        except DomainError as error:
            return _json_error(error.code, error.message, error.status)
        return JsonResponse({"size": saved.size, "content_type": saved.content_type})
    attempt, _ = _attempt_for(request, public_id, "owner", "coach", "staff")
    row = next((r for r in attempt.scenarios.all() if r.position == position), None)
    take = next((r for r in row.recordings.all() if r.index == index), None) if row else None
    if take is None:
        raise Http404("No recording.")
    return protected_download(
        request,
        file=take.file,
        filename=f"practice-{attempt.public_id}-{position}-{index + 1}.{take.extension}",
        content_type=take.content_type,
        inline=True,
    )


def _owners_take(request, public_id: str, where: dict) -> Attempt:
    """The attempt a take is sent to, by its owner only; the URL's position and question
    within bounds (`where`: position, index, take and, for a part, number)."""
    if where["position"] > MAX_POSITION or where["index"] >= MAX_QUESTIONS:
        raise Http404("No such scenario.")
    attempt, _ = _attempt_for(request, public_id, "owner")
    return attempt


@login_required
@require_POST
def recording_part(request, public_id: str, **where):
    """One part of a take as the browser records it (the raw bytes as the body)."""
    attempt = _owners_take(request, public_id, where)
    if _content_length(request) > services.PART_MAX_BYTES:
        return _json_error("too_large", "A part can be at most 2 MB.", 413)
    try:
        part = services.recording_part_save(attempt=attempt, data=request.body, **where)
    except DomainError as error:
        return _json_error(error.code, error.message, error.status)
    return JsonResponse({"number": part.number, "size": part.size})


@login_required
@require_POST
def recording_complete(request, public_id: str, **where):
    """The take is whole (JSON `{"parts": n}`): its parts become the question's recording;
    409 with `missing` while some have not arrived."""
    attempt = _owners_take(request, public_id, where)
    if _content_length(request) > MAX_JSON_BODY:
        return _json_error("too_large", "The request is too large.", 413)
    try:
        parts = json.loads(request.body or b"{}").get("parts")
    except (ValueError, AttributeError):
        parts = None
    if not isinstance(parts, int) or isinstance(parts, bool):
        return _json_error("invalid", "Say how many parts the recording has.", 400)
    try:
        saved = services.recording_complete(attempt=attempt, parts=parts, **where)
    except DomainError as error:
        extra = {"missing": error.missing} if hasattr(error, "missing") else {}
        status = 409 if error.code == "incomplete" else error.status
        return _json_error(error.code, error.message, status, **extra)
    return JsonResponse({"size": saved.size, "content_type": saved.content_type})


@login_required
@require_GET
def video(request, public_id: str, position: int):
    """A scenario's video prompt, once the scenario has opened for this attempt."""
    attempt, _ = _attempt_for(request, public_id, "owner", "coach", "staff")
    row = next((r for r in attempt.scenarios.all() if r.position == position), None)
    if row is None or row.video is None or row.opened_at is None:
        raise Http404("No video.")
    return protected_download(
        request, file=row.video.file, filename=row.video.filename, inline=True
    )


# --- coaches ----------------------------------------------------------------------------------


@coach_required
@require_GET
def coach_queue(request, coach: Coach):
    """Practice attempts are claimed from the one reviewers' queue (reviews and attempts, one
    limit of open items), composed in `site/` at /coach/reviews/."""
    return redirect("coach_queue")


@coach_required
@require_POST
def coach_release(request, coach: Coach, public_id: str):
    """Give a claimed attempt back to the queue, once the coach has ticked the confirmation
    (the button sits beside "Return to the applicant"; without the tick nothing changes)."""
    attempt, _ = _attempt_for(request, public_id, "coach")
    if request.POST.get("confirm") != "yes":
        messages.error(
            request,
            "Nothing changed: tick “Yes, give it back to the queue” to give this attempt back.",
        )
        return redirect(reverse("practice:coach_attempt", args=[attempt.public_id]) + "#give-back")
    try:
        services.attempt_release(attempt=attempt, coach=coach)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Back in the queue for another coach.")
    return redirect("coach_queue")


@login_required
@require_http_methods(["GET", "POST"])
def coach_attempt(request, public_id: str):
    """The coach's page for one attempt: answers, recordings and the score form (claiming coach);
    staff see it read-only."""
    attempt, role = _attempt_for(request, public_id, "coach", "staff")
    rows = list(attempt.scenarios.all())
    may_score = role == "coach" and attempt.status == AttemptStatus.CLAIMED
    form = ScoreForm(rows=rows) if may_score else None
    status = 200
    if request.method == "POST":
        if not may_score:
            raise PermissionDenied("Only the coach who claimed this attempt scores it.")
        form = ScoreForm(request.POST, rows=rows)
        if form.is_valid():
            try:
                services.attempt_score(
                    attempt=attempt,
                    coach=attempt.claimed_by,
                    scores=form.scores(),
                    competencies=form.tags(),
                )
                if request.POST.get("action") == "return":
                    services.attempt_return(attempt=attempt, coach=attempt.claimed_by)
                    messages.success(request, "Returned: the applicant has been emailed.")
                    return redirect("coach_queue")
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, "Draft saved.")
                return redirect(attempt.get_coach_url())
        status = 400
    context = {
        "attempt": attempt,
        "rows": rows,
        "form": form,
        "role": role,
        "history": timeline(
            attempt,
            viewer=request.user,
            applicant_id=attempt.member_id,
            staff=role == "staff",
        ),
    }
    return render(request, "practice/coach_attempt.html", context, status=status)
