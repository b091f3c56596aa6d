"""Calendar files from plain values: what a webinar or a booking invite is made of."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from core.calendars import (
    PRODID,
    CalendarPerson,
    calendar_event,
    calendar_feed,
    calendar_invite,
    parse,
)

START = datetime(2027, 3, 3, 10, 0, tzinfo=ZoneInfo("America/Toronto"))
END = datetime(2027, 3, 3, 11, 30, tzinfo=ZoneInfo("America/Toronto"))
ANN = CalendarPerson(email="ann@example.com", name="Ann Lee")


def event(**overrides):
    values = {
        "uid": "webinar-42@medpath",
        "sequence": 2,
        "start": START,
        "end": END,
        "summary": "CASPer webinar",
        "description": "Bring questions.",
        "location": "https://meet.example/w",
        "url": "https://meet.example/w",
        "attendees": [ANN],
    }
    return calendar_event(**{**values, **overrides})


def test_invite_carries_method_uid_sequence_and_utc_times(settings):
    settings.DEFAULT_FROM_EMAIL = "MedPath Team <team@medpath.example>"
    cal = parse(calendar_invite(event()))
    assert str(cal["prodid"]) == PRODID and str(cal["version"]) == "2.0"
    assert str(cal["method"]) == "REQUEST"
    (vevent,) = cal.walk("VEVENT")
    assert str(vevent["uid"]) == "webinar-42@medpath"
    assert int(vevent["sequence"]) == 2
    assert vevent.decoded("dtstart") == datetime(2027, 3, 3, 15, 0, tzinfo=UTC)
    assert vevent.decoded("dtend") == datetime(2027, 3, 3, 16, 30, tzinfo=UTC)
    assert str(vevent["summary"]) == "CASPer webinar"
    assert str(vevent["description"]) == "Bring questions."
    assert str(vevent["location"]) == str(vevent["url"]) == "https://meet.example/w"
    assert str(vevent["status"]) == "CONFIRMED"
    assert str(vevent["organizer"]) == "mailto:team@medpath.example"
    assert str(vevent["organizer"].params["cn"]) == "MedPath Team"
    attendee = vevent["attendee"]
    assert str(attendee) == "mailto:ann@example.com"
    assert str(attendee.params["cn"]) == "Ann Lee"
    assert str(attendee.params["role"]) == "REQ-PARTICIPANT"


def test_cancellation_is_method_cancel_with_status_cancelled():
    cal = parse(calendar_invite(event(sequence=3, cancelled=True), method="CANCEL"))
    assert str(cal["method"]) == "CANCEL"
    (vevent,) = cal.walk("VEVENT")
    assert str(vevent["status"]) == "CANCELLED" and int(vevent["sequence"]) == 3


def test_event_without_place_or_description_omits_them_and_names_its_organizer():
    organizer = CalendarPerson(email="host@example.com", name="Dr. Host")
    vevent = event(location="", url="", description="", organizer=organizer, attendees=[])
    assert "location" not in vevent and "url" not in vevent and "description" not in vevent
    assert "attendee" not in vevent
    assert str(vevent["organizer"]) == "mailto:host@example.com"


def test_feed_has_a_name_a_refresh_interval_no_method_and_every_event():
    ics = calendar_feed(
        name="MedPath webinars",
        events=[event(uid="a@medpath"), event(uid="b@medpath")],
        refresh="PT1H",
    )
    cal = parse(ics)
    assert "method" not in cal
    assert str(cal["x-wr-calname"]) == "MedPath webinars"
    assert str(cal["x-published-ttl"]) == "PT1H"
    assert [str(e["uid"]) for e in cal.walk("VEVENT")] == ["a@medpath", "b@medpath"]
