"""Timed practice: sets editors build, attempts members take, scores coaches give.

A `PracticeSet` is either a CASPer-style set (its own `Scenario` rows: a text or video prompt,
three questions, a time limit) or a circuit of MMI stations drawn from the members' question
bank when an attempt starts. Each attempt copies what it shows into `AttemptScenario` rows
(prompt, questions, times), so editing a set never rewrites an attempt already taken.

The server is the clock: a scenario's `reading_ends_at` and `deadline` are written once, when
it opens (a conditional UPDATE, so a second tab cannot open it again), and never changed.
Answers carry a version; a save names the version it replaces, so a stale tab cannot
overwrite newer text.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from itertools import islice

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.documents import get_document_model_string
from wagtail.models import Orderable

from coaching.models import ActiveQuerySet
from core.files import private_storage
from core.ids import new_public_id
from core.states import TransitionGuardMixin
from core.workdays import due_at
from practice.errors import AttemptStateError

DEFAULT_ANSWER_SECONDS = 5 * 60
DEFAULT_MMI_READING_SECONDS = 2 * 60
DEFAULT_MMI_ANSWER_SECONDS = 8 * 60
MAX_SECONDS = 60 * 60
MAX_ANSWER_CHARS = 5000
MAX_GUIDANCE_CHARS = 3000
QUESTIONS_PER_SCENARIO = 3


def min_seconds() -> int:
    return settings.PRACTICE_MIN_SECONDS


def validate_seconds(value: int) -> None:
    if value is not None and not (min_seconds() <= value <= MAX_SECONDS):
        raise ValidationError(
            f"Choose between {min_seconds()} seconds and {MAX_SECONDS // 60} minutes."
        )


def optional_seconds(help_text: str) -> models.PositiveSmallIntegerField:
    """A time in seconds editors may leave at 0 (none), at most an hour."""
    return models.PositiveSmallIntegerField(
        default=0, validators=[MaxValueValidator(MAX_SECONDS)], help_text=help_text
    )


class SetKind(models.TextChoices):
    CASPER = "casper", "CASPer-style test"
    MMI = "mmi", "MMI stations from the question bank"


class ResponseKind(models.TextChoices):
    TYPED = "typed", "Typed answers"
    VIDEO = "video", "Recorded on camera"


# --- competencies: what a scenario's answer can show ----------------------------------------


class Competency(models.Model):
    """An aspect of social intelligence and professionalism an answer can show (empathy,
    ethics, ...): editable data in Admin → Practice competencies, not a constant. Coaches tag
    each scored scenario with the active ones its answer showed."""

    name = models.CharField(max_length=60)
    description = models.CharField(
        max_length=300, blank=True, help_text="One sentence: what this looks like in an answer."
    )
    sort_order = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(
        default=True,
        help_text="Offered to coaches when they score. Untick it rather than delete it: "
        "deleting a competency also removes it from scores already given.",
    )

    objects = ActiveQuerySet.as_manager()

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name_plural = "competencies"
        constraints = [models.UniqueConstraint(Lower("name"), name="practice_competency_name_once")]

    def __str__(self):
        return self.name


# --- formats: the test's shape as data ----------------------------------------------------


class PracticeFormat(ClusterableModel):
    """The shape of a test as an admission cycle runs it: its sections in order, how many
    scenarios each holds, how questions are shown and timed, and the breaks. A set follows one
    format, so next cycle's change is a new format editors add, not a release."""

    name = models.CharField(max_length=120)
    cycle = models.CharField(
        max_length=20, help_text="The admission cycle it describes, e.g. 2026–2027."
    )
    current = models.BooleanField(
        default=False,
        help_text="Applicants sit this format (or, for a drill, this timing) now. Sets in a "
        "format that is not current are labelled as an older format.",
    )
    source = models.URLField(blank=True, help_text="Where the format is published.")
    description = models.TextField(max_length=1000, blank=True)

    class Meta:
        ordering = ["-current", "-cycle", "name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "cycle"], name="practice_format_once_a_cycle")
        ]

    def __str__(self):
        return f"{self.name} ({self.cycle})"

    @property
    def scenario_count(self) -> int:
        return sum(section.scenario_count for section in self.sections.all())

    @property
    def answer_seconds(self) -> int:
        """Answering time in all, breaks and reading time left out."""
        return sum(section.total_seconds for section in self.sections.all())

    def pour(self, scenarios) -> list[tuple[FormatSection, Scenario]]:
        """A set's scenarios in this format's sections, in order, each beside the section that
        shows and times it; fewer scenarios than the format holds make a drill of the first."""
        remaining = iter(scenarios)
        return [
            (section, scenario)
            for section in self.sections.all()
            for scenario in islice(remaining, section.scenario_count)
        ]


