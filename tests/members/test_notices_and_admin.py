"""Expiry notices (exactly once, only for the row that ends last), staff screens, past orders."""

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.utils import timezone

from coaching.models import PerkKind
from members import services
from members.models import Entitlement
from payments.models import LineKind, OrderLine, OrderStatus
from tests.payments.factories import BuyerFactory, OrderFactory


def grant(member, perk=PerkKind.SCHOOL_GUIDE, *, days, source):
    now = timezone.now()
    row, _ = services.entitlement_grant(
        member=member, perk=perk, starts_at=now, ends_at=now + timedelta(days=days), source=source
    )
    return row


@pytest.mark.django_db
def test_thirty_and_seven_day_notices_go_out_exactly_once(
    member, time_machine, mailoutbox, django_capture_on_commit_callbacks
):
    time_machine.move_to(timezone.now())
    grant(member, days=60, source="a")

    def run():
        with django_capture_on_commit_callbacks(execute=True):
            return services.entitlements_send_expiry_notices()

    assert run() == 0
    time_machine.shift(timedelta(days=31))  # 29 days left
    assert (run(), run()) == (1, 0)
    time_machine.shift(timedelta(days=23))  # 6 days left
    assert (run(), run()) == (1, 0)
    time_machine.shift(timedelta(days=7))  # ended
    assert run() == 0

    assert len(mailoutbox) == 2
    assert all("school guide" in mail.subject for mail in mailoutbox)
    assert "/dashboard/" in mailoutbox[0].body


@pytest.mark.django_db
def test_no_notice_while_another_row_covers_later(member, time_machine, mailoutbox):
    time_machine.move_to(timezone.now())
    grant(member, days=20, source="short")
    grant(member, days=200, source="long")
    grant(member, perk=PerkKind.WEBINARS, days=5, source="webinars")

    sent = services.entitlements_send_expiry_notices()

    assert sent == 1  # only the webinars row: the guide is covered until day 200
    row = Entitlement.objects.get(source="webinars")
    assert row.notice_7d_sent_at and row.notice_30d_sent_at  # a late job sends one email


@pytest.mark.django_db
def test_ended_rows_get_no_notice(member, staff):
    row = grant(member, days=5, source="x")
    services.entitlement_end(entitlement=row, actor=staff, reason="Refund by hand")
    assert services.entitlements_send_expiry_notices() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["anonymous", "applicant", "editor"])
def test_only_staff_reach_the_entitlement_admin(client, member, who):
    row = grant(member, days=5, source="x")
    if who != "anonymous":
        user = member if who == "applicant" else _editor()
        client.force_login(user)
    for url in (
        "/admin/entitlement/",
        "/admin/entitlement/new/",
        f"/admin/entitlement/inspect/{row.pk}/",
    ):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        if response.status_code == 302:
            assert "/login" in response["Location"] or response["Location"] == "/admin/"
    response = client.post(f"/admin/entitlement/inspect/{row.pk}/", {"reason": "x"})
    assert response.status_code in (302, 403)
    row.refresh_from_db()
    assert row.ended_early_at is None


def _editor():
    from django.contrib.auth.models import Group

    editor = BuyerFactory(email="ed@example.com", is_staff=True)
    editor.groups.add(*Group.objects.filter(name__in=["Editors", "Moderators"]))
    return editor


@pytest.mark.django_db
def test_staff_grant_and_end_through_the_admin(client, member, staff):
    client.force_login(staff)
    response = client.post(
        "/admin/entitlement/new/",
        {
            "member_email": member.email.upper(),
            "perk": PerkKind.PRACTICE_TESTS,
            "starts_at": "2026-01-01 09:00",
            "ends_at": "2027-01-01 09:00",
            "grant_reason": "Scholarship",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    row = Entitlement.objects.get()
    assert (row.member, row.granted_by, row.grant_reason) == (member, staff, "Scholarship")

    assert client.post(f"/admin/entitlement/inspect/{row.pk}/", {"reason": ""}).status_code == 400
    assert (
        client.post(f"/admin/entitlement/inspect/{row.pk}/", {"reason": "Misuse"}).status_code
        == 302
    )
    row.refresh_from_db()
    assert (row.ended_early_by, row.end_reason) == (staff, "Misuse")
    assert client.get("/admin/entitlement/").status_code == 200
    assert client.get(f"/admin/entitlement/edit/{row.pk}/").status_code in (302, 403)


@pytest.mark.django_db
def test_admin_grant_with_unknown_email_or_reversed_dates_is_a_form_error(client, staff):
    client.force_login(staff)
    data = {
        "member_email": "nobody@example.com",
        "perk": PerkKind.PRACTICE_TESTS,
        "starts_at": "2027-01-01 09:00",
        "ends_at": "2026-01-01 09:00",
        "grant_reason": "x",
    }
    response = client.post("/admin/entitlement/new/", data)
    assert response.status_code == 200
    assert b"No account has this email address." in response.content
    assert Entitlement.objects.count() == 0


@pytest.mark.django_db
def test_past_paid_orders_get_their_entitlements_once(member, perk_package):
    paid = OrderFactory(buyer=member, paid=True, line=False)
    refunded = OrderFactory(buyer=member, refunded=True, paid_at=timezone.now(), line=False)
    for order in (paid, refunded):
        OrderLine.objects.create(
            order=order,
            kind=LineKind.PACKAGE,
            package=perk_package,
            name=perk_package.name,
            unit_price_cents=perk_package.price_cents,
            validity_months=6,
        )
    migration = importlib.import_module("payments.migrations.0004_entitlements_for_past_orders")

    migration.grant_past_entitlements(apps, None)
    migration.grant_past_entitlements(apps, None)

    rows = Entitlement.objects.filter(member=member)
    assert sorted(rows.values_list("perk", flat=True)) == [
        PerkKind.QUESTION_BANK,
        PerkKind.SCHOOL_GUIDE,
    ]
    assert {row.source for row in rows} == set(paid.lines.get().entitlement_sources())
    assert refunded.status == OrderStatus.REFUNDED
