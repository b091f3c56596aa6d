"""The catalogue: what MedPath sells (services, packages) and who delivers it (coaches).

Prices and contents live only here, on the server. Orders snapshot names and prices when they
are placed, so editing or deactivating anything below never rewrites history; foreign keys
into the catalogue use PROTECT, never CASCADE.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, IntegerField, Prefetch, Q, Value, When
from django.urls import reverse
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.fields import RichTextField
from wagtail.images import get_image_model
from wagtail.models import Orderable, PreviewableMixin
from wagtail.search import index

from core.money import DEFAULT_CURRENCY, cents_to_dollars
from core.timezones import validate_time_zone

NAME_TITLES = {"dr", "prof", "mr", "mrs", "ms", "mx"}

MIN_SESSION_MINUTES = 15
MAX_SESSION_MINUTES = 480
SESSION_MINUTES_STEP = 5

# A coach's queue: how many review/practice items they may hold open at once.
DEFAULT_MAX_OPEN_ITEMS = 5
MAX_OPEN_ITEMS_LIMIT = 50

# One rendition size for coach photos everywhere, so a generated rendition is reused.
COACH_PHOTO_FILTER = "fill-320x320"

# Testimonials are a brief aside, not a wall of quotes.
TESTIMONIALS_SHOWN = 3


class ActiveQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)


class ServiceKind(models.TextChoices):
    LIVE = "live", "Live session"
    REVIEW = "review", "Document review"


class Service(index.Indexed, models.Model):
    """A session type (a live video call of fixed length) or a document review."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=80, unique=True)
    kind = models.CharField(max_length=10, choices=ServiceKind.choices, default=ServiceKind.LIVE)
    duration_minutes = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Live sessions only: 15 to 480 minutes, in steps of 5.",
    )
    turnaround_days = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Document reviews only: working days until feedback."
    )
    short_description = models.CharField(max_length=240)
    description = RichTextField(blank=True, features=["bold", "italic", "link", "ul", "ol"])
    cancellation_notice_hours = models.PositiveSmallIntegerField(
        default=24,
        help_text="Applicants may cancel or reschedule until this many hours before the start.",
    )
    single_price_cents = models.PositiveIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="Price in cents to buy one session on its own; leave empty if sold only in packages.",
    )
    currency = models.CharField(max_length=3, default=DEFAULT_CURRENCY, editable=False)
    active = models.BooleanField(default=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    objects = ActiveQuerySet.as_manager()

    search_fields = [
        index.SearchField("name", boost=2),
        index.SearchField("short_description"),
        index.AutocompleteField("name"),
        index.FilterField("active"),
    ]

    class Meta:
        ordering = ["sort_order", "name"]
        constraints = [
            models.CheckConstraint(
                name="coaching_service_live_has_duration",
                condition=(
                    models.Q(kind="review", duration_minutes__isnull=True)
                    | models.Q(
                        kind="live",
                        duration_minutes__gte=MIN_SESSION_MINUTES,
                        duration_minutes__lte=MAX_SESSION_MINUTES,
                    )
                ),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def shares_school_shortlist(self) -> bool:
        """A school-selection session: its coach sees the applicant's school shortlist."""
        return "school-selection" in self.slug

    def clean(self):
        errors = {}
        if self.kind == ServiceKind.LIVE:
            minutes = self.duration_minutes
            if minutes is None:
                errors["duration_minutes"] = "A live session needs a duration."
            elif (
                not (MIN_SESSION_MINUTES <= minutes <= MAX_SESSION_MINUTES)
                or minutes % SESSION_MINUTES_STEP
            ):
                errors["duration_minutes"] = (
                    f"Choose a duration between {MIN_SESSION_MINUTES} and {MAX_SESSION_MINUTES} "
                    f"minutes, in steps of {SESSION_MINUTES_STEP}."
                )
        else:
            if self.duration_minutes is not None:
                errors["duration_minutes"] = "A document review has no duration; leave it empty."
            if not self.turnaround_days:
                errors["turnaround_days"] = "Say how many days a review takes."
        if errors:
            raise ValidationError(errors)

    @property
    def is_live(self) -> bool:
        return self.kind == ServiceKind.LIVE

    @property
    def is_bookable(self) -> bool:
        """Booked on a calendar (live sessions); reviews are delivered without a slot."""
        return self.is_live

    @property
    def length_label(self) -> str:
        if self.is_live:
            return f"{self.duration_minutes} min"
        days = self.turnaround_days or 0
        return f"{days}-day turnaround" if days else "Document review"


class Package(PreviewableMixin, ClusterableModel):
    """A bundle an applicant buys once: sessions and reviews (items), perks, a validity period."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=80, unique=True)
    summary = models.CharField(max_length=240, help_text="One or two sentences for the card.")
    description = RichTextField(blank=True)
    price_cents = models.PositiveIntegerField(
        validators=[MinValueValidator(1)], help_text="Price in cents, before tax (34500 = $345.00)."
    )
    currency = models.CharField(max_length=3, default=DEFAULT_CURRENCY, editable=False)
    taxable = models.BooleanField(default=True, help_text="Sales tax (HST) is added at checkout.")
    validity_months = models.PositiveSmallIntegerField(
        default=12,
        validators=[MinValueValidator(1)],
        help_text="Credits can be used for this many months after purchase.",
    )
    is_most_popular = models.BooleanField("most popular", default=False)
    active = models.BooleanField(default=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    objects = ActiveQuerySet.as_manager()

    class Meta:
        ordering = ["sort_order", "price_cents", "name"]
        constraints = [
            models.CheckConstraint(
                name="coaching_package_price_positive", condition=models.Q(price_cents__gt=0)
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("coaching:package_detail", kwargs={"slug": self.slug})

    # Editors preview the package page and its card in the admin before saving.
    preview_modes = [("", "Package page"), ("card", "Card")]

    def get_preview_template(self, request, mode_name):
        if mode_name == "card":
            return "coaching/package_card_preview.html"
        return "coaching/package_detail.html"

    def get_preview_context(self, request, mode_name):
        context = super().get_preview_context(request, mode_name)
        context["package"] = self
        if mode_name != "card":
            context["coaches"] = self.coaches_delivering()
            context["live_items"] = [item for item in self.items.all() if item.service.is_live]
            context["testimonials"] = self.testimonials_shown()
        return context

    def coaches_delivering(self) -> list["Coach"]:
        """Active coaches who deliver at least one of the package's (active) services, for its
        page and its preview.

        Each coach gets `package_services`: the package's services they deliver, in package order.
        """
        services = [item.service for item in self.items.all() if item.service.active]
        if not services:
            return []
        coaches = list(
            Coach.objects.listed()
            .filter(services__in=[service.pk for service in services])
            .distinct()
        )
        for coach in coaches:
            offered = {service.pk for service in coach.active_services}
            coach.package_services = [service for service in services if service.pk in offered]
        return coaches

    def testimonials_shown(self) -> list["Testimonial"]:
        """The package's own active testimonials first, then general ones to fill up (one query);
        never another package's."""
        own_first = Case(
            When(package=self.pk, then=Value(0)), default=Value(1), output_field=IntegerField()
        )
        return list(
            Testimonial.objects.active()
            .filter(Q(package=self.pk) | Q(package__isnull=True))
            .order_by(own_first, "sort_order", "pk")[:TESTIMONIALS_SHOWN]
        )

    @property
    def price_dollars(self) -> Decimal | None:
        return cents_to_dollars(self.price_cents) if self.price_cents else None

    @property
    def validity_label(self) -> str:
        months = self.validity_months
        return f"Credits valid {months} month{'s' if months != 1 else ''}"


class PackageItem(Orderable):
    """One line of a package: a service and how many of it."""

    package = ParentalKey(Package, on_delete=models.CASCADE, related_name="items")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="package_items")
    quantity = models.PositiveSmallIntegerField(default=1, validators=[MinValueValidator(1)])

    class Meta(Orderable.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["package", "service"], name="coaching_item_service_once"
            ),
            models.CheckConstraint(
                name="coaching_item_quantity_positive", condition=models.Q(quantity__gt=0)
            ),
        ]

    def __str__(self):
        return f"{self.quantity} × {self.service}"


class PerkKind(models.TextChoices):
    """What a perk unlocks for the package's term; the members' apps gate on these."""

    SCHOOL_GUIDE = "school_guide", "Canadian MD school guide"
    RESOURCE_LIBRARY = "resource_library", "Members' library (e-books and resources)"
    QUESTION_BANK = "question_bank", "Interview question bank"
    PRACTICE_TESTS = "practice_tests", "Timed practice tests"
    WEBINARS = "webinars", "Live webinars and recordings"
    APPLICATION_REVISIONS = "application_revisions", "Unlimited application revision rounds"


class PackagePerk(Orderable):
    """Something included for the package's term without being booked (guides, webinars, …).

    `kind` is what it unlocks; a perk without a kind is display text only and grants nothing.
    """

    package = ParentalKey(Package, on_delete=models.CASCADE, related_name="perks")
    kind = models.CharField(
        max_length=32,
        choices=PerkKind.choices,
        blank=True,
        help_text="What buying the package unlocks until the end of its term. "
        "Leave empty for a line of text that unlocks nothing.",
    )
    text = models.CharField(max_length=160, help_text="How the perk reads on the package card.")

    class Meta(Orderable.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["package", "kind"],
                condition=~models.Q(kind=""),
                name="coaching_perk_kind_once",
            ),
        ]

    def __str__(self):
        return self.text