class FormatSection(Orderable):
    """One section of a format: `scenario_count` scenarios answered the same way, then an
    optional break the applicant may skip."""

    format = ParentalKey(PracticeFormat, on_delete=models.CASCADE, related_name="sections")
    title = models.CharField(max_length=80, help_text="e.g. Video responses.")
    response = models.CharField(
        max_length=8, choices=ResponseKind.choices, default=ResponseKind.TYPED
    )
    scenario_count = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    questions_per_scenario = models.PositiveSmallIntegerField(
        default=2, validators=[MinValueValidator(1), MaxValueValidator(QUESTIONS_PER_SCENARIO)]
    )
    one_at_a_time = models.BooleanField(
        default=False,
        help_text="Questions shown one at a time, each with its own time (the next opens by "
        "itself when it ends); otherwise shown together with one time for all.",
    )
    seconds = models.PositiveSmallIntegerField(
        validators=[validate_seconds],
        help_text="Seconds per question when shown one at a time, else per scenario "
        "(210 = 3.5 minutes).",
    )
    break_seconds_after = optional_seconds(
        "An optional break after this section, in seconds (0 = none)."
    )

    def __str__(self):
        return self.title

    @property
    def seconds_per_scenario(self) -> int:
        return self.seconds * (self.questions_per_scenario if self.one_at_a_time else 1)

    @property
    def total_seconds(self) -> int:
        return self.seconds_per_scenario * self.scenario_count


