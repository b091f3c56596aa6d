"""Racing fulfilments grant each perk once (PostgreSQL, real threads)."""

import importlib

import pytest
from django.db import connection

from coaching.models import PerkKind
from members.models import Entitlement
from payments import services as payments_services
from tests.payments.test_concurrency import run_together

pytestmark = pytest.mark.postgres


@pytest.mark.django_db(transaction=True)
def test_racing_fulfilments_grant_each_perk_once(member, perk_package, fake_stripe):
    if connection.vendor != "postgresql":
        pytest.skip("concurrency tests need PostgreSQL (SQLite serialises every writer)")
    order = payments_services.checkout_start_package(
        buyer=member, package=perk_package, base_url="http://testserver"
    )
    fake_stripe.pay(order.stripe_checkout_session_id)

    run_together(
        *[
            lambda: payments_services.order_fulfil(session_id=order.stripe_checkout_session_id)
            for _ in range(6)
        ]
    )

    assert sorted(Entitlement.objects.values_list("perk", flat=True)) == [
        PerkKind.QUESTION_BANK,
        PerkKind.SCHOOL_GUIDE,
    ]


@pytest.mark.django_db(transaction=True)
def test_racing_grants_with_one_source_make_one_row(member):
    if connection.vendor != "postgresql":
        pytest.skip("concurrency tests need PostgreSQL (SQLite serialises every writer)")
    from datetime import timedelta

    from django.utils import timezone

    from members import services

    now = timezone.now()
    results = run_together(
        *[
            lambda: services.entitlement_grant(
                member=member,
                perk=PerkKind.WEBINARS,
                starts_at=now,
                ends_at=now + timedelta(days=1),
                source="order-line:1:perk:webinars",
            )
            for _ in range(20)
        ]
    )
    assert Entitlement.objects.count() == 1
    assert sum(created for _, created in results) == 1


def test_old_perk_texts_map_to_kinds():
    migration = importlib.import_module("coaching.migrations.0003_perk_kinds")
    assert migration.kind_for("Canadian MD school guide") == PerkKind.SCHOOL_GUIDE
    assert migration.kind_for("Application revisions for the package term") == (
        PerkKind.APPLICATION_REVISIONS
    )
    assert migration.kind_for("CASPer practice tests") == PerkKind.PRACTICE_TESTS
    assert migration.kind_for("Mock interview question bank") == PerkKind.QUESTION_BANK
    assert migration.kind_for("Live webinars and recordings") == PerkKind.WEBINARS
    assert migration.kind_for("E-books and resources") == PerkKind.RESOURCE_LIBRARY
    assert migration.kind_for("A friendly coach") == ""