class PackageFaq(Orderable):
    """A question applicants ask about this package, answered by the editors.

    The answers sit beside generic ones (validity, tax, cancellation) that the package page
    writes from the package's own fields, so prices and contents are never typed twice.
    """

    package = ParentalKey(Package, on_delete=models.CASCADE, related_name="faqs")
    question = models.CharField(max_length=200)
    answer = RichTextField(features=["bold", "italic", "link", "ul", "ol"])

    class Meta(Orderable.Meta):
        verbose_name = "FAQ"
        verbose_name_plural = "FAQs"

    def __str__(self):
        return self.question


def coach_card_prefetches() -> list[Prefetch]:
    """What a coach's card or page shows besides the row: the photo's rendition and the
    active services (in `coach.active_services`, in the catalogue's order)."""
    return [
        Prefetch(
            "photo", queryset=get_image_model().objects.prefetch_renditions(COACH_PHOTO_FILTER)
        ),
        Prefetch(
            "services",
            queryset=Service.objects.active().order_by("sort_order", "name"),
            to_attr="active_services",
        ),
    ]


class CoachQuerySet(ActiveQuerySet):
    def listed(self):
        """Active coaches in the catalogue's order, with `coach_card_prefetches`."""
        return (
            self.active()
            .order_by("sort_order", "display_name")
            .prefetch_related(*coach_card_prefetches())
        )


