"""Entitlements, and what they unlock: the school guide, the question bank, members' files.

Entitlements: the right to use one perk (school guide, library, ...) from a start to an end.

A package's perks become entitlements when it is paid for: one row per perk and order line,
keyed by `source` so a replayed or racing fulfilment grants nothing twice. Staff can grant a
row by hand (source empty, a reason recorded). A row is never deleted: a full refund or staff
ends it early, recording when, why and who. A member may use a perk while any active row
covers now; access lasts until the latest end among them.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from wagtail.search import index

from coaching.models import ActiveQuerySet, PerkKind


class EntitlementQuerySet(models.QuerySet):
    def current(self, *, at=None):
        """Rows that give access at `at` (default now): started, not ended, not ended early."""
        at = at or timezone.now()
        return self.filter(starts_at__lte=at, ends_at__gt=at, ended_early_at__isnull=True)

    def not_ended(self, *, at=None):
        """Rows that give access now or will later (a grant that starts in the future)."""
        at = at or timezone.now()
        return self.filter(ends_at__gt=at, ended_early_at__isnull=True)


class Entitlement(models.Model):
    """One member's access to one perk for a period, from an order line or a staff grant."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="entitlements"
    )
    perk = models.CharField(max_length=32, choices=PerkKind.choices)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    # "order-line:<id>:perk:<kind>" for a purchase; empty for a staff grant.
    source = models.CharField(max_length=80, blank=True, default="")
    source_label = models.CharField(max_length=200, blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Staff member who granted it by hand (empty for a purchase).",
    )
    grant_reason = models.CharField(max_length=300, blank=True)
    ended_early_at = models.DateTimeField(null=True, blank=True)
    ended_early_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    end_reason = models.CharField(max_length=300, blank=True)
    # Claimed by a conditional UPDATE so each notice goes out exactly once.
    notice_30d_sent_at = models.DateTimeField(null=True, blank=True)
    notice_7d_sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = EntitlementQuerySet.as_manager()

    class Meta:
        ordering = ["-ends_at", "perk"]
        indexes = [models.Index(fields=["member", "ends_at"], name="members_ent_member_ends")]
        constraints = [
            models.UniqueConstraint(
                fields=["source"], condition=~Q(source=""), name="members_entitlement_source_once"
            ),
            models.CheckConstraint(
                name="members_entitlement_ends_after_start",
                condition=Q(ends_at__gt=models.F("starts_at")),
            ),
        ]
        permissions = [("end_entitlement", "Can end an entitlement early")]

    def __str__(self):
        return f"{self.get_perk_display()} for {self.member} until {self.ends_at:%Y-%m-%d}"

    @property
    def history_label(self) -> str:
        """How history entries name the row (`core.history`): the perk, never the member."""
        return f"Perk {self.get_perk_display()}"

    @property
    def is_manual(self) -> bool:
        return not self.source

    def get_admin_url(self) -> str:
        return reverse("entitlement:inspect", args=[self.pk])


# --- the Canadian MD school guide -----------------------------------------------------------

UNKNOWN = ""  # stored for "not verified yet"; shown as "check with the school", never guessed


class Province(models.TextChoices):
    NL = "NL", "Newfoundland and Labrador"
    NS = "NS", "Nova Scotia"
    NB = "NB", "New Brunswick"
    PE = "PE", "Prince Edward Island"
    QC = "QC", "Quebec"
    ON = "ON", "Ontario"
    MB = "MB", "Manitoba"
    SK = "SK", "Saskatchewan"
    AB = "AB", "Alberta"
    BC = "BC", "British Columbia"


class Language(models.TextChoices):
    ENGLISH = "en", "English"
    FRENCH = "fr", "French"
    BOTH = "en_fr", "English and French streams"


class Route(models.TextChoices):
    OMSAS = "omsas", "OMSAS (Ontario Medical School Application Service)"
    DIRECT = "direct", "Directly to the school"


