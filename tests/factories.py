"""factory_boy factories shared by the whole suite.

Each app keeps its factories in its own clearly marked section below.
"""

import factory
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model

from coaching.models import (
    Coach,
    Package,
    PackageFaq,
    PackageItem,
    PackagePerk,
    Service,
    ServiceKind,
)

# ---------------------------------------------------------------------------
# accounts: users and their email addresses
# ---------------------------------------------------------------------------

USER_PASSWORD = "medpath-demo"


class EmailAddressFactory(factory.django.DjangoModelFactory):
    """allauth's record of an address; `verified=True` lets the user log in."""

    class Meta:
        model = EmailAddress

    user = factory.SubFactory("tests.factories.UserFactory")
    email = factory.SelfAttribute("user.email")
    verified = True
    primary = True


class UserFactory(factory.django.DjangoModelFactory):
    """A person with password `medpath-demo`. `UserFactory(verified=True)` can log in at once."""

    class Meta:
        model = settings.AUTH_USER_MODEL
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    display_name = factory.Sequence(lambda n: f"Applicant {n}")
    time_zone = "America/Toronto"
    password = factory.django.Password(USER_PASSWORD)

    class Params:
        verified = factory.Trait(
            email_address=factory.RelatedFactory(EmailAddressFactory, factory_related_name="user")
        )
        staff = factory.Trait(is_staff=True)


# ---------------------------------------------------------------------------
# (other apps' factories go below, each in its own section)
# ---------------------------------------------------------------------------
# --- coaching ---------------------------------------------------------------------------------


class CoachUserFactory(factory.django.DjangoModelFactory):
    """The login behind a coach profile (the coaching section's own, to stay independent)."""

    class Meta:
        model = get_user_model()
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"coach{n}@example.com")
    display_name = factory.Sequence(lambda n: f"Coach {n}")
    time_zone = "America/Toronto"
    password = factory.django.Password("coach-password")


class ServiceFactory(factory.django.DjangoModelFactory):
    """A live 60-minute session by default; `ServiceFactory(review=True)` for a document review."""

    class Meta:
        model = Service
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Coaching session {n}")
    slug = factory.Sequence(lambda n: f"session-{n}")
    kind = ServiceKind.LIVE
    duration_minutes = 60
    turnaround_days = None
    short_description = factory.LazyAttribute(lambda o: f"What happens in {o.name.lower()}.")
    single_price_cents = 15500
    active = True

    class Params:
        review = factory.Trait(
            kind=ServiceKind.REVIEW,
            duration_minutes=None,
            turnaround_days=5,
            single_price_cents=None,
            name=factory.Sequence(lambda n: f"Document review {n}"),
            slug=factory.Sequence(lambda n: f"review-{n}"),
        )
        inactive = factory.Trait(active=False)


class PackageFactory(factory.django.DjangoModelFactory):
    """An active CA$345 package with one live-session item (pass `items=0` for none).

    `PackageFactory(items=3, perks=2)` adds that many items (each a new service) and perks;
    traits: `inactive`, `popular`, `tax_free`.
    """

    class Meta:
        model = Package
        django_get_or_create = ("slug",)
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Package {n}")
    slug = factory.Sequence(lambda n: f"package-{n}")
    summary = "Sessions with a coach and written feedback."
    price_cents = 34500
    taxable = True
    validity_months = 12
    active = True
    sort_order = 0

    class Params:
        inactive = factory.Trait(active=False)
        popular = factory.Trait(is_most_popular=True)
        tax_free = factory.Trait(taxable=False)

    @factory.post_generation
    def items(self, create, extracted, **kwargs):
        if not create:
            return
        count = 1 if extracted is None else extracted
        for position in range(count):
            PackageItemFactory(package=self, sort_order=position)

    @factory.post_generation
    def perks(self, create, extracted, **kwargs):
        if not create or not extracted:
            return
        for position in range(extracted):
            PackagePerk.objects.create(
                package=self, text=f"Perk {position + 1}", sort_order=position
            )


class PackageItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PackageItem

    package = factory.SubFactory(PackageFactory, items=0)
    service = factory.SubFactory(ServiceFactory)
    quantity = 1


class PackageFaqFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PackageFaq

    package = factory.SubFactory(PackageFactory)
    question = factory.Sequence(lambda n: f"Question {n}?")
    answer = "<p>An answer written by the editors.</p>"


class CoachFactory(factory.django.DjangoModelFactory):
    """An active coach in Toronto; `CoachFactory(services=[...])` sets what they deliver."""

    class Meta:
        model = Coach
        django_get_or_create = ("slug",)
        skip_postgeneration_save = True

    user = factory.SubFactory(CoachUserFactory)
    display_name = factory.Sequence(lambda n: f"Dr. Alex Coach{n}")
    slug = factory.Sequence(lambda n: f"coach-{n}")
    headline = "Physician and admissions coach"
    time_zone = "America/Toronto"
    meeting_url = factory.LazyAttribute(lambda o: f"https://meet.example.com/{o.slug}")
    active = True

    class Params:
        inactive = factory.Trait(active=False)
        london = factory.Trait(time_zone="Europe/London", location="London (UK)")

    @factory.post_generation
    def services(self, create, extracted, **kwargs):
        if create and extracted:
            self.services.set(extracted)
            self.save()


# --- end coaching -----------------------------------------------------------------------------


# --- booking ------------------------------------------------------------------------------------
# Scheduling factories (coaches with hours and rules, credits, bookings) live beside their tests;
# the ones without a namesake above are re-exported here.
from tests.booking.factories import BookingFactory, CreditFactory  # noqa: E402,F401

# --- payments -----------------------------------------------------------------------------------
from tests.payments.factories import BuyerFactory, OrderFactory  # noqa: E402,F401
