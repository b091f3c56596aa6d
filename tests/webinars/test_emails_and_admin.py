"""Reminders exactly once under time travel; staff create, move, cancel and export in the admin;
the hosts' calendar feed; the attendee's dashboard."""

import csv
import io
from datetime import timedelta

import pytest
from django.test import Client

from booking.models import CoachSchedule
from core.calendars import parse
from tests.accounts.factories import BuyerFactory
from tests.booking.factories import BookingFactory
from tests.coaching.factories import CoachFactory
from tests.webinars.conftest import START, perk_member, queries_stay_constant
from tests.webinars.factories import WebinarFactory
from webinars import services as services
from webinars import tasks as webinar_tasks
from webinars.models import Webinar

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def run_reminders(capture, time_machine, at):
    time_machine.move_to(at, tick=False)
    with capture(execute=True):
        return webinar_tasks.send_reminders()


# --- reminders -------------------------------------------------------------------------------


def test_each_attendee_is_reminded_24_hours_and_1_hour_before_exactly_once(
    webinar, member, mailoutbox, django_capture_on_commit_callbacks, time_machine
):
    services.webinar_register(webinar=webinar, member=member)
    waiting_elsewhere = perk_member()
    services.webinar_register(webinar=WebinarFactory(capacity=1, host=webinar.host), member=member)
    mailoutbox.clear()

    def run(at):
        return run_reminders(django_capture_on_commit_callbacks, time_machine, at)

    assert run(START - timedelta(hours=25)) == 0
    assert run(START - timedelta(hours=23, minutes=58)) == 1
    assert run(START - timedelta(hours=23, minutes=53)) == 0
    assert run(START - timedelta(minutes=58)) == 1
    assert run(START - timedelta(minutes=53)) == 0
    assert run(START + timedelta(minutes=5)) == 0

    subjects = [mail.subject for mail in mailoutbox]
    assert subjects == [
        "Reminder: Your CaRMS interview season in 24 hours",
        "Reminder: Your CaRMS interview season in 1 hour",
    ]
    assert all(mail.to == [member.email] for mail in mailoutbox)
    assert waiting_elsewhere.email not in {m.to[0] for m in mailoutbox}
    assert webinar.join_url not in mailoutbox[-1].body  # the page releases it


def test_a_late_job_sends_only_the_one_hour_reminder(
    webinar, member, mailoutbox, django_capture_on_commit_callbacks, time_machine
):
    services.webinar_register(webinar=webinar, member=member)
    mailoutbox.clear()
    at = START - timedelta(minutes=40)
    assert run_reminders(django_capture_on_commit_callbacks, time_machine, at) == 1
    assert run_reminders(django_capture_on_commit_callbacks, time_machine, at) == 0
    assert [m.subject for m in mailoutbox] == [
        "Reminder: Your CaRMS interview season in 40 minutes"
    ]


def test_registering_inside_a_reminders_lead_counts_the_confirmation_as_that_reminder(
    webinar, member, mailoutbox, django_capture_on_commit_callbacks, time_machine
):
    time_machine.move_to(START - timedelta(hours=5), tick=False)
    services.webinar_register(webinar=webinar, member=member)
    mailoutbox.clear()
    assert (
        run_reminders(django_capture_on_commit_callbacks, time_machine, START - timedelta(hours=4))
        == 0
    )
    assert (
        run_reminders(
            django_capture_on_commit_callbacks, time_machine, START - timedelta(minutes=50)
        )
        == 1
    )


def test_cancelled_registrations_and_webinars_get_no_reminders(
    webinar, member, staff, mailoutbox, django_capture_on_commit_callbacks, time_machine
):
    registration = services.webinar_register(webinar=webinar, member=member)
    services.registration_cancel(registration=registration, actor=member)
    other = WebinarFactory(host=webinar.host, start=START, end=START + timedelta(hours=1))
    services.webinar_register(webinar=other, member=member)
    services.webinar_cancel(webinar=other, actor=staff, reason="Host unwell")
    mailoutbox.clear()
    assert (
        run_reminders(
            django_capture_on_commit_callbacks, time_machine, START - timedelta(minutes=30)
        )
        == 0
    )
    assert mailoutbox == []


# --- staff: move, cancel, export ------------------------------------------------------------


