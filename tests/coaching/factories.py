"""Factories for the catalogue: services, packages (items, perks, FAQs) and coaches."""

from datetime import time

import factory

from coaching.models import (
    Coach,
    Package,
    PackageFaq,
    PackageItem,
    PackagePerk,
    Service,
    ServiceKind,
    Testimonial,
)
from tests.accounts.factories import UserFactory


class ServiceFactory(factory.django.DjangoModelFactory):
    """A live 60-minute session sold alone for CA$155; traits `review` and `inactive`."""

    class Meta:
        model = Service

    name = factory.Sequence(lambda n: f"Coaching session {n}")
    slug = factory.Sequence(lambda n: f"service-{n}")
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
        )
        inactive = factory.Trait(active=False)


class PackageFactory(factory.django.DjangoModelFactory):
    """An active, taxable CA$345 package with one item (one session of a new service).

    `items` is a count of new services (`items=3`, `items=0` for none) or a list of
    `(service, quantity)` pairs; `perks=2` adds that many perks. Traits: `inactive`, `popular`,
    `untaxed`.
    """

    class Meta:
        model = Package
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
        untaxed = factory.Trait(taxable=False)

    @factory.post_generation
    def items(self, create, extracted, **kwargs):
        if not create:
            return
        if extracted is None or isinstance(extracted, int):
            for position in range(1 if extracted is None else extracted):
                PackageItemFactory(package=self, sort_order=position)
            return
        for position, (service, quantity) in enumerate(extracted):
            PackageItemFactory(
                package=self, service=service, quantity=quantity, sort_order=position
            )

    @factory.post_generation
    def perks(self, create, extracted, **kwargs):
        if create and extracted:
            for position in range(extracted):
                PackagePerkFactory(package=self, text=f"Perk {position + 1}", sort_order=position)


class PackageItemFactory(factory.django.DjangoModelFactory):
    """One session of a new service in a new package (which then has no other item)."""

    class Meta:
        model = PackageItem

    package = factory.SubFactory(PackageFactory, items=0)
    service = factory.SubFactory(ServiceFactory)
    quantity = 1


class PackagePerkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PackagePerk

    package = factory.SubFactory(PackageFactory)
    text = factory.Sequence(lambda n: f"Perk {n}")


class PackageFaqFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PackageFaq

    package = factory.SubFactory(PackageFactory)
    question = factory.Sequence(lambda n: f"Question {n}?")
    answer = "<p>An answer written by the editors.</p>"


class TestimonialFactory(factory.django.DjangoModelFactory):
    """An active, general testimonial (no package); `package=` ties it to one. Trait: `inactive`."""

    class Meta:
        model = Testimonial

    quote = factory.Sequence(lambda n: f"Quote number {n} about the coaching.")
    name = factory.Sequence(lambda n: f"Person {n}.")
    context = "MD applicant, Ontario"
    package = None
    active = True
    sort_order = 0

    class Params:
        inactive = factory.Trait(active=False)


class CoachFactory(factory.django.DjangoModelFactory):
    """An active coach in Toronto with their own login (`coach<n>@example.com`).

    `services=[...]` sets what they deliver; `hours=[(weekday, "09:00", "17:00"), ...]` adds
    weekly hours; `rules={...}` sets the schedule's rules (the defaults otherwise;
    `rules=False` for no schedule row). Traits: `inactive`, `london`.
    """

    class Meta:
        model = Coach
        skip_postgeneration_save = True

    user = factory.SubFactory(
        UserFactory,
        email=factory.Sequence(lambda n: f"coach{n}@example.com"),
        display_name=factory.Sequence(lambda n: f"Coach {n}"),
        time_zone="America/Toronto",
    )
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
            self.save()  # ParentalManyToManyField writes its relations on save

    # The schedule models belong to booking, a layer above the catalogue, whose factories import
    # this module: hence the imports at call time.
    @factory.post_generation
    def hours(self, create, extracted, **kwargs):
        if create and extracted:
            from tests.booking.factories import WeeklyHoursFactory

            for weekday, start, end in extracted:
                WeeklyHoursFactory(
                    coach=self,
                    weekday=weekday,
                    start_time=time.fromisoformat(start),
                    end_time=time.fromisoformat(end),
                )

    @factory.post_generation
    def rules(self, create, extracted, **kwargs):
        if create and extracted is not False:
            from tests.booking.factories import CoachScheduleFactory

            CoachScheduleFactory(coach=self, **(extracted or {}))
