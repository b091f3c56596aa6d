"""Registering for webinars: who may, seats and the waitlist, promotion, cancellation, refunds."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from coaching.models import PackagePerk, PerkKind
from core.calendars import parse
from members import services as entitlement_services
from members.models import Entitlement
from payments import services as payments_services
from tests.coaching.factories import PackageFactory
from tests.members.test_entitlements import buy
from tests.webinars.conftest import START, perk_member
from tests.webinars.factories import WebinarFactory, WebinarRegistrationFactory
from webinars import services as services
from webinars.errors import WebinarError, WebinarForbidden
from webinars.models import RegistrationStatus, Webinar, WebinarRegistration

pytestmark = pytest.mark.django_db


def register(webinar, person, capture):
    with capture(execute=True):
        return services.webinar_register(webinar=webinar, member=person)


def test_a_member_with_the_perk_takes_a_seat_and_gets_an_invite(
    webinar, member, mailoutbox, django_capture_on_commit_callbacks
):
    registration = register(webinar, member, django_capture_on_commit_callbacks)

    assert registration.status == RegistrationStatus.REGISTERED
    assert registration.entitlement == Entitlement.objects.get(member=member)
    webinar.refresh_from_db()
    assert (webinar.seats_taken, webinar.seats_left) == (1, 19)
    (mail,) = mailoutbox
    assert mail.subject == "Your seat: Your CaRMS interview season"
    name, ics, mimetype = mail.attachments[0]
    assert mimetype == "text/calendar; method=REQUEST"
    calendar = parse(ics)
    event = calendar.walk("VEVENT")[0]
    assert str(calendar["method"]) == "REQUEST"
    assert str(event["uid"]) == f"webinar-registration-{registration.public_id}@medpath"
    assert event.decoded("dtstart") == START
    # The invite carries the page, never the join link (released 15 minutes before).
    assert webinar.join_url not in ics
    assert webinar.join_url not in mail.body


def test_without_the_perk_a_members_webinar_is_refused(webinar, stranger):
    with pytest.raises(WebinarForbidden, match="for members"):
        services.webinar_register(webinar=webinar, member=stranger)
    assert not WebinarRegistration.objects.exists()


def test_a_free_webinar_takes_any_verified_account_but_not_an_unverified_one(
    host, now, stranger, unverified
):
    intro = WebinarFactory(host=host, free=True)
    assert services.webinar_register(webinar=intro, member=stranger).status == "registered"
    with pytest.raises(WebinarError, match="Confirm your email"):
        services.webinar_register(webinar=intro, member=unverified)
    assert intro.registrations.get().entitlement is None


def test_registering_twice_returns_the_same_registration(webinar, member):
    first = services.webinar_register(webinar=webinar, member=member)
    again = services.webinar_register(webinar=webinar, member=member)
    assert again.pk == first.pk
    assert WebinarRegistration.objects.count() == 1


def test_hosts_cannot_register_for_their_own_webinar(webinar, host):
    from members.models import Entitlement as Row

    Row.objects.create(
        member=host.user,
        perk=PerkKind.WEBINARS,
        starts_at=timezone.now() - timedelta(days=1),
        ends_at=timezone.now() + timedelta(days=9),
    )
    with pytest.raises(WebinarError, match="You host"):
        services.webinar_register(webinar=webinar, member=host.user)


def test_a_full_webinar_puts_people_on_the_waitlist_in_order(
    host, now, mailoutbox, django_capture_on_commit_callbacks
):
    small = WebinarFactory(host=host, capacity=1)
    first, second, third = (perk_member() for _ in range(3))
    register(small, first, django_capture_on_commit_callbacks)
    waiting = [register(small, p, django_capture_on_commit_callbacks) for p in (second, third)]

    assert [r.status for r in waiting] == ["waitlisted", "waitlisted"]
    assert mailoutbox[1].subject.startswith("On the waitlist")
    assert not mailoutbox[1].attachments  # no seat, no invite yet
    small.refresh_from_db()
    assert small.seats_taken == 1


def test_a_freed_seat_goes_to_the_first_person_waiting_who_is_emailed_once(
    host, now, mailoutbox, django_capture_on_commit_callbacks
):
    small = WebinarFactory(host=host, capacity=1)
    holder, first_waiting, second_waiting = (perk_member() for _ in range(3))
    seat = register(small, holder, django_capture_on_commit_callbacks)
    register(small, first_waiting, django_capture_on_commit_callbacks)
    register(small, second_waiting, django_capture_on_commit_callbacks)
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(registration=seat, actor=holder)
        services.registration_cancel(registration=seat, actor=holder)  # a double click

    statuses = dict(small.registrations.values_list("member__email", "status"))
    assert statuses == {
        holder.email: "cancelled",
        first_waiting.email: "registered",
        second_waiting.email: "waitlisted",
    }
    promoted = [m for m in mailoutbox if m.subject.startswith("A seat is yours")]
    assert [m.to for m in promoted] == [[first_waiting.email]]
    assert "method=REQUEST" in promoted[0].attachments[0][2]
    cancelled = [m for m in mailoutbox if m.to == [holder.email]]
    assert len(cancelled) == 1 and "method=CANCEL" in cancelled[0].attachments[0][2]
    assert parse(cancelled[0].attachments[0][1]).walk("VEVENT")[0]["sequence"] == 1
    small.refresh_from_db()
    assert small.seats_taken == 1


def test_the_waitlist_closes_at_the_start(host, now, staff, time_machine):
    small = WebinarFactory(host=host, capacity=1)
    holder, waiting = perk_member(), perk_member()
    seat = services.webinar_register(webinar=small, member=holder)
    services.webinar_register(webinar=small, member=waiting)

    time_machine.move_to(small.start + timedelta(minutes=1), tick=False)
    with pytest.raises(WebinarError, match="closed"):
        services.webinar_register(webinar=small, member=perk_member())
    with pytest.raises(WebinarError, match="has started"):
        services.registration_cancel(registration=seat, actor=holder)
    services.registration_cancel(registration=seat, actor=staff)  # staff may, nobody promoted

    assert small.registrations.get(member=waiting).status == "waitlisted"


def test_only_the_member_or_staff_may_cancel_a_registration(webinar, member, stranger):
    registration = services.webinar_register(webinar=webinar, member=member)
    with pytest.raises(WebinarForbidden):
        services.registration_cancel(registration=registration, actor=stranger)


def test_the_database_refuses_more_seats_than_capacity(webinar):
    WebinarRegistrationFactory.create_batch(2, webinar=webinar)
    with pytest.raises(IntegrityError), transaction.atomic():
        Webinar.objects.filter(pk=webinar.pk).update(seats_taken=webinar.capacity + 1)


def test_one_person_holds_at_most_one_live_registration_per_webinar(webinar, member):
    WebinarRegistrationFactory(webinar=webinar, member=member, cancelled=True)
    WebinarRegistrationFactory(webinar=webinar, member=member)
    with pytest.raises(IntegrityError), transaction.atomic():
        WebinarRegistrationFactory(webinar=webinar, member=member, waitlisted=True)


def test_a_registration_stays_when_the_perk_simply_lapses(webinar, member, time_machine):
    registration = services.webinar_register(webinar=webinar, member=member)
    Entitlement.objects.filter(member=member).update(ends_at=timezone.now() + timedelta(hours=1))
    time_machine.shift(timedelta(hours=2))
    services.webinars_after_entitlements_ended(rows=[], reason="nothing")

    registration.refresh_from_db()
    assert registration.status == "registered"


def test_cancelled_webinars_cannot_be_registered_for(host, now, member):
    with pytest.raises(WebinarError, match="cancelled"):
        services.webinar_register(webinar=WebinarFactory(host=host, cancelled=True), member=member)


# --- a full refund ---------------------------------------------------------------------------


@pytest.fixture
def webinar_package(db):
    package = PackageFactory(slug="webinar-package", name="Webinar package")
    PackagePerk.objects.create(package=package, kind=PerkKind.WEBINARS, text="Live webinars")
    return package


def refund_in_full(order, staff):
    payments_services.order_refund(
        order=order,
        amount_cents=order.refundable_cents,
        reason="Changed plans",
        actor=staff,
        idempotency_token=f"full-{order.pk}",
    )


@pytest.mark.usefixtures("offline")
def test_a_full_refund_cancels_upcoming_registrations_and_frees_the_seat(
    host, now, staff, stranger, webinar_package, mailoutbox, django_capture_on_commit_callbacks
):
    small = WebinarFactory(host=host, capacity=1)
    past = WebinarFactory(host=host, past=True)
    order = buy(stranger, webinar_package)
    seat = services.webinar_register(webinar=small, member=stranger)
    WebinarRegistrationFactory(
        webinar=past, member=stranger, entitlement=Entitlement.objects.get(member=stranger)
    )
    waiting = perk_member()
    services.webinar_register(webinar=small, member=waiting)
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        refund_in_full(order, staff)

    seat.refresh_from_db()
    assert seat.status == "cancelled" and "Changed plans" in seat.cancel_reason
    assert small.registrations.get(member=waiting).status == "registered"
    assert past.registrations.get().status == "registered"  # history is not rewritten
    assert any(m.to == [stranger.email] and "cancelled" in m.subject for m in mailoutbox)


@pytest.mark.usefixtures("offline")
def test_a_refund_keeps_registrations_another_purchase_still_covers(
    webinar, now, staff, stranger, webinar_package
):
    first = buy(stranger, webinar_package)
    registration = services.webinar_register(webinar=webinar, member=stranger)
    buy(stranger, webinar_package)

    refund_in_full(first, staff)

    registration.refresh_from_db()
    assert registration.status == "registered"
    assert registration.entitlement.ended_early_at is None


def test_staff_ending_the_perk_by_hand_leaves_registrations(webinar, member, staff):
    registration = services.webinar_register(webinar=webinar, member=member)
    entitlement_services.entitlement_end(
        entitlement=Entitlement.objects.get(member=member), actor=staff, reason="Mistake"
    )
    registration.refresh_from_db()
    assert registration.status == "registered"
