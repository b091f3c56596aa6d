"""Races on PostgreSQL with real threads: the last seat, freed seats, reminders."""

from datetime import timedelta

import pytest
from django.db import connection

from tests.coaching.factories import CoachFactory
from tests.payments.test_concurrency import run_together
from tests.webinars.conftest import perk_member
from tests.webinars.factories import WebinarFactory
from webinars import services as services
from webinars.models import Webinar, WebinarRegistration

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency tests need PostgreSQL (SQLite serialises every writer)")


def test_fifty_people_racing_for_the_last_seat_give_one_seat_and_forty_nine_waiting(mailoutbox):
    webinar = WebinarFactory(host=CoachFactory(), capacity=3)
    for _ in range(2):
        services.webinar_register(webinar=webinar, member=perk_member())
    racers = [perk_member() for _ in range(50)]
    mailoutbox.clear()

    results = run_together(
        *[lambda m=m: services.webinar_register(webinar=webinar, member=m) for m in racers]
    )

    statuses = sorted(r.status for r in results)
    assert statuses.count("registered") == 1
    assert statuses.count("waitlisted") == 49
    webinar.refresh_from_db()
    assert webinar.seats_taken == webinar.capacity == 3
    assert webinar.registrations.registered().count() == 3
    assert len(mailoutbox) == 50
    assert sum(m.subject.startswith("Your seat") for m in mailoutbox) == 1


def test_racing_cancellations_promote_each_waiting_person_once(mailoutbox):
    webinar = WebinarFactory(host=CoachFactory(), capacity=3)
    holders = [perk_member() for _ in range(3)]
    seats = [services.webinar_register(webinar=webinar, member=m) for m in holders]
    waiting = [perk_member() for _ in range(5)]
    for person in waiting:
        services.webinar_register(webinar=webinar, member=person)
    mailoutbox.clear()

    # Each holder cancels twice at once (a double click), all at the same moment.
    run_together(
        *[
            lambda seat=seat, holder=holder: services.registration_cancel(
                registration=seat, actor=holder
            )
            for seat, holder in zip(seats, holders, strict=True)
            for _ in range(2)
        ]
    )

    status = dict(
        WebinarRegistration.objects.filter(member__in=waiting).values_list("member_id", "status")
    )
    assert [status[p.pk] for p in waiting] == ["registered"] * 3 + ["waitlisted"] * 2
    promoted = [m.to[0] for m in mailoutbox if m.subject.startswith("A seat is yours")]
    assert sorted(promoted) == sorted(p.email for p in waiting[:3])
    webinar.refresh_from_db()
    assert webinar.seats_taken == 3


def test_reminder_jobs_running_at_once_send_each_reminder_once(mailoutbox, time_machine):
    webinar = WebinarFactory(host=CoachFactory())
    attendees = [perk_member() for _ in range(5)]
    for person in attendees:
        services.webinar_register(webinar=webinar, member=person)
    mailoutbox.clear()
    time_machine.move_to(webinar.start - timedelta(hours=23), tick=False)

    sent = run_together(*[services.webinar_registrations_send_reminders for _ in range(6)])

    assert sum(sent) == 5
    assert sorted(m.to[0] for m in mailoutbox) == sorted(p.email for p in attendees)
    assert (
        Webinar.objects.get(pk=webinar.pk)
        .registrations.filter(reminder_24h_sent_at__isnull=True)
        .count()
        == 0
    )