def test_moving_a_webinar_emails_every_attendee_an_updated_invite_and_reminds_again(
    webinar, member, staff, mailoutbox, django_capture_on_commit_callbacks, time_machine
):
    registration = services.webinar_register(webinar=webinar, member=member)
    waiting = perk_member()
    run_reminders(django_capture_on_commit_callbacks, time_machine, START - timedelta(hours=23))
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.webinar_move(
            webinar=webinar,
            actor=staff,
            start=START + timedelta(days=2),
            end=START + timedelta(days=2, hours=1),
        )

    (mail,) = mailoutbox
    assert mail.to == [member.email] and mail.subject.startswith("New time")
    event = parse(mail.attachments[0][1]).walk("VEVENT")[0]
    assert str(event["uid"]) == registration.uid  # the same event, updated
    assert event["sequence"] == 1
    assert event.decoded("dtstart") == START + timedelta(days=2)
    registration.refresh_from_db()
    assert registration.reminder_24h_sent_at is None
    assert waiting.email not in mail.to


def test_cancelling_a_webinar_sends_a_cancel_invite_and_frees_every_seat(
    webinar, member, staff, mailoutbox, django_capture_on_commit_callbacks
):
    registration = services.webinar_register(webinar=webinar, member=member)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.webinar_cancel(webinar=webinar, actor=staff, reason="Host unwell")
        services.webinar_cancel(webinar=webinar, actor=staff, reason="Again")  # no-op

    (mail,) = mailoutbox
    assert mail.subject == "Cancelled: Your CaRMS interview season"
    calendar = parse(mail.attachments[0][1])
    assert str(calendar["method"]) == "CANCEL"
    event = calendar.walk("VEVENT")[0]
    assert str(event["uid"]) == registration.uid
    assert str(event["status"]) == "CANCELLED" and event["sequence"] == 1
    webinar.refresh_from_db()
    assert (webinar.status, webinar.seats_taken) == ("cancelled", 0)
    assert "Host unwell" in mail.body


def test_only_staff_may_create_move_or_cancel(webinar, member, host):
    for actor in (member, host.user):
        with pytest.raises(services.WebinarForbidden):
            services.webinar_cancel(webinar=webinar, actor=actor, reason="x")
        with pytest.raises(services.WebinarForbidden):
            services.webinar_move(webinar=webinar, actor=actor, start=START, end=START)


def test_capacity_cannot_drop_below_the_seats_taken_and_more_seats_go_to_the_waitlist(
    host, now, staff
):
    small = WebinarFactory(host=host, capacity=1)
    holder, waiting = perk_member(), perk_member()
    services.webinar_register(webinar=small, member=holder)
    services.webinar_register(webinar=small, member=waiting)
    with pytest.raises(services.WebinarError, match="cannot be less"):
        services.webinar_update(webinar=small, actor=staff, capacity=0)
    services.webinar_update(webinar=small, actor=staff, capacity=2)
    assert small.registrations.get(member=waiting).status == "registered"


def admin_form(coach, **overrides):
    data = {
        "title": "Personal statements that work",
        "description": "Live Q&A.",
        "host": str(coach.pk),
        "audience": "members",
        "capacity": "30",
        "join_url": "https://meet.example.com/ps",
        "start": "2027-03-17T19:00",
        "end": "2027-03-17T20:00",
    }
    data.update(overrides)
    return data


