"""Paying for a package grants its perks for the term; refunds and staff end them."""

from datetime import timedelta

import pytest
from django.utils import timezone

from coaching.models import PerkKind
from members import services
from members.access import has_perk, member_perks
from members.errors import EntitlementError
from members.models import Entitlement
from payments import services as payments_services
from tests.accounts.factories import BuyerFactory
from tests.members.area import buy

pytestmark = pytest.mark.usefixtures("offline")


@pytest.mark.django_db
def test_paying_grants_one_entitlement_per_perk_kind_for_the_package_term(member, perk_package):
    order = buy(member, perk_package)

    rows = Entitlement.objects.filter(member=member).order_by("perk")
    assert [row.perk for row in rows] == [PerkKind.QUESTION_BANK, PerkKind.SCHOOL_GUIDE]
    for row in rows:
        assert row.starts_at == order.paid_at
        assert row.ends_at == payments_services.add_months(order.paid_at, 6)
        assert order.reference in row.source_label
    assert has_perk(member, PerkKind.SCHOOL_GUIDE)
    assert not has_perk(BuyerFactory(), PerkKind.SCHOOL_GUIDE)
    assert not has_perk(member, PerkKind.WEBINARS)


@pytest.mark.django_db
def test_fulfilling_the_same_session_again_grants_nothing_twice(member, perk_package):
    order = buy(member, perk_package)
    payments_services.order_fulfil(session_id=order.stripe_checkout_session_id)
    # Even with the order's fulfilled mark gone, the grant is keyed by its source.
    line = order.lines.get()
    for perk in line.perks:
        services.entitlement_grant(
            member=member,
            perk=perk["kind"],
            starts_at=order.paid_at,
            ends_at=order.paid_at + timedelta(days=1),
            source=services.entitlement_source(line_id=line.pk, perk=perk["kind"]),
        )
    assert Entitlement.objects.filter(member=member).count() == 2


@pytest.mark.django_db
def test_editing_the_package_later_does_not_change_what_was_bought(member, perk_package):
    order = buy(member, perk_package)
    perk_package.perks.filter(kind=PerkKind.QUESTION_BANK).delete()

    line = order.lines.get()
    assert {perk["kind"] for perk in line.perks} == {PerkKind.SCHOOL_GUIDE, PerkKind.QUESTION_BANK}
    assert has_perk(member, PerkKind.QUESTION_BANK)


@pytest.mark.django_db
def test_a_second_purchase_extends_access_to_the_latest_end(member, perk_package, time_machine):
    time_machine.move_to(timezone.now())
    buy(member, perk_package)
    time_machine.shift(timedelta(days=90))
    second = buy(member, perk_package)

    perks = member_perks(_fresh(member))
    assert perks[PerkKind.SCHOOL_GUIDE].until == payments_services.add_months(second.paid_at, 6)
    assert Entitlement.objects.filter(member=member, perk=PerkKind.SCHOOL_GUIDE).count() == 2
    time_machine.shift(timedelta(days=100))  # past the first term, inside the second
    assert has_perk(_fresh(member), PerkKind.SCHOOL_GUIDE)


def _fresh(user):
    """A new user object, as the next request would have (the answer is cached per object)."""
    return type(user).objects.get(pk=user.pk)


@pytest.mark.django_db
def test_access_ends_with_the_term(member, perk_package, time_machine):
    time_machine.move_to(timezone.now())
    order = buy(member, perk_package)
    end = payments_services.add_months(order.paid_at, 6)
    time_machine.move_to(end - timedelta(seconds=1))
    assert has_perk(_fresh(member), PerkKind.SCHOOL_GUIDE)
    time_machine.move_to(end)
    assert not has_perk(_fresh(member), PerkKind.SCHOOL_GUIDE)


@pytest.mark.django_db
def test_full_refund_ends_the_orders_entitlements_and_partial_does_not(member, perk_package, staff):
    order = buy(member, perk_package)
    payments_services.order_refund(
        order=order, amount_cents=1000, reason="Goodwill", actor=staff, idempotency_token="p1"
    )
    assert has_perk(_fresh(member), PerkKind.SCHOOL_GUIDE)

    order.refresh_from_db()
    payments_services.order_refund(
        order=order,
        amount_cents=order.refundable_cents,
        reason="Changed plans",
        actor=staff,
        idempotency_token="f1",
    )

    assert not has_perk(_fresh(member), PerkKind.SCHOOL_GUIDE)
    for row in Entitlement.objects.filter(member=member):
        assert row.ended_early_at is not None
        assert row.ended_early_by == staff
        assert "Changed plans" in row.end_reason


@pytest.mark.django_db
def test_full_refund_of_one_order_leaves_another_orders_access(member, perk_package, staff):
    first = buy(member, perk_package)
    buy(member, perk_package)
    payments_services.order_refund(
        order=first,
        amount_cents=first.refundable_cents,
        reason="Bought twice",
        actor=staff,
        idempotency_token="f1",
    )
    assert has_perk(_fresh(member), PerkKind.SCHOOL_GUIDE)


@pytest.mark.django_db
def test_staff_grant_and_end_are_recorded_with_who_and_why(member, staff):
    now = timezone.now()
    row = services.entitlement_grant_by_staff(
        member=member,
        perk=PerkKind.WEBINARS,
        starts_at=now,
        ends_at=now + timedelta(days=30),
        actor=staff,
        reason="Scholarship",
    )
    assert (row.granted_by, row.grant_reason, row.source) == (staff, "Scholarship", "")
    assert has_perk(_fresh(member), PerkKind.WEBINARS)

    services.entitlement_end(entitlement=row, actor=staff, reason="Scholarship withdrawn")

    row.refresh_from_db()
    assert row.ended_early_by == staff
    assert row.end_reason == "Scholarship withdrawn"
    assert not has_perk(_fresh(member), PerkKind.WEBINARS)


@pytest.mark.django_db
def test_only_staff_grant_or_end_by_hand_and_a_reason_is_required(member, staff):
    now = timezone.now()
    kwargs = {
        "member": member,
        "perk": PerkKind.WEBINARS,
        "starts_at": now,
        "ends_at": now + timedelta(days=30),
    }
    with pytest.raises(EntitlementError):
        services.entitlement_grant_by_staff(**kwargs, actor=member, reason="Because")
    with pytest.raises(EntitlementError):
        services.entitlement_grant_by_staff(**kwargs, actor=staff, reason="  ")
    row = services.entitlement_grant_by_staff(**kwargs, actor=staff, reason="Because")
    with pytest.raises(EntitlementError):
        services.entitlement_end(entitlement=row, actor=member, reason="Nope")
    assert Entitlement.objects.get().ended_early_at is None


@pytest.mark.django_db
def test_access_checks_cost_one_query_however_many(member, perk_package, django_assert_num_queries):
    buy(member, perk_package)
    one, ten = _fresh(member), _fresh(member)
    with django_assert_num_queries(1):
        has_perk(one, PerkKind.SCHOOL_GUIDE)
    with django_assert_num_queries(1):
        for _ in range(2):
            for perk in PerkKind.values[:5]:
                has_perk(ten, perk)


@pytest.mark.django_db
def test_anonymous_visitors_hold_no_perk_and_cost_no_query(django_assert_num_queries):
    from django.contrib.auth.models import AnonymousUser

    with django_assert_num_queries(0):
        assert not has_perk(AnonymousUser(), PerkKind.SCHOOL_GUIDE)
