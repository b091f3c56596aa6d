"""Factories for webinars (traits `free`, `past`, `cancelled`) and their registrations (traits
`waitlisted`, `cancelled`); the webinars-perk entitlement is `tests.members.factories`'.

Rows are written directly (as the other factories do); tests of the rules go through
`webinars.services`.
"""

from datetime import timedelta

import factory
from django.utils import timezone

from tests.accounts.factories import BuyerFactory
from tests.coaching.factories import CoachFactory
from webinars.models import (
    RegistrationStatus,
    Webinar,
    WebinarAudience,
    WebinarRegistration,
    WebinarStatus,
)


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
