"""Shared arrangements for the members' area tests: schools, questions, library pages, a gated
document, and the six people of the access matrix."""

from datetime import timedelta

import factory
import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.documents import get_document_model

from coaching.models import PackagePerk, PerkKind
from medpath.cms.members import MembersLibraryPage, MembersResourcePage
from members import services
from members.models import GatedCollection, Language, Province, Question, Route, School
from payments import services as payments_services
from payments.offline import OfflineGateway
from tests.cms.factories import _PageFactory
from tests.payments.factories import BuyerFactory, PackageFactory

BODY_SECRET = "Zanzibarian checklist for members"  # only ever in a gated body
PDF = b"%PDF-1.4\n% members' e-book\n"


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    name = factory.Sequence(lambda n: f"School of Medicine {n}")
    slug = factory.Sequence(lambda n: f"school-{n}")
    university = factory.LazyAttribute(lambda o: o.name)
    city = "Toronto"
    province = Province.ON
    language = Language.ENGLISH
    route = Route.OMSAS
    program_years = 4


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    text = factory.Sequence(lambda n: f"Interview prompt number {n}?")
    format = "mmi"
    category = "ethics"
    coach_note = "Name the tension, gather facts, act within your role."


class LibraryPageFactory(_PageFactory):
    title = "Members' library"
    slug = "members"
    intro = "<p>E-books and guides.</p>"

    class Meta:
        model = MembersLibraryPage


class ResourcePageFactory(_PageFactory):
    summary = "A public summary of the resource."
    teaser = "<p>Inside: what members will find.</p>"
    perk = PerkKind.RESOURCE_LIBRARY
    body = factory.LazyFunction(lambda: [{"type": "rich_text", "value": f"<p>{BODY_SECRET}</p>"}])

    class Meta:
        model = MembersResourcePage


@pytest.fixture
def library(home):
    return LibraryPageFactory(parent=home)


@pytest.fixture
def resource(library):
    return ResourcePageFactory(
        parent=library, title="Planning your year", slug="planning-your-year"
    )


@pytest.fixture
def ebook(db):
    gate = GatedCollection.objects.select_related("collection").get(perk=PerkKind.RESOURCE_LIBRARY)
    document = get_document_model()(title="Members' e-book", collection=gate.collection)
    document.file.save("members-ebook.pdf", ContentFile(PDF), save=False)
    document.save()
    return document


@pytest.fixture
def signed_in(client, member):
    """The client, logged in as `member` holding every perk for 30 days."""
    grant_all(member)
    client.force_login(member)
    return client


@pytest.fixture
def all_perks_package(db):
    package = PackageFactory(slug="all-perks", name="Complete membership", validity_months=12)
    for kind in PerkKind.values:
        PackagePerk.objects.create(package=package, kind=kind, text=PerkKind(kind).label)
    return package


def grant_all(member, *, days=30, ago=0, tag="t"):
    now = timezone.now() - timedelta(days=ago)
    for perk in PerkKind.values:
        services.entitlement_grant(
            member=member,
            perk=perk,
            starts_at=now,
            ends_at=now + timedelta(days=days),
            source=f"test:{tag}:{member.pk}:{perk}",
        )


def buy(buyer, package):
    order = payments_services.checkout_start_package(
        buyer=buyer, package=package, base_url="http://testserver"
    )
    OfflineGateway().pay(order.stripe_checkout_session_id)
    payments_services.order_fulfil(session_id=order.stripe_checkout_session_id)
    order.refresh_from_db()
    return order


PERSONAS = ["anonymous", "no_package", "member", "ended", "refunded", "staff"]
ALLOWED = {"member", "staff"}


@pytest.fixture(params=PERSONAS)
def persona_name(request):
    """Each person of the matrix in turn (a test asking for `asker` runs once for each)."""
    return request.param


@pytest.fixture
def asker(client, persona):
    """The client, logged in as the matrix's person (not at all for "anonymous")."""
    if persona is not None:
        client.force_login(persona)
    return client


@pytest.fixture
def persona(request, offline, all_perks_package):
    """The person of the matrix named by the test's `persona_name` parameter (None: anonymous)."""
    name = request.getfixturevalue("persona_name")
    if name == "anonymous":
        return None
    person = BuyerFactory(email=f"{name}@example.com")
    if name == "member":
        grant_all(person)
    elif name == "ended":
        grant_all(person, days=30, ago=31)
    elif name == "refunded":
        order = buy(person, all_perks_package)
        boss = BuyerFactory(email="refunder@example.com", is_staff=True, is_superuser=True)
        payments_services.order_refund(
            order=order,
            amount_cents=order.refundable_cents,
            reason="Changed plans",
            actor=boss,
            idempotency_token="full",
        )
    elif name == "staff":
        person.is_staff = True
        person.save(update_fields=["is_staff"])
    return person
