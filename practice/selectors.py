"""Reads that practice's pages and the coaches' queue share.

The shared queue at `/coach/reviews/` (in `site/`) composes its items from
`to_claim_for(coach)` and `open_for(coach)`, named as in `reviews.selectors`; `open_count_for`
is the counter `PracticeConfig.ready()` registers with `coaching.work_queue` for the coach's
limit of open items.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from statistics import mean

from django.conf import settings
from django.db.models import Avg, Count, Max, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from coaching.models import Coach
from core.duties import can_handle_coaching
from practice.models import (
    OPEN_STATUSES,
    Answer,
    Attempt,
    AttemptScenario,
    AttemptStatus,
    Competency,
    PracticeSet,
    Recording,
    ResponseKind,
)

# --- the coaches' queue -------------------------------------------------------------------


def _queue_rows(attempts: QuerySet[Attempt]) -> QuerySet[Attempt]:
    # What the coach takes on: the seconds of video (known once remuxed) and the takes.
    return attempts.select_related("member", "practice_set", "practice_set__service").annotate(
        video_seconds=Sum("scenarios__recordings__duration_seconds"),
        takes=Count("scenarios__recordings"),
    )


def to_claim_for(coach: Coach) -> QuerySet[Attempt]:
    """Attempts the coach may claim, oldest submission first: submitted and unclaimed, at sets
    whose service the coach delivers, not their own; none while the coach is inactive. The
    claim itself is checked again under a lock (`coaching.work_queue.claim_guard`)."""
    if not coach.active:
        return Attempt.objects.none()
    return _queue_rows(
        Attempt.objects.filter(
            status=AttemptStatus.SUBMITTED,
            claimed_by__isnull=True,
            practice_set__service__in=coach.services.all(),
        ).exclude(member_id=coach.user_id)
    ).order_by("submitted_at", "pk")


def open_for(coach: Coach) -> QuerySet[Attempt]:
    """Attempts the coach has claimed and not returned yet, oldest claim first."""
    return _queue_rows(
        Attempt.objects.filter(status=AttemptStatus.CLAIMED, claimed_by=coach)
    ).order_by("claimed_at", "pk")


def open_count_for(coach: Coach) -> int:
    """How many attempts count against the coach's limit of open items: `open_for(coach)`'s."""
    return open_for(coach).count()


# --- who may see an attempt ---------------------------------------------------------------


def attempt_role(user, attempt: Attempt) -> str | None:
    """ "owner", "coach" (the one who claimed it), "staff", or None: may not see it."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    if attempt.member_id == user.pk:
        return "owner"
    if attempt.claimed_by_id and attempt.claimed_by.user_id == user.pk:
        return "coach"
    if can_handle_coaching(user):
        return "staff"
    return None


def attempt_with_scenarios(public_id: str) -> Attempt | None:
    """An attempt with its scenarios, their answers, recordings and competency tags, in five
    queries."""
    return (
        Attempt.objects.select_related("member", "practice_set__format", "claimed_by")
        .prefetch_related(
            Prefetch("scenarios", queryset=AttemptScenario.objects.order_by("position")),
            "scenarios__competencies",
            Prefetch("scenarios__answers", queryset=Answer.objects.order_by("index")),
            Prefetch("scenarios__recordings", queryset=Recording.objects.order_by("index")),
        )
        .filter(public_id=public_id)
        .first()
    )


def current_scenario(attempt: Attempt) -> AttemptScenario | None:
    """The open scenario of an attempt in progress (None in a break or once submitted)."""
    return (
        attempt.scenarios.filter(opened_at__isnull=False, closed_at__isnull=True)
        .prefetch_related(
            Prefetch("answers", queryset=Answer.objects.order_by("index")),
            Prefetch("recordings", queryset=Recording.objects.order_by("index")),
        )
        .order_by("position")
        .first()
    )


# --- fair use -----------------------------------------------------------------------------


def month_start(now: datetime) -> datetime:
    """The first instant of `now`'s month in UTC: where the fair-use count starts again."""
    return now.astimezone(UTC).replace(day=1, hour=0, minute=0, second=0, microsecond=0)


@dataclass(frozen=True)
class FairUse:
    """What the fair-use rule says about starting a set now, in words for the member."""

    cap: int
    used: int
    open_attempt: Attempt | None

    @property
    def remaining(self) -> int:
        return max(self.cap - self.used, 0)

    @property
    def may_start(self) -> bool:
        return self.open_attempt is None and self.remaining > 0

    @property
    def reason(self) -> str:
        if self.open_attempt is not None:
            if self.open_attempt.status == AttemptStatus.IN_PROGRESS:
                return "You have an attempt at this set in progress: carry on with it."
            return (
                "Your last attempt at this set is waiting for a coach's score. You can start "
                "this set again once it is scored."
            )
        if not self.remaining:
            return (
                f"You have started {self.used} practice tests this month, the most fair use "
                "allows. The count starts again on the 1st (UTC)."
            )
        return ""