class PracticeSet(ClusterableModel):
    """A practice test as editors build it; its service decides which coaches may score it."""

    title = models.CharField(max_length=120)
    slug = models.SlugField(max_length=80, unique=True)
    kind = models.CharField(max_length=8, choices=SetKind.choices, default=SetKind.CASPER)
    service = models.ForeignKey(
        "coaching.Service",
        on_delete=models.PROTECT,
        related_name="practice_sets",
        help_text="Coaches who deliver this service score attempts at this set.",
    )
    introduction = models.TextField(
        max_length=2000, blank=True, help_text="Shown before the applicant starts."
    )
    format = models.ForeignKey(
        PracticeFormat,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="practice_sets",
        help_text="CASPer-style sets: the format it follows. Its scenarios fill the format's "
        "sections in order (fewer scenarios make a drill of the first ones). Empty: the older "
        "format (three questions, one time per scenario, the break below).",
    )
    break_after = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="Offer a break after this scenario (1 = after the first). Empty: no break.",
    )
    break_seconds = models.PositiveSmallIntegerField(
        default=5 * 60,
        validators=[MaxValueValidator(MAX_SECONDS)],
        help_text="The longest the break lasts; the applicant may continue sooner.",
    )
    # MMI sets only: how many stations an attempt draws and how long each phase lasts.
    station_count = models.PositiveSmallIntegerField(
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text="MMI sets: how many stations to draw from the question bank.",
    )
    station_reading_seconds = models.PositiveSmallIntegerField(
        default=DEFAULT_MMI_READING_SECONDS,
        validators=[validate_seconds],
        help_text="MMI sets: reading time per station, in seconds.",
    )
    station_answer_seconds = models.PositiveSmallIntegerField(
        default=DEFAULT_MMI_ANSWER_SECONDS,
        validators=[validate_seconds],
        help_text="MMI sets: answer time per station, in seconds.",
    )
    station_response = models.CharField(
        max_length=8,
        choices=ResponseKind.choices,
        default=ResponseKind.TYPED,
        help_text="MMI sets: answer each station with typed notes (and an optional spoken "
        "recording), or on camera for the whole answer time.",
    )
    active = models.BooleanField(default=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    objects = ActiveQuerySet.as_manager()

    class Meta:
        ordering = ["sort_order", "title"]

    def __str__(self):
        return self.title

    @property
    def is_mmi(self) -> bool:
        return self.kind == SetKind.MMI

    @property
    def format_label(self) -> str:
        """What the set rehearses, as applicants read it on the practice page."""
        if self.is_mmi:
            return "MMI stations"
        if self.format is None:
            return "Older format: three typed questions per scenario"
        label = f"{self.format.name}, {self.format.cycle}"
        return label if self.format.current else f"Older format: {label}"

    @property
    def is_current_format(self) -> bool:
        return self.format is not None and self.format.current

    def get_absolute_url(self) -> str:
        return reverse("practice:index") + f"#set-{self.slug}"


class Scenario(Orderable):
    """One CASPer-style scenario: a short text or video prompt and three questions."""

    practice_set = ParentalKey(PracticeSet, on_delete=models.CASCADE, related_name="scenarios")
    title = models.CharField(max_length=120)
    prompt = models.TextField(
        max_length=3000, blank=True, help_text="The situation, as the applicant reads it."
    )
    video = models.ForeignKey(
        get_document_model_string(),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Or a short video (mp4/webm document, kept in the private storage).",
    )
    question_1 = models.CharField(max_length=500)
    question_2 = models.CharField(max_length=500)
    question_3 = models.CharField(
        max_length=500, blank=True, help_text="Formats with two questions per scenario skip it."
    )
    time_limit_seconds = models.PositiveSmallIntegerField(
        default=DEFAULT_ANSWER_SECONDS,
        validators=[validate_seconds],
        help_text="Time for all three answers, in seconds (300 = 5 minutes).",
    )
    reading_seconds = optional_seconds(
        "Optional time to read or watch the prompt before answering (0 = none)."
    )
    guidance = models.TextField(
        max_length=MAX_GUIDANCE_CHARS,
        blank=True,
        help_text="What strong answers do. Shown to the applicant only after they submit the "
        "attempt, beside their own answers (and to the coach who scores it).",
    )
    transcript = models.TextField(
        max_length=5000,
        blank=True,
        help_text="With a video prompt: what is said and shown, for applicants who cannot hear "
        "or see it (offered beside the video).",
    )

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if not self.prompt.strip() and not self.video_id:
            raise ValidationError({"prompt": "Write a prompt or choose a video."})

    @property
    def questions(self) -> list[str]:
        return [q for q in (self.question_1, self.question_2, self.question_3) if q.strip()]


# --- attempts ---------------------------------------------------------------------------------


class AttemptStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", "In progress"
    SUBMITTED = "submitted", "Awaiting a coach"
    CLAIMED = "claimed", "Being scored"
    SCORED = "scored", "Scored"
    WITHDRAWN = "withdrawn", "Withdrawn"


# Statuses that hold the set's one place "awaiting a score" (fair use).
OPEN_STATUSES = (AttemptStatus.IN_PROGRESS, AttemptStatus.SUBMITTED, AttemptStatus.CLAIMED)


class Attempt(TransitionGuardMixin, models.Model):
    """One member's run through a set, from the first scenario to the coach's scores."""

    TRANSITIONS = {
        AttemptStatus.IN_PROGRESS: {AttemptStatus.SUBMITTED, AttemptStatus.WITHDRAWN},
        AttemptStatus.SUBMITTED: {AttemptStatus.CLAIMED, AttemptStatus.WITHDRAWN},
        AttemptStatus.CLAIMED: {
            AttemptStatus.SUBMITTED,
            AttemptStatus.SCORED,
            AttemptStatus.WITHDRAWN,
        },
        AttemptStatus.SCORED: set(),
        AttemptStatus.WITHDRAWN: set(),
    }
    state_error = AttemptStateError
    state_noun = "attempt"

    public_id = models.CharField(max_length=22, unique=True, default=new_public_id, editable=False)
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="practice_attempts"
    )
    practice_set = models.ForeignKey(PracticeSet, on_delete=models.PROTECT, related_name="attempts")
    status = models.CharField(
        max_length=12, choices=AttemptStatus.choices, default=AttemptStatus.IN_PROGRESS
    )
    started_at = models.DateTimeField()
    # Set while a break is running: the next scenario opens by itself at this time.
    break_until = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.ForeignKey(
        "coaching.Coach",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="practice_attempts",
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    returned_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdraw_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "submitted_at"], name="practice_attempt_queue"),
            models.Index(fields=["member", "started_at"], name="practice_attempt_member"),
        ]
        constraints = [
            # Fair use, with the database as the last word: one open attempt per member and set.
            models.UniqueConstraint(
                fields=["member", "practice_set"],
                condition=Q(status__in=["in_progress", "submitted", "claimed"]),
                name="practice_one_open_attempt_per_set",
            ),
            models.CheckConstraint(
                name="practice_claimed_has_coach",
                condition=~Q(status="claimed") | Q(claimed_by__isnull=False),
            ),
        ]

    def __str__(self):
        return f"{self.practice_set} by {self.member} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("practice:attempt", kwargs={"public_id": self.public_id})

    def get_coach_url(self) -> str:
        return reverse("practice:coach_attempt", kwargs={"public_id": self.public_id})

    # --- as an item of the coach's work queue (`coaching.work_queue.WorkItem`) ---
    work_kind = "practice"

    @property
    def work_service_id(self) -> int:
        return self.practice_set.service_id

    @property
    def work_owner_id(self) -> int:
        return self.member_id

    @property
    def work_owner(self):
        return self.member

    @property
    def work_title(self) -> str:
        return self.practice_set.title

    @property
    def work_due_at(self) -> datetime | None:
        """Scores are due `PRACTICE_SCORING_DAYS` working days after submission."""
        if self.submitted_at is None:
            return None
        return due_at(self.submitted_at, settings.PRACTICE_SCORING_DAYS)

    def is_claimed_by(self, coach) -> bool:
        return self.status == AttemptStatus.CLAIMED and self.claimed_by_id == coach.pk

    def get_work_url(self) -> str:
        return self.get_coach_url()

    @property
    def work_size(self) -> str:
        """How much there is to watch, for the queue (the queue selectors annotate it)."""
        takes = getattr(self, "takes", 0)
        if not takes:
            return ""
        seconds = getattr(self, "video_seconds", None)
        if seconds:
            minutes = max(1, round(seconds / 60))
            return f"{minutes} min of recorded answers"
        return f"{takes} recorded answer{'s' if takes != 1 else ''}"

    @property
    def is_scored(self) -> bool:
        return self.status == AttemptStatus.SCORED


