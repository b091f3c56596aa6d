"""Factories for people: the one user factory (applicants, buyers, coaches' logins, staff)."""

import factory
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import Group

from core.duties import COACHING_STAFF_GROUP, FINANCE_GROUP

USER_PASSWORD = "medpath-demo"


class EmailAddressFactory(factory.django.DjangoModelFactory):
    """allauth's record of an address; `verified=True` (the default) lets the user log in."""

    class Meta:
        model = EmailAddress
        django_get_or_create = ("user", "email")

    user = factory.SubFactory("tests.accounts.factories.UserFactory")
    email = factory.SelfAttribute("user.email")
    verified = True
    primary = True


def _in_groups(*names):
    """Adds the user to the named groups (made by the migrations), and to any passed as
    `groups=[...]`."""

    def add(user, create, extra, **kwargs):
        if create and (names or extra):
            user.groups.add(*Group.objects.filter(name__in=[*names, *(extra or [])]))

    return factory.PostGeneration(add)


class UserFactory(factory.django.DjangoModelFactory):
    """A person in Kolkata with password `medpath-demo`; email `user<n>@example.com`.

    Traits: `verified` (allauth's verified address, so they may log in and buy), `staff` (the
    Django admin's flag alone: no duty), and one per staff duty (`core/duties.py`): `editor`,
    `coaching_staff`, `finance`, each staff in that duty's group. `groups=[names]` adds others.
    """

    class Meta:
        model = settings.AUTH_USER_MODEL
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    display_name = factory.Sequence(lambda n: f"Applicant {n}")
    time_zone = "Asia/Kolkata"
    password = factory.django.Password(USER_PASSWORD)

    class Params:
        verified = factory.Trait(
            email_address=factory.RelatedFactory(EmailAddressFactory, factory_related_name="user")
        )
        staff = factory.Trait(is_staff=True)
        editor = factory.Trait(is_staff=True, groups=_in_groups("Editors", "Moderators"))
        coaching_staff = factory.Trait(is_staff=True, groups=_in_groups(COACHING_STAFF_GROUP))
        finance = factory.Trait(is_staff=True, groups=_in_groups(FINANCE_GROUP))

    groups = _in_groups()


class BuyerFactory(UserFactory):
    """`UserFactory` with its `verified` trait on by default (`BuyerFactory(verified=False)`)."""

    verified = True
