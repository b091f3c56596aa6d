"""The dashboard's "Your membership": each perk with its end date, no link to a missing page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from coaching.models import PerkKind
from members import services


def _grant(member, perk, days):
    now = timezone.now()
    services.entitlement_grant(
        member=member,
        perk=perk,
        starts_at=now,
        ends_at=now + timedelta(days=days),
        source=f"test:{perk}:{days}",
    )


@pytest.mark.django_db
def test_dashboard_lists_each_perk_until_its_latest_end(client, member):
    _grant(member, PerkKind.SCHOOL_GUIDE, 100)
    _grant(member, PerkKind.SCHOOL_GUIDE, 200)
    _grant(member, PerkKind.WEBINARS, 10)
    client.force_login(member)

    response = client.get("/dashboard/")

    assert response.status_code == 200
    rows = {row.label: row for row in response.context["membership"]}
    assert set(rows) == {PerkKind.SCHOOL_GUIDE.label, PerkKind.WEBINARS.label}
    guide = rows[PerkKind.SCHOOL_GUIDE.label]
    assert guide.until.date() == (timezone.now() + timedelta(days=200)).date()
    assert not guide.ending_soon
    assert rows[PerkKind.WEBINARS.label].ending_soon
    html = response.content.decode()
    assert "Your membership" in html
    assert "Ends soon" in html


@pytest.mark.django_db
def test_a_perk_links_only_to_a_page_that_exists(client, member, monkeypatch):
    from medpath import membership

    _grant(member, PerkKind.SCHOOL_GUIDE, 100)
    _grant(member, PerkKind.PRACTICE_TESTS, 100)
    _grant(member, PerkKind.WEBINARS, 100)
    client.force_login(member)

    rows = {row.label: row.url for row in client.get("/dashboard/").context["membership"]}
    assert rows[PerkKind.SCHOOL_GUIDE.label] == "/members/schools/"
    assert rows[PerkKind.PRACTICE_TESTS.label] == "/practice/"
    assert rows[PerkKind.WEBINARS.label] == "/webinars/"

    # A perk whose app is not installed (its URL name does not resolve) shows no link.
    monkeypatch.setitem(membership.PERK_PAGES, PerkKind.WEBINARS, "not-installed:index")
    rows = {row.label: row.url for row in client.get("/dashboard/").context["membership"]}
    assert rows[PerkKind.WEBINARS.label] is None
    assert 'Open<span class="visually-hidden"> ' + PerkKind.WEBINARS.label not in (
        client.get("/dashboard/").content.decode()
    )


@pytest.mark.django_db
def test_no_perks_offers_the_packages(client, member):
    client.force_login(member)
    response = client.get("/dashboard/")
    assert response.status_code == 200
    assert response.context["membership"] == []
    assert "No membership perks yet." in response.content.decode()


@pytest.mark.django_db
def test_demo_member_holds_every_perk_kind(offline):  # noqa: F811
    from coaching import demo as coaching_demo
    from medpath.accounts import demo as accounts_demo
    from members.access import member_perks
    from payments import demo as payments_demo

    accounts_demo.load()
    coaching_demo.load()
    payments_demo.load()

    from django.contrib.auth import get_user_model

    applicant = get_user_model().objects.get(email="applicant@example.com")
    assert list(member_perks(applicant)) == PerkKind.values