class CloseReason(models.TextChoices):
    SUBMITTED = "submitted", "Submitted by the applicant"
    EXPIRED = "expired", "Time ran out"


class AttemptScenario(models.Model):
    """One scenario or station as this attempt shows it, with its stored clock and score."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="scenarios")
    position = models.PositiveSmallIntegerField()  # 1, 2, 3, ...
    scenario = models.ForeignKey(
        Scenario, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    question = models.ForeignKey(
        "members.Question", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(max_length=120)
    prompt = models.TextField(max_length=3000, blank=True)
    # What strong answers do, copied from the scenario; shown only once the attempt is submitted.
    guidance = models.TextField(max_length=MAX_GUIDANCE_CHARS, blank=True)
    transcript = models.TextField(max_length=5000, blank=True)
    video = models.ForeignKey(
        get_document_model_string(),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The labels of the answer boxes: a CASPer scenario's questions, an MMI station's notes.
    questions = models.JSONField(default=list)
    section = models.CharField(max_length=80, blank=True)
    response = models.CharField(
        max_length=8, choices=ResponseKind.choices, default=ResponseKind.TYPED
    )
    reading_seconds = models.PositiveSmallIntegerField(default=0)
    # All questions together; with `question_seconds` each question has its own window of that
    # length, one after another (answer_seconds is then their sum).
    answer_seconds = models.PositiveSmallIntegerField()
    question_seconds = models.PositiveSmallIntegerField(default=0)
    # The optional break that follows this scenario (0 = none), copied from the format.
    break_seconds_after = models.PositiveIntegerField(default=0)
    opened_at = models.DateTimeField(null=True, blank=True)
    reading_ends_at = models.DateTimeField(null=True, blank=True)
    deadline = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    close_reason = models.CharField(max_length=10, choices=CloseReason.choices, blank=True)
    score = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    comment = models.TextField(max_length=3000, blank=True)
    # The competencies the coach saw in the answer (active ones when they scored).
    competencies = models.ManyToManyField(Competency, blank=True, related_name="attempt_scenarios")
    # The applicant's own 1–4 rating, given after submitting.
    self_rating = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )

    class Meta:
        ordering = ["attempt", "position"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "position"], name="practice_position_once"),
            models.CheckConstraint(
                name="practice_score_1_to_4",
                condition=Q(score__isnull=True) | Q(score__gte=1, score__lte=4),
            ),
            models.CheckConstraint(
                name="practice_self_rating_1_to_4",
                condition=Q(self_rating__isnull=True) | Q(self_rating__gte=1, self_rating__lte=4),
            ),
        ]

    def __str__(self):
        return f"{self.position}. {self.title}"

    def grace_ends_at(self):
        return self.deadline + timedelta(seconds=settings.PRACTICE_GRACE_SECONDS)

    @property
    def is_video(self) -> bool:
        return self.response == ResponseKind.VIDEO

    @property
    def one_at_a_time(self) -> bool:
        return self.question_seconds > 0

    def question_window(self, index: int) -> tuple[datetime, datetime]:
        """When question `index` (0-based) is open: its own window when questions come one at a
        time, else the whole answering time. Only for an opened scenario."""
        if not self.one_at_a_time:
            return self.reading_ends_at, self.deadline
        start = self.reading_ends_at + timedelta(seconds=self.question_seconds * index)
        return start, start + timedelta(seconds=self.question_seconds)

    @property
    def video_answers(self) -> list[tuple[str, Recording | None]]:
        """Each question with the take kept for it (None where nothing was recorded)."""
        takes = {take.index: take for take in self.recordings.all()}
        return [(label, takes.get(index)) for index, label in enumerate(self.questions)]

    def question_at(self, moment: datetime) -> int:
        """The question open at `moment` (0-based; the last one after the deadline)."""
        if not self.one_at_a_time or moment <= self.reading_ends_at:
            return 0
        passed = int((moment - self.reading_ends_at).total_seconds() // self.question_seconds)
        return min(passed, len(self.questions) - 1)


def one_per_question(name: str) -> models.UniqueConstraint:
    """At most one row per question of a scenario (typed answers, recordings)."""
    return models.UniqueConstraint(fields=["attempt_scenario", "index"], name=name)


class Answer(models.Model):
    """What the applicant typed for one question; `version` counts the saves."""

    attempt_scenario = models.ForeignKey(
        AttemptScenario, on_delete=models.CASCADE, related_name="answers"
    )
    index = models.PositiveSmallIntegerField()  # 0, 1, 2: which question
    text = models.TextField(max_length=MAX_ANSWER_CHARS, blank=True)
    version = models.PositiveIntegerField(default=0)
    saved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["attempt_scenario", "index"]
        constraints = [one_per_question("practice_answer_once")]

    def __str__(self):
        return f"Answer {self.index + 1} to {self.attempt_scenario}"

    @property
    def word_count(self) -> int:
        return len(self.text.split())


def take_path(instance, filename: str) -> str:
    """Where a take's file goes: each concrete `TakeFile` (`Recording`, `RecordingPart`) names
    its own path in `storage_name()`."""
    return instance.storage_name()


def recording_path(instance, filename: str) -> str:
    """The upload path migration 0001 names; the same as `take_path`."""
    return take_path(instance, filename)


class TakeFile(models.Model):
    """What a recorded answer and a part of one share: the question it answers (`index`), the
    take the browser named (empty for a recording sent whole), the file in the private storage
    and its size. Each concrete model says where its file goes (`storage_name`)."""

    attempt_scenario = models.ForeignKey(
        AttemptScenario, on_delete=models.CASCADE, related_name="%(class)ss"
    )
    index = models.PositiveSmallIntegerField(default=0)
    take = models.CharField(max_length=22, blank=True)
    file = models.FileField(upload_to=take_path, storage=private_storage, max_length=200)
    size = models.PositiveIntegerField()

    class Meta:
        abstract = True


class Recording(TakeFile):
    """A spoken answer recorded in the browser, in the private storage: to an MMI station
    (audio, `index` 0) or to one question of a video-response scenario (`index` 0, 1, ...)."""

    content_type = models.CharField(max_length=40)
    uploaded_at = models.DateTimeField()
    # Set when the attempt is scored or withdrawn; the retention job deletes the file after it.
    delete_after = models.DateTimeField(null=True, blank=True)
    # Browsers' recordings state no duration, so players cannot seek them until a background
    # job remuxes them (`recording_make_seekable`); then these are set.
    seekable = models.BooleanField(default=False)
    duration_seconds = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["attempt_scenario", "index"]
        constraints = [one_per_question("practice_recording_once")]

    def __str__(self):
        return f"Recording {self.index + 1} for {self.attempt_scenario}"

    def storage_name(self) -> str:
        return f"practice/recordings/{self.attempt_scenario.attempt.public_id}/{new_public_id()}"

    @property
    def is_video(self) -> bool:
        return self.content_type.startswith("video/")

    @property
    def extension(self) -> str:
        return {
            "audio/webm": "webm",
            "audio/ogg": "ogg",
            "audio/mp4": "m4a",
            "video/webm": "webm",
            "video/ogg": "ogv",
            "video/mp4": "mp4",
        }.get(self.content_type, "bin")


class RecordingPart(TakeFile):
    """One part of a take still arriving from the browser (MediaRecorder's chunks, sent as
    they are recorded). Parts are keyed by the take the browser names, so a part sent twice is
    stored once; when the last arrives they become one `Recording` and are deleted."""

    number = models.PositiveIntegerField()
    received_at = models.DateTimeField()

    class Meta:
        ordering = ["attempt_scenario", "index", "take", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["attempt_scenario", "index", "take", "number"],
                name="practice_recording_part_once",
            )
        ]

    def __str__(self):
        return f"Part {self.number} of take {self.take}"

    def storage_name(self) -> str:
        row = self.attempt_scenario
        return (
            f"practice/parts/{row.attempt.public_id}/{row.position}-{self.index}/"
            f"{self.take}/{self.number}"
        )
