"""Scheduling: coach availability, credits, bookings and their history.

Times are aware datetimes stored in UTC. Weekly hours and date overrides are wall-clock times in
the coach's own zone (so a 09:00 coach stays at 09:00 across DST); time off is a UTC interval.

No double booking: on PostgreSQL an exclusion constraint (added by migration 0002, PostgreSQL
only) forbids two active bookings of one coach whose blocked intervals (session plus buffers)
overlap; on SQLite every write transaction is IMMEDIATE, so the check in `booking.services`
runs with the database write lock held.
"""

from datetime import timedelta

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from booking.errors import BookingStateError
from booking.meetings import meeting_link
from booking.rules import model_field_kwargs
from coaching.models import Coach, Service
from core.ids import new_public_id, new_secret_token
from core.states import TransitionGuardMixin


def new_calendar_token() -> str:
    return new_secret_token()


# --- availability -------------------------------------------------------------------------


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class CoachSchedule(models.Model):
    """A coach's booking rules and calendar-feed secret (one per coach, created on demand)."""

    coach = models.OneToOneField(Coach, on_delete=models.CASCADE, related_name="schedule")
    # Limits, defaults and help texts: `booking.rules.RULES`.
    slot_step_minutes = models.PositiveSmallIntegerField(**model_field_kwargs("slot_step_minutes"))
    buffer_before_minutes = models.PositiveSmallIntegerField(
        **model_field_kwargs("buffer_before_minutes")
    )
    buffer_after_minutes = models.PositiveSmallIntegerField(
        **model_field_kwargs("buffer_after_minutes")
    )
    min_notice_hours = models.PositiveSmallIntegerField(**model_field_kwargs("min_notice_hours"))
    booking_window_days = models.PositiveSmallIntegerField(
        **model_field_kwargs("booking_window_days")
    )
    daily_cap = models.PositiveSmallIntegerField(**model_field_kwargs("daily_cap"))
    calendar_token = models.CharField(max_length=64, unique=True, default=new_calendar_token)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="booking_schedule_step_positive", condition=models.Q(slot_step_minutes__gt=0)
            ),
        ]

    def __str__(self):
        return f"Schedule of {self.coach}"

    @property
    def buffer_before(self) -> timedelta:
        return timedelta(minutes=self.buffer_before_minutes)

    @property
    def buffer_after(self) -> timedelta:
        return timedelta(minutes=self.buffer_after_minutes)


class WeeklyHours(models.Model):
    """One range of working hours on a weekday, wall-clock time in the coach's zone."""

    coach = models.ForeignKey(Coach, on_delete=models.CASCADE, related_name="weekly_hours")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    start_time = models.TimeField()
    end_time = models.TimeField()

    class Meta:
        ordering = ["weekday", "start_time"]
        verbose_name_plural = "weekly hours"
        constraints = [
            models.CheckConstraint(
                name="booking_weekly_hours_order",
                condition=models.Q(end_time__gt=models.F("start_time")),
            ),
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.start_time:%H:%M}–{self.end_time:%H:%M}"


class DateOverride(models.Model):
    """Other hours on one local date. A row without times means "not available that day"."""

    coach = models.ForeignKey(Coach, on_delete=models.CASCADE, related_name="date_overrides")
    date = models.DateField()
    start_time = models.TimeField(null=True, blank=True)
    end_time = models.TimeField(null=True, blank=True)

    class Meta:
        ordering = ["date", "start_time"]
        constraints = [
            models.CheckConstraint(
                name="booking_override_times",
                condition=models.Q(start_time__isnull=True, end_time__isnull=True)
                | models.Q(
                    start_time__isnull=False,
                    end_time__isnull=False,
                    end_time__gt=models.F("start_time"),
                ),
            ),
        ]

    def __str__(self):
        if self.start_time is None:
            return f"{self.date}: unavailable"
        return f"{self.date}: {self.start_time:%H:%M}–{self.end_time:%H:%M}"

    @property
    def is_unavailable(self) -> bool:
        return self.start_time is None


class TimeOff(models.Model):
    """An interval (UTC) when the coach takes no sessions: holidays, conferences."""

    coach = models.ForeignKey(Coach, on_delete=models.CASCADE, related_name="time_off")
    start = models.DateTimeField()
    end = models.DateTimeField()
    reason = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["start"]
        verbose_name_plural = "time off"
        constraints = [
            models.CheckConstraint(
                name="booking_time_off_order", condition=models.Q(end__gt=models.F("start"))
            ),
        ]

    def __str__(self):
        return f"{self.coach}: {self.start:%Y-%m-%d %H:%M} – {self.end:%Y-%m-%d %H:%M} UTC"


# --- credits ------------------------------------------------------------------------------


class CreditQuerySet(models.QuerySet):
    def usable(self, now=None):
        """The one definition of a credit that can pay for a session or a review at `now`
        (default now): not expired, not frozen, not revoked, with a session left."""
        now = now or timezone.now()
        return self.filter(
            expires_at__gt=now, frozen_at__isnull=True, revoked_at__isnull=True, remaining__gt=0
        )


