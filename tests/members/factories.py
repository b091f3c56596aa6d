"""Factories for members' things: a webinars-perk entitlement."""

from datetime import timedelta

import factory
from django.utils import timezone

from coaching.models import PerkKind
from members.models import Entitlement
from tests.accounts.factories import BuyerFactory


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