def monthly_attempts_used(member, *, now: datetime) -> int:
    """How many practice tests the member started since the month began (UTC), withdrawn ones not
    counted."""
    return (
        Attempt.objects.filter(member=member, started_at__gte=month_start(now))
        .exclude(status=AttemptStatus.WITHDRAWN)
        .count()
    )


def fair_use(member, practice_set: PracticeSet, *, now: datetime | None = None) -> FairUse:
    """Whether the member may start `practice_set` now, and why not: no open attempt at the set and
    fewer than PRACTICE_MONTHLY_ATTEMPTS started this month."""
    now = now or timezone.now()
    return FairUse(
        cap=settings.PRACTICE_MONTHLY_ATTEMPTS,
        used=monthly_attempts_used(member, now=now),
        open_attempt=Attempt.objects.filter(
            member=member, practice_set=practice_set, status__in=OPEN_STATUSES
        ).first(),
    )


# --- the member's practice page -----------------------------------------------------------


@dataclass
class SetOffer:
    practice_set: PracticeSet
    open_attempt: Attempt | None
    scenario_count: int
    # Answering time in minutes for a set in a format (breaks and reading left out), else None.
    minutes: int | None = None
    # Some scenario is answered on camera: Start leads to the system check first.
    records_video: bool = False


def sets_for(member) -> list[SetOffer]:
    """Active sets, each with the member's attempt that holds its place (if any)."""
    sets = list(
        PracticeSet.objects.active()
        .select_related("format")
        .prefetch_related("scenarios", "format__sections")
    )
    open_by_set = {
        attempt.practice_set_id: attempt
        for attempt in Attempt.objects.filter(member=member, status__in=OPEN_STATUSES)
    }
    return [_offer(s, open_by_set.get(s.pk)) for s in sets]


def _offer(practice_set: PracticeSet, open_attempt: Attempt | None) -> SetOffer:
    if practice_set.is_mmi:
        return SetOffer(practice_set, open_attempt, practice_set.station_count)
    if practice_set.format is None:
        return SetOffer(practice_set, open_attempt, len(practice_set.scenarios.all()))
    plan = practice_set.format.pour(practice_set.scenarios.all())
    seconds = sum(section.seconds_per_scenario for section, _ in plan)
    video = any(section.response == ResponseKind.VIDEO for section, _ in plan)
    return SetOffer(
        practice_set, open_attempt, len(plan), minutes=round(seconds / 60), records_video=video
    )


def records_video(practice_set: PracticeSet) -> bool:
    """Whether an attempt at the set answers some scenario on camera (its format pours one of
    its scenarios into a `video` section): such a set starts with the system check."""
    if practice_set.is_mmi or practice_set.format is None:
        return False
    plan = practice_set.format.pour(practice_set.scenarios.all())
    return any(section.response == ResponseKind.VIDEO for section, _ in plan)


@dataclass
class AttemptSummary:
    attempt: Attempt
    scores: list[int | None] = field(default_factory=list)

    @property
    def average(self) -> float | None:
        given = [s for s in self.scores if s is not None]
        return round(mean(given), 2) if given and self.attempt.is_scored else None


def attempts_for(member) -> list[AttemptSummary]:
    """The member's attempts (withdrawn ones too: they say why), newest first, with scores."""
    attempts = (
        Attempt.objects.filter(member=member)
        .select_related("practice_set")
        .prefetch_related(
            Prefetch("scenarios", queryset=AttemptScenario.objects.order_by("position"))
        )
    )
    return [
        AttemptSummary(
            attempt=a,
            scores=[row.score if a.is_scored else None for row in a.scenarios.all()],
        )
        for a in attempts
    ]


@dataclass(frozen=True)
class ChartPoint:
    x: float
    y: float
    label: str
    average: float


@dataclass(frozen=True)
class ProgressChart:
    """A line of average scores over scored attempts, drawn on the server as SVG."""

    width: int
    height: int
    points: list[ChartPoint]
    grid: list[tuple[int, float]]  # (score, y)

    @property
    def path(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)


CHART_WIDTH, CHART_HEIGHT, CHART_PAD = 640, 240, 40


