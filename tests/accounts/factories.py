"""Factories for people: the one user factory (applicants, buyers, coaches' logins, staff)."""

import factory
from allauth.account.models import EmailAddress
from django.conf import settings

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


class UserFactory(factory.django.DjangoModelFactory):
    """A person in Kolkata with password `medpath-demo`; email `user<n>@example.com`.

    Traits: `verified` (allauth's verified address, so they may log in and buy), `staff`.
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


class BuyerFactory(UserFactory):
    """`UserFactory` with its `verified` trait on by default (`BuyerFactory(verified=False)`)."""

    verified = True
