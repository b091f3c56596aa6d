import pytest

from coaching.models import PackagePerk, PerkKind
from tests.accounts.factories import BuyerFactory
from tests.coaching.factories import PackageFactory
from tests.members.area import buy
from tests.payments.conftest import offline  # noqa: F401  (the offline checkout)


@pytest.fixture
def offline_paid_order(db, offline):  # noqa: F811
    """A member who bought a package with the practice-tests perk through the offline checkout."""
    package = PackageFactory(slug="casper-practice-pack", validity_months=6)
    PackagePerk.objects.create(package=package, kind=PerkKind.PRACTICE_TESTS, text="Practice")
    member = BuyerFactory(email="pia@example.com")
    return buy(member, package), member