class Credit(models.Model):
    """The right to book `quantity` sessions of one service, granted once per `source`."""

    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="credits"
    )
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="credits")
    quantity = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    remaining = models.PositiveSmallIntegerField()
    expires_at = models.DateTimeField()
    source = models.CharField(
        max_length=120, unique=True, help_text='Where it came from, e.g. "order-line:42".'
    )
    source_label = models.CharField(max_length=200, blank=True)
    frozen_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CreditQuerySet.as_manager()

    class Meta:
        ordering = ["expires_at", "id"]
        constraints = [
            models.CheckConstraint(
                name="booking_credit_remaining_in_range",
                condition=models.Q(remaining__gte=0, remaining__lte=models.F("quantity")),
            ),
        ]

    def __str__(self):
        return f"{self.remaining}/{self.quantity} × {self.service} for {self.applicant}"


# --- bookings -----------------------------------------------------------------------------


class BookingStatus(models.TextChoices):
    HELD = "held", "Held"
    CONFIRMED = "confirmed", "Confirmed"
    COMPLETED = "completed", "Completed"
    NO_SHOW = "no_show", "No-show"
    CANCELLED = "cancelled", "Cancelled"
    EXPIRED = "expired", "Expired"


ACTIVE_STATUSES = (BookingStatus.HELD, BookingStatus.CONFIRMED)

# The only moves a booking may make. Expired → confirmed is allowed: a payment that arrives
# after its hold lapsed still gets its session when the time is free (see booking_confirm_hold).
BOOKING_TRANSITIONS: dict[str, set[str]] = {
    BookingStatus.HELD: {BookingStatus.CONFIRMED, BookingStatus.EXPIRED, BookingStatus.CANCELLED},
    BookingStatus.EXPIRED: {BookingStatus.CONFIRMED},
    BookingStatus.CONFIRMED: {
        BookingStatus.COMPLETED,
        BookingStatus.NO_SHOW,
        BookingStatus.CANCELLED,
    },
    BookingStatus.COMPLETED: set(),
    BookingStatus.NO_SHOW: set(),
    BookingStatus.CANCELLED: set(),
}


class BookingQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status__in=ACTIVE_STATUSES)

    def blocking(self, now=None):
        """Bookings that occupy the coach's time: confirmed, and holds that have not lapsed."""
        now = now or timezone.now()
        return self.filter(
            models.Q(status=BookingStatus.CONFIRMED)
            | models.Q(status=BookingStatus.HELD, hold_expires_at__gt=now)
        )

    def upcoming(self, now=None):
        return self.filter(start__gte=now or timezone.now()).order_by("start")


class Booking(TransitionGuardMixin, models.Model):
    """One session of a service between an applicant and a coach, at a time stored in UTC."""

    TRANSITIONS = BOOKING_TRANSITIONS
    state_error = BookingStateError
    state_noun = "booking"

    public_id = models.CharField(max_length=22, unique=True, default=new_public_id, editable=False)
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="bookings"
    )
    coach = models.ForeignKey(Coach, on_delete=models.PROTECT, related_name="bookings")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="bookings")
    start = models.DateTimeField()
    end = models.DateTimeField()
    blocked_start = models.DateTimeField(help_text="Start minus the coach's buffer before.")
    blocked_end = models.DateTimeField(help_text="End plus the coach's buffer after.")
    status = models.CharField(
        max_length=12, choices=BookingStatus.choices, default=BookingStatus.HELD
    )
    hold_expires_at = models.DateTimeField(null=True, blank=True)
    credit = models.ForeignKey(
        Credit, null=True, blank=True, on_delete=models.PROTECT, related_name="bookings"
    )
    applicant_notes = models.TextField(blank=True, max_length=2000)
    sequence = models.PositiveIntegerField(default=0, help_text="iCalendar SEQUENCE.")
    meeting_room = models.CharField(
        max_length=40,
        blank=True,
        editable=False,
        help_text="This session's own video room (made when it is confirmed, kept when moved).",
    )
    reminder_24h_sent_at = models.DateTimeField(null=True, blank=True)
    reminder_1h_sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = BookingQuerySet.as_manager()

    class Meta:
        ordering = ["start"]
        indexes = [
            models.Index(fields=["coach", "blocked_start"], name="booking_coach_blocked_idx"),
            models.Index(fields=["status", "start"], name="booking_status_start_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                name="booking_end_after_start", condition=models.Q(end__gt=models.F("start"))
            ),
            models.UniqueConstraint(
                fields=["meeting_room"],
                condition=~models.Q(meeting_room=""),
                name="booking_meeting_room_unique",
            ),
            models.CheckConstraint(
                name="booking_blocked_covers_session",
                condition=models.Q(
                    blocked_start__lte=models.F("start"), blocked_end__gte=models.F("end")
                ),
            ),
        ]

    def __str__(self):
        return (
            f"{self.service} with {self.coach} at {self.start:%Y-%m-%d %H:%M} UTC ({self.status})"
        )

    def get_absolute_url(self) -> str:
        return reverse("booking:detail", kwargs={"public_id": self.public_id})

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def meeting_url(self) -> str:
        """The link applicant and coach join (see `booking.meetings`); empty until confirmed."""
        return meeting_link(own_link=self.coach.meeting_url, room=self.meeting_room)

    @property
    def uid(self) -> str:
        """The iCalendar UID: the same across reschedules and the cancellation."""
        return f"booking-{self.public_id}@medpath"
