"""An entitlement's history (core.history): granted by a purchase or by staff, ended early with
a reason, on its admin page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from coaching.models import PerkKind
from members import services
from tests.history import actions, last

pytestmark = pytest.mark.django_db


def test_staff_grant_and_end_are_recorded_with_who_and_why(client, member, staff):
    now = timezone.now()
    row = services.entitlement_grant_by_staff(
        member=member,
        perk=PerkKind.RESOURCE_LIBRARY,
        starts_at=now,
        ends_at=now + timedelta(days=30),
        actor=staff,
        reason="Goodwill after a cancelled session",
    )
    services.entitlement_end(entitlement=row, actor=staff, reason="Granted by mistake")
    services.entitlement_end(entitlement=row, actor=staff, reason="Again")  # changes nothing
    assert actions(row) == ["granted_by_staff", "ended_early"]
    assert last(row).user == staff and last(row).data == {"reason": "Granted by mistake"}

    client.force_login(staff)
    page = client.get(f"/admin/entitlement/inspect/{row.pk}/").content.decode()
    assert "<strong>Granted by staff</strong>" in page and "Goodwill after a cancelled" in page


def test_a_purchase_grant_is_recorded_once_however_often_it_is_delivered(member):
    now = timezone.now()
    grant = {
        "member": member,
        "perk": PerkKind.RESOURCE_LIBRARY,
        "starts_at": now,
        "ends_at": now + timedelta(days=30),
        "source": "order-line:1:perk:resource_library",
    }
    row, _ = services.entitlement_grant(**grant)
    services.entitlement_grant(**grant)
    assert actions(row) == ["granted"]
    assert last(row).data == {"source": "order-line:1:perk:resource_library"}
