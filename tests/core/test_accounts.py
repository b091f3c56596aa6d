import pytest
from django.contrib.auth.models import AnonymousUser

from core.accounts import has_verified_email
from tests.accounts.factories import EmailAddressFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_only_a_confirmed_address_counts_as_verified():
    confirmed, unconfirmed, without_address = UserFactory(), UserFactory(), UserFactory()
    EmailAddressFactory(user=confirmed, verified=True)
    EmailAddressFactory(user=unconfirmed, verified=False)

    assert has_verified_email(confirmed)
    assert not has_verified_email(unconfirmed)
    assert not has_verified_email(without_address)


def test_nobody_logged_in_has_no_verified_email():
    assert not has_verified_email(AnonymousUser())
    assert not has_verified_email(None)