class YesNo(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"


class InterviewFormat(models.TextChoices):
    MMI = "mmi", "Multiple mini interviews (MMI)"
    PANEL = "panel", "Panel interview"
    BOTH = "both", "MMI and panel"


class School(index.Indexed, models.Model):
    """One Canadian medical school's admission facts, each either verified or left unknown."""

    name = models.CharField(max_length=160, help_text="How applicants know the school.")
    slug = models.SlugField(max_length=80, unique=True)
    university = models.CharField(max_length=160)
    city = models.CharField(max_length=120)
    province = models.CharField(max_length=2, choices=Province.choices)
    language = models.CharField(
        "language of instruction", max_length=8, choices=Language.choices, blank=True
    )
    route = models.CharField("application route", max_length=10, choices=Route.choices, blank=True)
    program_years = models.PositiveSmallIntegerField(
        "MD program length (years)",
        null=True,
        blank=True,
        validators=[MinValueValidator(2), MaxValueValidator(6)],
    )
    admission_year = models.CharField(
        max_length=20,
        blank=True,
        help_text="The admission cycle the CASPer and interview facts are for, e.g. 2026–2027.",
    )
    casper_required = models.CharField(
        "CASPer required", max_length=3, choices=YesNo.choices, blank=True
    )
    interview_format = models.CharField(max_length=8, choices=InterviewFormat.choices, blank=True)
    deadlines = models.TextField(
        max_length=1000, blank=True, help_text="Each deadline with its date and year."
    )
    out_of_province_notes = models.TextField(
        "out-of-province applicants", max_length=1500, blank=True
    )
    international_notes = models.TextField("international applicants", max_length=1500, blank=True)
    website = models.URLField(max_length=300, blank=True)
    last_verified_on = models.DateField(
        null=True, blank=True, help_text="When an editor last checked these facts with the school."
    )
    active = models.BooleanField(default=True)

    objects = ActiveQuerySet.as_manager()

    search_fields = [
        index.SearchField("name", boost=2),
        index.SearchField("university"),
        index.SearchField("city"),
        index.AutocompleteField("name"),
    ]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.province == Province.ON and self.route == Route.DIRECT:
            raise ValidationError({"route": "Ontario schools are applied to through OMSAS."})

    def facts(self) -> list[tuple[str, str]]:
        """(label, shown value) for every fact; "" where it is unknown."""
        return [
            ("University", self.university),
            ("City", self.city),
            ("Province", self.get_province_display()),
            ("Language of instruction", self.get_language_display()),
            ("Application route", self.get_route_display()),
            ("MD program", f"{self.program_years} years" if self.program_years else UNKNOWN),
            ("Admission year", self.admission_year),
            ("CASPer required", self.get_casper_required_display()),
            ("Interview format", self.get_interview_format_display()),
            ("Deadlines", self.deadlines),
            ("Out-of-province applicants", self.out_of_province_notes),
            ("International applicants", self.international_notes),
            (
                "Last verified",
                f"{self.last_verified_on:%-d %B %Y}" if self.last_verified_on else "",
            ),
        ]


class ShortlistEntry(models.Model):
    """A school on one member's shortlist, with their own notes (seen by them and their coach)."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="school_shortlist"
    )
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    notes = models.TextField(max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name_plural = "shortlist entries"
        constraints = [
            models.UniqueConstraint(fields=["member", "school"], name="members_shortlist_once")
        ]

    def __str__(self):
        return f"{self.school} on {self.member}'s shortlist"


# --- the interview question bank ------------------------------------------------------------


class QuestionFormat(models.TextChoices):
    MMI = "mmi", "MMI station"
    PANEL = "panel", "Panel interview"
    MPI = "mpi", "Modified personal interview (MPI)"


class QuestionCategory(models.TextChoices):
    ETHICS = "ethics", "Ethics"
    TEAMWORK = "teamwork", "Teamwork"
    MOTIVATION = "motivation", "Motivation"
    HEALTH_POLICY = "health_policy", "Health policy"
    PERSONAL = "personal", "Personal"


class Question(index.Indexed, models.Model):
    """An interview question or MMI prompt, with a coach's note on what a strong answer covers."""

    text = models.TextField(max_length=1500, help_text="The prompt as the applicant reads it.")
    format = models.CharField(max_length=8, choices=QuestionFormat.choices)
    category = models.CharField(max_length=16, choices=QuestionCategory.choices)
    coach_note = models.TextField(
        max_length=3000, help_text="What a strong answer covers, written by a coach."
    )
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ActiveQuerySet.as_manager()

    search_fields = [index.SearchField("text"), index.FilterField("active")]

    class Meta:
        ordering = ["category", "pk"]

    def __str__(self):
        return Truncator(self.text).chars(80)


class FavouriteQuestion(models.Model):
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="favourite_questions"
    )
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "question"], name="members_favourite_once")
        ]

    def __str__(self):
        return f"{self.member}'s favourite: {self.question}"


# --- members' documents -----------------------------------------------------------------------


class GatedCollection(models.Model):
    """A document collection (and the collections inside it) whose files need a perk.

    Kept as a row rather than a collection name, so renaming the collection in the admin never
    makes its e-books public.
    """

    collection = models.OneToOneField(
        "wagtailcore.Collection", on_delete=models.CASCADE, related_name="members_gate"
    )
    perk = models.CharField(
        max_length=32, choices=PerkKind.choices, default=PerkKind.RESOURCE_LIBRARY
    )

    def __str__(self):
        return f"{self.collection} (needs {self.get_perk_display()})"
