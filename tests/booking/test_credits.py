from datetime import timedelta

import pytest
from django.db import transaction
from django.db.transaction import TransactionManagementError

from booking import services
from booking.errors import CreditUnavailable
from booking.models import Credit
from tests.booking.factories import CreditFactory
from tests.coaching.factories import ServiceFactory

pytestmark = pytest.mark.django_db


def test_granting_the_same_source_twice_returns_the_first_credit_unchanged(applicant, service, now):
    first = services.credits_grant(
        applicant=applicant,
        service=service,
        quantity=2,
        expires_at=now + timedelta(days=30),
        source="order-line:1",
        source_label="Interview Ready",
    )
    second = services.credits_grant(
        applicant=applicant,
        service=service,
        quantity=5,
        expires_at=now + timedelta(days=90),
        source="order-line:1",
    )
    assert second.pk == first.pk
    assert (second.quantity, second.remaining) == (2, 2)
    assert Credit.objects.count() == 1


def test_grant_losing_a_race_on_the_unique_source_returns_the_winner(
    applicant, service, now, monkeypatch
):
    winner = CreditFactory(applicant=applicant, service=service, source="order-line:7")
    # Simulate the other request inserting between our lookup and our insert.
    real_filter = Credit.objects.filter
    calls = {"n": 0}

    def filter_missing_first_time(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            return real_filter(pk=-1)
        return real_filter(*args, **kwargs)

    monkeypatch.setattr(Credit.objects, "filter", filter_missing_first_time)
    got = services.credits_grant(
        applicant=applicant,
        service=service,
        quantity=1,
        expires_at=now + timedelta(days=1),
        source="order-line:7",
    )
    assert got.pk == winner.pk


def test_usable_excludes_expired_frozen_revoked_and_used_up(applicant, service, now):
    good = CreditFactory(applicant=applicant, service=service)
    CreditFactory(applicant=applicant, service=service, expired=True)
    CreditFactory(applicant=applicant, service=service, frozen=True)
    CreditFactory(applicant=applicant, service=service, used_up=True)
    CreditFactory(applicant=applicant, service=service, revoked_at=now)
    assert list(Credit.objects.usable(now)) == [good]


def test_revoke_unused_zeroes_remaining_once(applicant, service, now):
    credit = CreditFactory(applicant=applicant, service=service, source="order-line:9")
    assert services.credits_revoke_unused(source="order-line:9", reason="Refunded") == 1
    assert services.credits_revoke_unused(source="order-line:9", reason="Refunded") == 0
    credit.refresh_from_db()
    assert credit.remaining == 0
    assert credit.revoked_at is not None
    assert credit.revoked_reason == "Refunded"


def test_freeze_and_unfreeze_toggle_usability(applicant, service, now):
    CreditFactory(applicant=applicant, service=service, source="order-line:3")
    assert services.credits_freeze(source="order-line:3", reason="Dispute opened") == 1
    assert services.credits_freeze(source="order-line:3", reason="Dispute opened") == 0
    assert not Credit.objects.usable(now).exists()
    assert services.credits_unfreeze(source="order-line:3") == 1
    assert Credit.objects.usable(now).exists()


def test_remaining_can_never_exceed_quantity(applicant, now):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        CreditFactory(applicant=applicant, service=ServiceFactory(), quantity=1, remaining=2)


def test_credit_spend_takes_the_soonest_expiring_usable_credit_once(applicant, service, now):
    CreditFactory(applicant=applicant, service=service, expired=True)
    CreditFactory(applicant=applicant, service=service, frozen=True)
    CreditFactory(applicant=applicant, service=service, used_up=True)
    later = CreditFactory(
        applicant=applicant, service=service, quantity=1, expires_at=now + timedelta(days=90)
    )
    sooner = CreditFactory(
        applicant=applicant, service=service, quantity=1, expires_at=now + timedelta(days=10)
    )
    CreditFactory(service=service)  # someone else's
    with transaction.atomic():
        spent = [services.credit_spend(applicant=applicant, service=service, now=now)]
        spent.append(services.credit_spend(applicant=applicant, service=service, now=now))
        with pytest.raises(CreditUnavailable):
            services.credit_spend(applicant=applicant, service=service, now=now)
    assert [credit.pk for credit in spent] == [sooner.pk, later.pk]
    assert [credit.remaining for credit in spent] == [0, 0]
    assert Credit.objects.get(pk=sooner.pk).remaining == 0


@pytest.mark.django_db(transaction=True)
def test_credit_spend_refuses_to_run_outside_the_callers_transaction(applicant, service, now):
    credit = CreditFactory(applicant=applicant, service=service)
    with pytest.raises(TransactionManagementError):
        services.credit_spend(applicant=applicant, service=service, now=now)
    credit.refresh_from_db()
    assert credit.remaining == credit.quantity
