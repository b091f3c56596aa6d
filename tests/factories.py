"""factory_boy factories shared by the whole suite.

Each app keeps its factories in its own clearly marked section below.
"""

import factory
from allauth.account.models import EmailAddress
from django.conf import settings

# ---------------------------------------------------------------------------
# accounts: users and their email addresses
# ---------------------------------------------------------------------------

USER_PASSWORD = "medpath-demo"


class EmailAddressFactory(factory.django.DjangoModelFactory):
    """allauth's record of an address; `verified=True` lets the user log in."""

    class Meta:
        model = EmailAddress

    user = factory.SubFactory("tests.factories.UserFactory")
    email = factory.SelfAttribute("user.email")
    verified = True
    primary = True


class UserFactory(factory.django.DjangoModelFactory):
    """A person with password `medpath-demo`. `UserFactory(verified=True)` can log in at once."""

    class Meta:
        model = settings.AUTH_USER_MODEL
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    display_name = factory.Sequence(lambda n: f"Applicant {n}")
    time_zone = "America/Toronto"
    password = factory.django.Password(USER_PASSWORD)

    class Params:
        verified = factory.Trait(
            email_address=factory.RelatedFactory(EmailAddressFactory, factory_related_name="user")
        )
        staff = factory.Trait(is_staff=True)


# ---------------------------------------------------------------------------
# (other apps' factories go below, each in its own section)
# ---------------------------------------------------------------------------