def test_staff_create_a_webinar_in_the_hosts_time_and_move_it_in_the_admin(
    host, now, staff, member, mailoutbox, django_capture_on_commit_callbacks
):
    client = client_for(staff)
    response = client.post("/admin/webinars_admin/new/", admin_form(host))
    assert response.status_code == 302, response.content.decode()[:2000]
    webinar = Webinar.objects.get()
    assert webinar.start == START  # 19:00 Toronto typed, 23:00 UTC stored
    services.webinar_register(webinar=webinar, member=member)
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/admin/webinars_admin/edit/{webinar.pk}/",
            admin_form(host, start="2027-03-18T19:00", end="2027-03-18T20:30"),
        )
    assert response.status_code == 302
    webinar.refresh_from_db()
    assert webinar.start == START + timedelta(days=1) and webinar.sequence == 1
    assert [m.subject for m in mailoutbox] == ["New time: Personal statements that work"]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"start": "0001-01-01T00:00"}, "between 1900 and 2199"),
        ({"start": "9999-12-31T23:59"}, "between 1900 and 2199"),
        ({"end": "2027-03-17T18:00"}, "after the start"),
        ({"end": "2027-03-18T19:00"}, "at most 8 hours"),
        ({"capacity": "0"}, "greater than or equal to 1"),
        ({"capacity": "100000"}, "less than or equal to 1000"),
        ({"join_url": "javascript:alert(1)"}, "Enter a valid URL"),
        ({"host": "999999"}, "Select a valid choice"),
    ],
)
def test_bad_admin_input_is_a_form_error_and_nothing_is_written(
    host, now, staff, overrides, message
):
    response = client_for(staff).post("/admin/webinars_admin/new/", admin_form(host, **overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Webinar.objects.exists()


def test_staff_cancel_on_the_manage_page_and_export_attendees_with_formulas_escaped(
    webinar, staff, mailoutbox, django_capture_on_commit_callbacks
):
    sneaky = perk_member(display_name='=HYPERLINK("http://evil.example","x")')
    services.webinar_register(webinar=webinar, member=sneaky)
    plus = perk_member(display_name="+1+cmd")
    services.webinar_register(webinar=webinar, member=plus)
    client = client_for(staff)

    response = client.get(f"/admin/webinar-staff/{webinar.public_id}/attendees.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["Name", "Email", "Time zone", "Status"]
    names = {row[0] for row in rows[1:]}
    assert names == {'\'=HYPERLINK("http://evil.example","x")', "'+1+cmd"}

    page = client.get(f"/admin/webinar-staff/{webinar.public_id}/")
    assert page.status_code == 200 and "Export attendees" in page.content.decode()
    assert (
        client.post(f"/admin/webinar-staff/{webinar.public_id}/", {"reason": ""}).status_code == 400
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/webinar-staff/{webinar.public_id}/", {"reason": "Ill"})
    assert response.status_code == 302
    webinar.refresh_from_db()
    assert webinar.is_cancelled
    assert sorted(m.to[0] for m in mailoutbox) == sorted([sneaky.email, plus.email])


def test_the_staff_pages_are_for_staff_only(webinar, member, host):
    for person in (member, host.user):
        client = client_for(person)
        assert client.get(
            f"/admin/webinar-staff/{webinar.public_id}/attendees.csv"
        ).status_code in (302, 403)
        assert client.get(f"/admin/webinar-staff/{webinar.public_id}/").status_code in (302, 403)
    assert (
        Client().get(f"/admin/webinar-staff/{webinar.public_id}/attendees.csv").status_code == 302
    )


def test_webinars_are_never_deleted_in_the_admin(webinar, staff):
    response = client_for(staff).post(f"/admin/webinars_admin/delete/{webinar.pk}/")
    assert response.status_code in (302, 403)
    assert Webinar.objects.filter(pk=webinar.pk).exists()


# --- the hosts' feed, the dashboard ---------------------------------------------------------


def test_the_coach_feed_carries_sessions_and_hosted_webinars(webinar, host, staff):
    co_host = CoachFactory()
    webinar.co_hosts.add(co_host)
    BookingFactory(coach=host, start=START + timedelta(days=1))
    WebinarFactory(title="Someone else's")
    cancelled = WebinarFactory(host=host, title="Called off")
    services.webinar_cancel(webinar=cancelled, actor=staff, reason="No host")

    for coach, expected in ((host, 3), (co_host, 1)):
        schedule, _ = CoachSchedule.objects.get_or_create(coach=coach)
        response = Client().get(f"/coach/calendar/{schedule.calendar_token}.ics")
        assert response.status_code == 200
        events = parse(response.content).walk("VEVENT")
        assert len(events) == expected
        by_uid = {str(event["uid"]): event for event in events}
        event = by_uid[webinar.uid]
        assert str(event["summary"]) == "Webinar: Your CaRMS interview season"
        assert webinar.join_url in str(event["description"])
    assert str(by_uid.get(cancelled.uid, {}).get("status", "")) in ("", "CANCELLED")


def test_malformed_feed_tokens_are_404s():
    for token in ("a" * 300, "nope"):
        assert Client().get(f"/coach/calendar/{token}.ics").status_code == 404
    assert Client().get("/coach/calendar/%00.ics").status_code == 400  # the NUL-byte rule


def test_the_dashboard_lists_the_members_webinars_in_constant_queries(member, host, now):
    def add_one():
        services.webinar_register(webinar=WebinarFactory(host=CoachFactory()), member=member)

    html = queries_stay_constant(client_for(member), "/dashboard/", grow=add_one, times=3)
    assert html.count("The join link appears 15 minutes before the start.") == 4
    assert "Your webinars" in html


def test_the_dashboard_shows_the_join_button_when_the_link_opens(webinar, member, time_machine):
    services.webinar_register(webinar=webinar, member=member)
    time_machine.move_to(START - timedelta(minutes=10), tick=False)
    html = client_for(member).get("/dashboard/").content.decode()
    assert f'href="{webinar.join_url}"' in html


def test_people_without_webinars_see_no_webinars_section(db):
    html = client_for(BuyerFactory()).get("/dashboard/").content.decode()
    assert "Your webinars" not in html
