"""Factories for members' things: webinars (traits `free`, `past`, `cancelled`) and their
registrations (traits `waitlisted`, `cancelled`), and a webinars-perk entitlement.

Rows are written directly (as the other factories do); tests of the rules go through
`members.webinar_services`.
"""

from datetime import timedelta

import factory
from django.utils import timezone

from coaching.models import PerkKind
from members.models import Entitlement
from members.webinar_models import (
    RegistrationStatus,
    Webinar,
    WebinarAudience,
    WebinarRegistration,
    WebinarStatus,
)
from tests.accounts.factories import BuyerFactory
from tests.coaching.factories import CoachFactory


class EntitlementFactory(factory.django.DjangoModelFactory):
    """The webinars perk for a verified member, from a day ago for a year (a purchase)."""

    class Meta:
        model = Entitlement

    member = factory.SubFactory(BuyerFactory)
    perk = PerkKind.WEBINARS
    starts_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    ends_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=365))
    source = factory.Sequence(lambda n: f"order-line:{n + 1000}:perk:webinars")
    source_label = "Complete MD Pathway"


class WebinarFactory(factory.django.DjangoModelFactory):
    """A members' webinar in a week, one hour long, 20 seats, hosted by a new coach.

    Traits: `free` (introductory, any verified account), `past` (ended yesterday), `cancelled`.
    """

    class Meta:
        model = Webinar

    title = factory.Sequence(lambda n: f"Webinar {n}: the CaRMS match")
    description = "How the match works, and what to do in each round."
    host = factory.SubFactory(CoachFactory)
    start = factory.LazyFunction(
        lambda: (timezone.now() + timedelta(days=7)).replace(second=0, microsecond=0)
    )
    end = factory.LazyAttribute(lambda o: o.start + timedelta(hours=1))
    capacity = 20
    audience = WebinarAudience.MEMBERS
    join_url = "https://meet.example.com/medpath-webinar"

    class Params:
        free = factory.Trait(audience=WebinarAudience.FREE)
        past = factory.Trait(
            start=factory.LazyFunction(
                lambda: (timezone.now() - timedelta(days=1)).replace(second=0, microsecond=0)
            )
        )
        cancelled = factory.Trait(status=WebinarStatus.CANCELLED, cancel_reason="Host unwell")


class WebinarRegistrationFactory(factory.django.DjangoModelFactory):
    """A seat for a verified member; traits `waitlisted`, `cancelled`. Keeps `seats_taken`."""

    class Meta:
        model = WebinarRegistration
        skip_postgeneration_save = True

    webinar = factory.SubFactory(WebinarFactory)
    member = factory.SubFactory(BuyerFactory)
    status = RegistrationStatus.REGISTERED
    registered_at = factory.LazyFunction(timezone.now)

    class Params:
        waitlisted = factory.Trait(
            status=RegistrationStatus.WAITLISTED,
            registered_at=None,
            waitlisted_at=factory.LazyFunction(timezone.now),
        )
        cancelled = factory.Trait(
            status=RegistrationStatus.CANCELLED, cancelled_at=factory.LazyFunction(timezone.now)
        )

    @factory.post_generation
    def count_seat(self, create, extracted, **kwargs):
        if create:
            taken = self.webinar.registrations.registered().count()
            Webinar.objects.filter(pk=self.webinar_id).update(seats_taken=taken)
            self.webinar.seats_taken = taken
