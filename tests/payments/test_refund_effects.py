"""What the full-refund confirmation says it takes back counts by booking's and members' own
definitions: a credit that can no longer be spent, or a perk already over, is not "taken back"."""

from datetime import timedelta

import pytest
from django.utils import timezone

from coaching.models import PerkKind
from members.models import Entitlement
from payments import selectors
from tests.coaching.factories import PackageFactory, PackagePerkFactory, ServiceFactory
from tests.payments.conftest import pay_package


@pytest.mark.django_db
def test_full_refund_effects_list_only_usable_credits_and_perks_not_ended(
    client, fake_stripe, buyer
):
    package = PackageFactory(
        price_cents=34500,
        items=[
            (ServiceFactory(name="Mock MMI"), 2),
            (ServiceFactory(name="CASPer prep"), 1),
            (ServiceFactory(name="Strategy call"), 1),
        ],
    )
    PackagePerkFactory(package=package, text="Practice", kind=PerkKind.PRACTICE_TESTS)
    PackagePerkFactory(package=package, text="Webinars", kind=PerkKind.WEBINARS)
    order = pay_package(client, fake_stripe, buyer, package)
    credits = {credit.service.name: credit for credit in selectors.order_credits(order)}
    now = timezone.now()
    credits["CASPer prep"].expires_at = now - timedelta(days=1)
    credits["CASPer prep"].save(update_fields=["expires_at"])
    credits["Strategy call"].frozen_at = now
    credits["Strategy call"].save(update_fields=["frozen_at"])
    Entitlement.objects.filter(perk=PerkKind.WEBINARS).update(ended_early_at=now)

    effects = selectors.order_full_refund_effects(order)

    assert [credit.service.name for credit in effects.unused_credits] == ["Mock MMI"]
    assert [row.perk for row in effects.perks] == [PerkKind.PRACTICE_TESTS]
    assert (effects.ends_practice, effects.ends_webinars) == (True, False)