def progress_chart(summaries: list[AttemptSummary]) -> ProgressChart | None:
    """The chart of the scored attempts, oldest first; None before the first score."""
    scored = [s for s in reversed(summaries) if s.average is not None]
    if not scored:
        return None
    inner_w = CHART_WIDTH - 2 * CHART_PAD
    inner_h = CHART_HEIGHT - 2 * CHART_PAD

    def y_for(score: float) -> float:
        return CHART_PAD + inner_h * (4 - score) / 3

    step = inner_w / max(len(scored) - 1, 1)
    points = [
        ChartPoint(
            x=CHART_PAD + (step * i if len(scored) > 1 else inner_w / 2),
            y=y_for(s.average),
            label=f"{s.attempt.practice_set.title}, {s.attempt.returned_at:%-d %b %Y}",
            average=s.average,
        )
        for i, s in enumerate(scored)
    ]
    return ProgressChart(
        width=CHART_WIDTH,
        height=CHART_HEIGHT,
        points=points,
        grid=[(score, y_for(score)) for score in (1, 2, 3, 4)],
    )


# --- progress per competency --------------------------------------------------------------


@dataclass(frozen=True)
class CompetencyProgress:
    competency: Competency
    shown: int  # scored scenarios whose answer showed it
    average: float | None  # their average score, None where none did
    # The average per scored attempt that showed it, oldest first: the competency over time.
    over_time: tuple[float, ...] = ()


def competency_progress(member) -> list[CompetencyProgress]:
    """Per competency, over the member's scored attempts: how many scored scenarios the coach
    tagged with it and their average score (rounded to 2 places). Every active competency in
    the editors' order, and a retired one only where it was tagged; one query."""
    scored_rows = Q(
        attempt_scenarios__attempt__member=member,
        attempt_scenarios__attempt__status=AttemptStatus.SCORED,
        attempt_scenarios__score__isnull=False,
    )
    competencies = (
        Competency.objects.annotate(
            shown=Count("attempt_scenarios", filter=scored_rows),
            mean_score=Avg("attempt_scenarios__score", filter=scored_rows),
        )
        .filter(Q(active=True) | Q(shown__gt=0))
        .order_by("sort_order", "name")
    )
    over_time = _competency_over_time(member)
    return [
        CompetencyProgress(
            competency=c,
            shown=c.shown,
            average=round(c.mean_score, 2) if c.shown else None,
            over_time=over_time.get(c.pk, ()),
        )
        for c in competencies
    ]


def _competency_over_time(member) -> dict[int, tuple[float, ...]]:
    """Per competency id, the average score of each scored attempt whose scenarios showed it,
    in the order the attempts were returned (one query)."""
    tagged = (
        AttemptScenario.competencies.through.objects.filter(
            attemptscenario__attempt__member=member,
            attemptscenario__attempt__status=AttemptStatus.SCORED,
            attemptscenario__score__isnull=False,
        )
        .values("competency_id", "attemptscenario__attempt_id")
        .annotate(
            mean=Avg("attemptscenario__score"), at=Max("attemptscenario__attempt__returned_at")
        )
        .order_by("at", "attemptscenario__attempt_id")
    )
    series: dict[int, list[float]] = {}
    for row in tagged:
        series.setdefault(row["competency_id"], []).append(round(row["mean"], 1))
    return {pk: tuple(values) for pk, values in series.items()}


@dataclass(frozen=True)
class CompetencyBar:
    label: str
    y: float  # the bar's top
    width: float
    average: float
    shown: int

    @property
    def end(self) -> float:
        return BAR_X + self.width


@dataclass(frozen=True)
class CompetencyChart:
    """Horizontal bars of the average score per competency, drawn on the server as SVG."""

    width: int
    height: int
    bars: list[CompetencyBar]
    ticks: list[tuple[int, float]]  # (score, x)
    bar_x: int
    bar_height: int
    label_x: int
    axis_y: int


BAR_X, BAR_MAX_WIDTH, BAR_ROW, BAR_HEIGHT, BAR_TOP = 170, 400, 30, 18, 28


def competency_chart(progress: list[CompetencyProgress]) -> CompetencyChart | None:
    """A bar per competency that a scored scenario showed (0 to 4 along the axis, in the order
    of `progress`); None while none has."""
    shown = [row for row in progress if row.shown]
    if not shown:
        return None
    bars = [
        CompetencyBar(
            label=row.competency.name,
            y=BAR_TOP + BAR_ROW * i,
            width=round(BAR_MAX_WIDTH * row.average / 4, 1),
            average=row.average,
            shown=row.shown,
        )
        for i, row in enumerate(shown)
    ]
    return CompetencyChart(
        width=CHART_WIDTH,
        height=BAR_TOP + BAR_ROW * len(bars) + 4,
        bars=bars,
        ticks=[(score, BAR_X + BAR_MAX_WIDTH * score / 4) for score in (0, 1, 2, 3, 4)],
        bar_x=BAR_X,
        bar_height=BAR_HEIGHT,
        label_x=BAR_X - 10,
        axis_y=BAR_TOP - 10,
    )
