"""Webinars left `members` for their own app without touching the data: a database migrated
before the move keeps every webinar, registration, co-host and permission after it."""

from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.accounts.factories import BuyerFactory
from tests.coaching.factories import CoachFactory
from webinars.models import Webinar, WebinarRegistration

BEFORE = [("members", "0004_webinars"), ("webinars", None)]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state([t for t in targets if t[1] is not None]).apps


def _leaf_nodes():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_a_database_migrated_before_the_move_keeps_every_webinar_and_registration():
    after = _leaf_nodes()
    host, co_host, member = CoachFactory(), CoachFactory(), BuyerFactory()
    old = _migrate(BEFORE)
    OldWebinar = old.get_model("members", "Webinar")
    OldRegistration = old.get_model("members", "WebinarRegistration")
    webinars = [
        OldWebinar.objects.create(
            public_id=f"webinar{n}",
            title=f"CaRMS file review, part {n}",
            start=datetime(2027, 3, 17, 23, n, tzinfo=UTC),
            end=datetime(2027, 3, 18, 0, n, tzinfo=UTC),
            capacity=20,
            seats_taken=1 if n == 1 else 0,
            host_id=host.pk,
        )
        for n in (1, 2)
    ]
    webinars[0].co_hosts.add(co_host.pk)
    OldRegistration.objects.create(
        public_id="seat1",
        webinar=webinars[0],
        member_id=member.pk,
        status="registered",
        registered_at=datetime(2027, 3, 1, tzinfo=UTC),
    )
    OldRegistration.objects.create(
        public_id="wait1",
        webinar=webinars[1],
        member_id=member.pk,
        status="cancelled",
        cancel_reason="Clinic shift",
        cancelled_at=datetime(2027, 3, 2, tzinfo=UTC),
    )
    before_rows = sorted(OldWebinar.objects.values_list("public_id", "title", "start", "host_id"))
    before_seats = sorted(
        OldRegistration.objects.values_list(
            "public_id", "webinar__public_id", "status", "cancel_reason"
        )
    )

    _migrate(after)

    assert (
        sorted(Webinar.objects.values_list("public_id", "title", "start", "host_id")) == before_rows
    )
    assert (
        sorted(
            WebinarRegistration.objects.values_list(
                "public_id", "webinar__public_id", "status", "cancel_reason"
            )
        )
        == before_seats
    )
    assert list(Webinar.objects.get(public_id="webinar1").co_hosts.all()) == [co_host]
    assert not ContentType.objects.filter(app_label="members", model__startswith="webinar").exists()
    granted = Group.objects.get(name="Coaching staff").permissions.filter(
        content_type__app_label="webinars"
    )
    assert set(granted.values_list("codename", flat=True)) == {
        "add_webinar",
        "change_webinar",
        "view_webinar",
        "export_webinar_attendees",
        "view_webinarregistration",
    }
