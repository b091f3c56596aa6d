"""Demo attempts in today's format, one in each state a newcomer should see: a video drill scored
with its recorded answers, another waiting for a coach, and the full-length simulation in
progress (started as the demo loads, so it runs for the next hour by the server's clock).

Every answer goes through the services as a browser sends it: short generated videos
(`core.media.make_sample`: a moving bar and a tone, as Chrome writes WebM, with no duration)
sent as parts inside each question's window, then completed; the background job makes each
seekable when the worker runs. Called by `practice/demo.py` only when the demo applicant has no
attempts yet, so a reload adds none.
"""

from __future__ import annotations

import tempfile
from datetime import timedelta
from pathlib import Path

from django.utils import timezone

from core.media import make_sample
from practice import services
from practice.models import Attempt, PracticeSet

SAMPLE_SECONDS = 3
DRILL_SCORES = {
    1: (3, "You named both people's needs and a plan. Look at the camera, not the screen."),
    2: (4, "Calm and concrete: you kept the child safe first and explained why."),
}


def _sample() -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "answer.webm"
        make_sample(
            path, seconds=SAMPLE_SECONDS, container="webm", width=320, height=240, live=True
        )
        return path.read_bytes()


def _answer_on_camera(attempt: Attempt, row, video: bytes) -> None:
    """Each question's answer sent as two parts inside its window, then completed."""
    for index in range(len(row.questions)):
        opens, _ = row.question_window(index)
        take = f"demo{attempt.pk:04d}{row.position:02d}{index}"
        half = len(video) // 2
        for number, data in enumerate((video[:half], video[half:])):
            services.recording_part_save(
                attempt=attempt,
                position=row.position,
                index=index,
                take=take,
                number=number,
                data=data,
                now=opens + timedelta(seconds=2 + number),
            )
        services.recording_complete(
            attempt=attempt,
            position=row.position,
            index=index,
            take=take,
            parts=2,
            now=opens + timedelta(seconds=5),
        )


def _drill_attempt(practice_set: PracticeSet, member, *, started, video: bytes) -> Attempt:
    attempt = services.attempt_start(member=member, practice_set=practice_set, now=started)
    for position in attempt.scenarios.order_by("position").values_list("position", flat=True):
        row = attempt.scenarios.get(position=position)
        if row.opened_at is None:  # opens by itself when the one before runs out
            before = attempt.scenarios.get(position=position - 1)
            services.attempt_advance(attempt=attempt, now=before.deadline)
            row.refresh_from_db()
        _answer_on_camera(attempt, row, video)
    return services.attempt_advance(attempt=attempt, now=timezone.now())


def load(*, member, coach, drill: PracticeSet, full: PracticeSet) -> None:
    """The three demo attempts (see the module's docstring)."""
    video = _sample()
    now = timezone.now()
    scored = _drill_attempt(drill, member, started=now - timedelta(days=6), video=video)
    services.attempt_claim(attempt=scored, coach=coach, now=now - timedelta(days=5))
    services.attempt_score(attempt=scored, coach=coach, scores=DRILL_SCORES)
    services.attempt_return(attempt=scored, coach=coach, now=now - timedelta(days=5))
    _drill_attempt(drill, member, started=now - timedelta(hours=3), video=video)
    services.attempt_start(member=member, practice_set=full, now=now)
