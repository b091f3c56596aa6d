"""Webinars: live group sessions hosted by coaches, with seats, a waitlist and a recording.

A `Webinar` has a capacity; a `WebinarRegistration` is one person's seat or waitlist place.
`seats_taken` is kept equal to the number of registered rows by the services, always while the
webinar row is locked, and a CHECK constraint makes the database refuse more than `capacity`
even if some code path forgot the lock. One person holds at most one live (registered or
waitlisted) registration per webinar (a conditional unique constraint). Rows are never deleted:
a cancellation keeps who, when and why.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from core.files import private_storage
from core.ids import new_public_id
from core.states import TransitionGuardMixin
from webinars.errors import WebinarError

# The join link shows this long before the start (server time).
JOIN_OPENS_BEFORE = timedelta(minutes=15)
MAX_CAPACITY = 1000


class WebinarAudience(models.TextChoices):
    MEMBERS = "members", "Members with the webinars perk"
    FREE = "free", "Free introductory: anyone with a verified account"


class WebinarStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    CANCELLED = "cancelled", "Cancelled"


class WebinarQuerySet(models.QuerySet):
    def scheduled(self):
        return self.filter(status=WebinarStatus.SCHEDULED)

    def upcoming(self, *, now: datetime):
        """Not yet ended (a webinar under way is still "upcoming" for its attendees)."""
        return self.scheduled().filter(end__gt=now).order_by("start", "pk")

    def past(self, *, now: datetime):
        return self.scheduled().filter(end__lte=now).order_by("-start", "-pk")

    def hosted_by(self, coach):
        return self.filter(Q(host=coach) | Q(co_hosts=coach)).distinct()


def recording_path(instance, filename: str) -> str:
    # The stored name never comes from the uploader: only the extension is kept.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"webinars/{instance.public_id}/recording-{new_public_id()}.{extension}"


class Webinar(TransitionGuardMixin, models.Model):
    """A live group session: when, who hosts, how many seats, who may register."""

    TRANSITIONS = {
        WebinarStatus.SCHEDULED: {WebinarStatus.CANCELLED},
        WebinarStatus.CANCELLED: set(),
    }
    state_error = WebinarError
    state_noun = "webinar"

    public_id = models.CharField(max_length=22, unique=True, default=new_public_id, editable=False)
    title = models.CharField(max_length=200)
    description = models.TextField(max_length=5000, blank=True)
    host = models.ForeignKey(
        "coaching.Coach", on_delete=models.PROTECT, related_name="hosted_webinars"
    )
    co_hosts = models.ManyToManyField(
        "coaching.Coach", blank=True, related_name="co_hosted_webinars"
    )
    start = models.DateTimeField(help_text="Stored in UTC.")
    end = models.DateTimeField(help_text="Stored in UTC.")
    capacity = models.PositiveIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(MAX_CAPACITY)],
        help_text=f"Seats, 1 to {MAX_CAPACITY}. Others may join the waitlist.",
    )
    seats_taken = models.PositiveIntegerField(default=0, editable=False)
    audience = models.CharField(
        max_length=16, choices=WebinarAudience.choices, default=WebinarAudience.MEMBERS
    )
    join_url = models.URLField(
        max_length=500,
        blank=True,
        help_text="The video-call link; registered attendees see it from 15 minutes before.",
    )
    status = models.CharField(
        max_length=16, choices=WebinarStatus.choices, default=WebinarStatus.SCHEDULED
    )
    cancel_reason = models.CharField(max_length=300, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    sequence = models.PositiveIntegerField(default=0, help_text="iCalendar SEQUENCE.")
    recording_file = models.FileField(
        storage=private_storage, upload_to=recording_path, max_length=200, blank=True
    )
    recording_url = models.URLField(
        max_length=500, blank=True, help_text="Or a link to the recording on another host."
    )
    recording_added_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = WebinarQuerySet.as_manager()

    class Meta:
        db_table = "members_webinar"  # the table from before webinars left members
        ordering = ["start", "pk"]
        indexes = [models.Index(fields=["status", "end"], name="members_webinar_status_end")]
        constraints = [
            models.CheckConstraint(
                name="members_webinar_ends_after_start", condition=Q(end__gt=F("start"))
            ),
            models.CheckConstraint(
                name="members_webinar_capacity_range",
                condition=Q(capacity__gte=1, capacity__lte=MAX_CAPACITY),
            ),
            # The last word on seats: never more registered than capacity.
            models.CheckConstraint(
                name="members_webinar_seats_within_capacity",
                condition=Q(seats_taken__lte=F("capacity")),
            ),
        ]
        permissions = [("export_webinar_attendees", "Can export a webinar's attendees")]

    def __str__(self):
        return f"{self.title} ({self.start:%Y-%m-%d %H:%M} UTC)"

    def get_absolute_url(self) -> str:
        return reverse("webinars:detail", kwargs={"public_id": self.public_id})

    @property
    def uid(self) -> str:
        """The iCalendar UID of the webinar itself (hosts' feeds)."""
        return f"webinar-{self.public_id}@medpath"

    @property
    def is_cancelled(self) -> bool:
        return self.status == WebinarStatus.CANCELLED

    @property
    def is_free(self) -> bool:
        return self.audience == WebinarAudience.FREE

    @property
    def seats_left(self) -> int:
        return max(self.capacity - self.seats_taken, 0)

    @property
    def has_recording(self) -> bool:
        return bool(self.recording_file or self.recording_url)

    def join_opens_at(self) -> datetime:
        return self.start - JOIN_OPENS_BEFORE

    def has_started(self, *, now: datetime | None = None) -> bool:
        return (now or timezone.now()) >= self.start

    def has_ended(self, *, now: datetime | None = None) -> bool:
        return (now or timezone.now()) >= self.end

    def host_ids(self) -> set[int]:
        """The coach ids of the host and co-hosts (uses prefetched co-hosts when there)."""
        return {self.host_id, *(coach.pk for coach in self.co_hosts.all())}


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", "Registered"
    WAITLISTED = "waitlisted", "On the waitlist"
    CANCELLED = "cancelled", "Cancelled"


LIVE_STATUSES = (RegistrationStatus.REGISTERED, RegistrationStatus.WAITLISTED)


class WebinarRegistrationQuerySet(models.QuerySet):
    def live(self):
        return self.filter(status__in=LIVE_STATUSES)

    def registered(self):
        return self.filter(status=RegistrationStatus.REGISTERED)

    def waitlisted(self):
        """The waitlist in order: first come, first served."""
        return self.filter(status=RegistrationStatus.WAITLISTED).order_by("waitlisted_at", "pk")


class WebinarRegistration(TransitionGuardMixin, models.Model):
    """One person's seat (or waitlist place) at one webinar."""

    TRANSITIONS = {
        RegistrationStatus.WAITLISTED: {
            RegistrationStatus.REGISTERED,
            RegistrationStatus.CANCELLED,
        },
        RegistrationStatus.REGISTERED: {RegistrationStatus.CANCELLED},
        RegistrationStatus.CANCELLED: set(),
    }
    state_error = WebinarError
    state_noun = "registration"

    public_id = models.CharField(max_length=22, unique=True, default=new_public_id, editable=False)
    webinar = models.ForeignKey(Webinar, on_delete=models.PROTECT, related_name="registrations")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="webinar_registrations"
    )
    status = models.CharField(max_length=16, choices=RegistrationStatus.choices)
    # The perk row it was made under (members' webinars); a full refund of the order behind it
    # cancels the registration. Empty for a free webinar.
    entitlement = models.ForeignKey(
        "members.Entitlement",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="webinar_registrations",
    )
    waitlisted_at = models.DateTimeField(null=True, blank=True)
    registered_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(max_length=300, blank=True)
    attended = models.BooleanField(null=True, blank=True, help_text="Marked by a host afterwards.")
    # Raised with each change to this registration's invite (a cancellation); the invite's
    # SEQUENCE is the webinar's plus this, so it only ever grows.
    sequence = models.PositiveIntegerField(default=0)
    reminder_24h_sent_at = models.DateTimeField(null=True, blank=True)
    reminder_1h_sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = WebinarRegistrationQuerySet.as_manager()

    class Meta:
        db_table = "members_webinarregistration"  # the table from before webinars left members
        ordering = ["webinar", "status", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["webinar", "member"],
                condition=Q(status__in=["registered", "waitlisted"]),
                name="members_webinar_one_live_registration",
            ),
            models.CheckConstraint(
                name="members_webinar_registration_status_valid",
                condition=Q(status__in=["registered", "waitlisted", "cancelled"]),
            ),
        ]
        indexes = [
            models.Index(fields=["member", "status"], name="members_webreg_member_status"),
            models.Index(fields=["webinar", "status"], name="members_webreg_webinar_status"),
        ]

    def __str__(self):
        return f"{self.member} at {self.webinar.title}: {self.get_status_display()}"

    @property
    def uid(self) -> str:
        """The iCalendar UID of this person's invite: stable for the registration's life."""
        return f"webinar-registration-{self.public_id}@medpath"

    @property
    def invite_sequence(self) -> int:
        return self.webinar.sequence + self.sequence