class Coach(ClusterableModel):
    """A person who delivers sessions, working in their own time zone."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="coach"
    )
    display_name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=80, unique=True)
    headline = models.CharField(max_length=200, blank=True)
    location = models.CharField(
        max_length=80,
        blank=True,
        help_text="Where the coach is based, as applicants should read it, e.g. “London (UK)”.",
    )
    credentials = models.CharField(
        max_length=200,
        blank=True,
        help_text="Degrees, certifications and roles as applicants should read them, "
        "e.g. “MD (McMaster), CCFP · Admissions interviewer, 2019–2024”. No promises of results.",
    )
    languages = models.CharField(
        max_length=200,
        blank=True,
        help_text="The languages the coach holds sessions in, separated by commas, "
        "e.g. “English, French, Tamil”.",
    )
    bio = RichTextField(blank=True, features=["bold", "italic", "link", "ul", "ol"])
    photo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="A square head-and-shoulders photo works best. Without one, the pages show "
        "the coach’s initials.",
    )
    time_zone = models.CharField(
        max_length=64, default="America/Toronto", validators=[validate_time_zone]
    )
    services = ParentalManyToManyField(Service, related_name="coaches", blank=True)
    meeting_url = models.URLField(
        blank=True, help_text="The video-call link applicants receive for every session."
    )
    max_open_items = models.PositiveSmallIntegerField(
        "most open items at once",
        default=DEFAULT_MAX_OPEN_ITEMS,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_OPEN_ITEMS_LIMIT)],
        help_text="The reviewer queue lets the coach claim work until this many document "
        "reviews (and, later, practice attempts to score) are open at once.",
    )
    active = models.BooleanField(default=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    objects = CoachQuerySet.as_manager()

    class Meta:
        ordering = ["sort_order", "display_name"]
        verbose_name_plural = "coaches"

    def __str__(self):
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("coaching:coach_detail", kwargs={"slug": self.slug})

    @property
    def initials(self) -> str:
        """Up to two initials for the photo placeholder, ignoring titles such as “Dr.”."""
        words = [
            word
            for word in self.display_name.replace(".", ". ").split()
            if word.lower().rstrip(".") not in NAME_TITLES
        ]
        letters = [word[0] for word in words if word[0].isalpha()]
        if len(letters) > 2:
            letters = [letters[0], letters[-1]]
        return "".join(letters).upper()

    @property
    def language_list(self) -> list[str]:
        """The languages as a list: “English, French” → ["English", "French"]."""
        return [name.strip() for name in self.languages.split(",") if name.strip()]

    @property
    def languages_label(self) -> str:
        """“English, French and Tamil”; empty when the editor named none."""
        names = self.language_list
        if len(names) < 2:
            return "".join(names)
        return f"{', '.join(names[:-1])} and {names[-1]}"

    @property
    def place_label(self) -> str:
        """“London (UK)” when the editor wrote it, else the city in the zone name (“Toronto”)."""
        if self.location:
            return self.location
        return self.time_zone.rsplit("/", 1)[-1].replace("_", " ")


class Testimonial(models.Model):
    """A short quote from an applicant about working with MedPath, shown on the home and
    package pages. Editors publish only words a person agreed to share; no promised results."""

    quote = models.TextField(
        max_length=400,
        help_text="The applicant’s words, two or three sentences at most. Describe the "
        "coaching, not an outcome: no admission or match claims, no percentages.",
    )
    name = models.CharField(
        max_length=80,
        help_text="How the person agreed to be named, e.g. “Nadia K.”. The demo testimonials "
        "use invented names; replace them with real, consented ones before going live.",
    )
    context = models.CharField(
        max_length=120,
        blank=True,
        help_text="Who they are, e.g. “IMG applicant, 2025 CaRMS” or “MD applicant, Ontario”.",
    )
    package = models.ForeignKey(
        Package,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="testimonials",
        help_text="Shown first on this package’s page. Leave empty for a general testimonial "
        "(the home page, and packages without their own).",
    )
    active = models.BooleanField(default=True, help_text="Untick to hide it everywhere.")
    sort_order = models.PositiveSmallIntegerField(default=0, help_text="Lower numbers come first.")

    objects = ActiveQuerySet.as_manager()

    class Meta:
        ordering = ["sort_order", "pk"]

    def __str__(self):
        return f"{self.name}: {self.quote[:60]}"
