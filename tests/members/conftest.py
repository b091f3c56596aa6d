import pytest

from coaching.models import PackagePerk, PerkKind
from tests.accounts.factories import BuyerFactory
from tests.cms.conftest import home  # noqa: F401
from tests.coaching.factories import PackageFactory
from tests.members.area import (  # noqa: F401  (the members' area fixtures)
    all_perks_package,
    asker,
    ebook,
    library,
    persona,
    persona_name,
    resource,
    signed_in,
)
from tests.payments.conftest import (  # noqa: F401  (fixtures shared with payments)
    _fake_stripe_server,
    fake_stripe,
    offline,
)


@pytest.fixture
def perk_package(db):
    """A package whose perks unlock the school guide and the question bank for 6 months,
    plus a line of text that unlocks nothing."""
    package = PackageFactory(slug="perk-package", name="Perk package", validity_months=6)
    PackagePerk.objects.create(package=package, kind=PerkKind.SCHOOL_GUIDE, text="School guide")
    PackagePerk.objects.create(package=package, kind=PerkKind.QUESTION_BANK, text="Question bank")
    PackagePerk.objects.create(package=package, kind="", text="Friendly coaches")
    return package


@pytest.fixture
def member(db):
    return BuyerFactory(email="mina@example.com", display_name="Mina", time_zone="Asia/Kolkata")


@pytest.fixture
def staff(db):
    return BuyerFactory(email="boss@example.com", is_staff=True, is_superuser=True)
