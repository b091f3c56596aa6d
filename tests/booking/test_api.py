"""The scheduling API: slots in the viewer's zone, bad input as 400s, bookings, permissions."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from booking.models import Booking
from tests.accounts.factories import UserFactory
from tests.booking.factories import (
    EVERY_DAY_9_TO_5,
    BookingFactory,
    CreditFactory,
    add_override,
    add_time_off,
    utc,
)
from tests.coaching.factories import CoachFactory, ServiceFactory

pytestmark = pytest.mark.django_db

TORONTO = ZoneInfo("America/Toronto")


def slots(client, **params):
    query = {
        "service": "strategy",
        "start": "2027-03-03",
        "end": "2027-03-03",
        "tz": "America/Toronto",
        **params,
    }
    return client.get("/api/v1/slots", query)


def all_slots(body):
    return [slot for day in body["days"] for slot in day["slots"]]


def test_slots_are_in_the_viewer_zone_with_the_coach_time_alongside(client, coach, now):
    response = slots(client, tz="Asia/Kolkata", start="2027-03-03", end="2027-03-04")
    assert response.status_code == 200
    body = response.json()
    assert [day["date"] for day in body["days"]] == ["2027-03-03", "2027-03-04"]
    # Tuesday afternoon in Toronto is already Wednesday in Kolkata: 13:30 Toronto = 00:00 IST.
    assert body["days"][0]["slots"][0]["start"] == "2027-03-03T00:00:00+05:30"
    # 09:00 Toronto (EST, UTC−5) on Wednesday is 19:30 in Kolkata.
    (first,) = [s for s in body["days"][0]["slots"] if s["start"] == "2027-03-03T19:30:00+05:30"]
    assert first["start"] == "2027-03-03T19:30:00+05:30"
    assert first["end"] == "2027-03-03T20:30:00+05:30"
    assert first["coach"] == {
        "slug": "priya",
        "name": coach.display_name,
        "time_zone": "America/Toronto",
    }
    assert first["coach_local_time"] == "09:00"
    assert first["coach_local_start"] == "2027-03-03T09:00:00-05:00"


def test_slots_are_grouped_by_the_viewer_local_date(client, coach, now):
    body = slots(client, tz="Asia/Kolkata", start="2027-03-04", end="2027-03-04").json()
    (day,) = body["days"]
    assert day["date"] == "2027-03-04"
    starts = [s["start"] for s in day["slots"]]
    assert all(s.startswith("2027-03-04T") for s in starts)
    # 13:30 Toronto Wednesday = 00:00 Thursday Kolkata: the first Thursday slot there.
    assert starts[0] == "2027-03-04T00:00:00+05:30"
    assert day["slots"][0]["coach_local_start"] == "2027-03-03T13:30:00-05:00"


def test_slots_in_a_quarter_hour_offset_zone(client, coach, now):
    body = slots(client, tz="Asia/Kathmandu").json()
    starts = [s["start"] for s in all_slots(body)]
    # 13:30 Tuesday in Toronto (18:30 UTC) is 00:15 Wednesday in Kathmandu.
    assert starts[0] == "2027-03-03T00:15:00+05:45"
    assert "2027-03-03T19:45:00+05:45" in starts  # 09:00 Wednesday in Toronto
    assert all(s.endswith("+05:45") for s in starts)


def test_a_zone_a_day_ahead_sees_the_coach_afternoon_on_its_next_date(client, coach, now):
    body = slots(client, tz="Pacific/Kiritimati", start="2027-03-04", end="2027-03-04").json()
    starts = [s["start"] for s in all_slots(body)]
    # 09:00 Toronto Wednesday = 14:00 UTC = 04:00 Thursday at UTC+14.
    assert starts[0] == "2027-03-04T04:00:00+14:00"


def test_slots_across_the_dst_change_stay_at_9_in_toronto(client, now):
    service = ServiceFactory(slug="dst")
    CoachFactory(services=[service], hours=[(d, "09:00", "10:00") for d in range(7)])
    body = client.get(
        "/api/v1/slots", {"service": "dst", "start": "2027-03-13", "end": "2027-03-15", "tz": "UTC"}
    ).json()
    assert [s["start"] for s in all_slots(body)] == [
        "2027-03-13T14:00:00+00:00",
        "2027-03-14T13:00:00+00:00",
        "2027-03-15T13:00:00+00:00",
    ]
    assert {s["coach_local_time"] for s in all_slots(body)} == {"09:00"}


def test_slots_for_one_coach_or_all_who_deliver_the_service(client, coach, service, now):
    other = CoachFactory(
        slug="tom", services=[service], hours=EVERY_DAY_9_TO_5, time_zone="Europe/London"
    )
    CoachFactory(slug="not-this-service", hours=EVERY_DAY_9_TO_5)
    everyone = {s["coach"]["slug"] for s in all_slots(slots(client).json())}
    assert everyone == {"priya", "tom"}
    only_tom = {s["coach"]["slug"] for s in all_slots(slots(client, coach="tom").json())}
    assert only_tom == {"tom"}
    assert other.slug == "tom"


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"service": "nope"}, "unknown_service"),
        ({"tz": "Mars/Olympus"}, "invalid_time_zone"),
        ({"tz": ""}, "invalid_time_zone"),
        ({"start": "2027-03-05", "end": "2027-03-04"}, "invalid_range"),
        ({"start": "2027-03-01", "end": "2027-05-02"}, "range_too_long"),
        ({"start": "03/01/2027"}, "invalid_date"),
        ({"end": "2027-02-30"}, "invalid_date"),
        ({"start": "20270301"}, "invalid_date"),
        ({"service": "review"}, "not_bookable"),
        ({"coach": "nobody"}, "unknown_coach"),
    ],
)
def test_bad_slot_queries_get_a_400_with_a_code(client, coach, now, params, code):
    ServiceFactory(slug="review", review=True)
    response = slots(client, **params)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == code
    assert body["detail"]


def test_missing_parameters_are_a_400_not_a_422(client, now):
    response = client.get("/api/v1/slots", {"service": "strategy"})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


def test_a_62_day_range_is_allowed(client, coach, now):
    assert slots(client, start="2027-03-01", end="2027-05-01").status_code == 200


def test_slot_queries_are_two_whatever_the_data(client, service, now, django_assert_num_queries):
    CoachFactory(slug="c0", services=[service], hours=EVERY_DAY_9_TO_5)
    with django_assert_num_queries(2):
        small = slots(client, start="2027-03-02", end="2027-04-30")
    assert small.status_code == 200
    for i in range(1, 5):
        coach = CoachFactory(slug=f"c{i}", services=[service], hours=EVERY_DAY_9_TO_5)
        add_override(coach, datetime(2027, 3, 10).date(), "10:00", "12:00")
        add_time_off(coach, utc(2027, 3, 20), utc(2027, 3, 22))
        for day in range(30):
            BookingFactory(
                coach=coach, service=service, start=utc(2027, 3, 2, 15) + timedelta(days=day)
            )
    with django_assert_num_queries(2):
        big = slots(client, start="2027-03-02", end="2027-04-30")
    with django_assert_num_queries(2):
        assert slots(client, start="2027-03-02", end="2027-04-30", coach="c3").status_code == 200

    # "Any coach": one entry per time, counting the coaches free then.
    def free(response):
        return sum(slot["coaches_free"] for slot in all_slots(response.json()))

    assert free(big) > free(small)


def test_services_and_coaches_are_listed_with_slugs(client, coach, service, now):
    ServiceFactory(slug="review", review=True)
    services = {s["slug"]: s for s in client.get("/api/v1/services").json()}
    assert services["strategy"]["bookable"] is True
    assert services["review"]["bookable"] is False
    coaches = client.get("/api/v1/coaches", {"service": "strategy"}).json()
    assert [c["slug"] for c in coaches] == ["priya"]


# --- bookings -----------------------------------------------------------------------------

SLOT = "2027-03-03T20:30:00+05:30"  # 10:00 Toronto


@pytest.fixture
def signed_in(applicant, now):  # after `now`: a session made before time travel would be stale
    client = Client(enforce_csrf_checks=True)
    client.force_login(applicant)
    client.get("/api/v1/services")  # any request; then fetch a CSRF token
    return client


def csrf_post(client, path, data):
    from django.middleware.csrf import _get_new_csrf_string

    token = _get_new_csrf_string()
    client.cookies["csrftoken"] = token
    return client.post(path, data, content_type="application/json", HTTP_X_CSRFTOKEN=token)


def test_book_with_a_credit_then_read_it_back(signed_in, applicant, coach, service, now):
    CreditFactory(applicant=applicant, service=service)
    response = csrf_post(
        signed_in, "/api/v1/bookings", {"service": "strategy", "coach": "priya", "start": SLOT}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "confirmed"
    assert body["start"] == SLOT
    assert body["coach_local_start"] == "2027-03-03T10:00:00-05:00"
    assert body["cancel_returns_credit"] is True
    again = signed_in.get(f"/api/v1/bookings/{body['id']}")
    assert again.status_code == 200
    assert again.json()["id"] == body["id"]


def test_writes_without_the_csrf_token_are_refused(signed_in, applicant, service, coach, now):
    CreditFactory(applicant=applicant, service=service)
    response = signed_in.post(
        "/api/v1/bookings", {"service": "strategy", "start": SLOT}, content_type="application/json"
    )
    assert response.status_code in (401, 403)
    assert not Booking.objects.exists()


def test_booking_needs_login(client, coach, now):
    response = client.get("/api/v1/bookings")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_booking_without_credit_is_a_409_with_code(signed_in, coach, now):
    response = csrf_post(signed_in, "/api/v1/bookings", {"service": "strategy", "start": SLOT})
    assert response.status_code == 409
    assert response.json()["code"] == "no_credit"


def test_booking_a_taken_slot_is_a_409_slot_taken(signed_in, applicant, coach, service, now):
    CreditFactory(applicant=applicant, service=service)
    BookingFactory(coach=coach, service=service, start=utc(2027, 3, 3, 15))
    response = csrf_post(
        signed_in, "/api/v1/bookings", {"service": "strategy", "coach": "priya", "start": SLOT}
    )
    assert response.status_code == 409
    assert response.json() == {
        "code": "slot_taken",
        "detail": "That time was just taken. Please pick another.",
    }


@pytest.mark.parametrize("start", ["tomorrow", "2027-03-03T20:30:00", "", "2027-13-03T20:30:00Z"])
def test_booking_with_a_bad_time_is_a_400(signed_in, applicant, coach, service, now, start):
    CreditFactory(applicant=applicant, service=service)
    response = csrf_post(signed_in, "/api/v1/bookings", {"service": "strategy", "start": start})
    assert response.status_code == 400
    assert not Booking.objects.exists()


def test_booking_a_review_service_is_a_400(signed_in, applicant, now):
    review = ServiceFactory(slug="review", review=True)
    CreditFactory(applicant=applicant, service=review)
    response = csrf_post(signed_in, "/api/v1/bookings", {"service": "review", "start": SLOT})
    assert response.status_code == 400
    assert response.json()["code"] == "not_bookable"


def test_someone_elses_booking_is_a_404(signed_in, coach, service, now):
    theirs = BookingFactory(coach=coach, service=service, applicant=UserFactory())
    assert signed_in.get(f"/api/v1/bookings/{theirs.public_id}").status_code == 404
    response = csrf_post(signed_in, f"/api/v1/bookings/{theirs.public_id}/cancel", {"reason": "x"})
    assert response.status_code == 404
    response = csrf_post(
        signed_in, f"/api/v1/bookings/{theirs.public_id}/reschedule", {"start": SLOT}
    )
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == "confirmed"


def test_cancel_and_reschedule_through_the_api(signed_in, applicant, coach, service, now):
    CreditFactory(applicant=applicant, service=service, quantity=1)
    booked = csrf_post(
        signed_in, "/api/v1/bookings", {"service": "strategy", "coach": "priya", "start": SLOT}
    ).json()
    moved = csrf_post(
        signed_in,
        f"/api/v1/bookings/{booked['id']}/reschedule",
        {"start": "2027-03-04T20:30:00+05:30"},
    )
    assert moved.status_code == 200
    assert moved.json()["start"] == "2027-03-04T20:30:00+05:30"
    cancelled = csrf_post(signed_in, f"/api/v1/bookings/{booked['id']}/cancel", {"reason": "Exam"})
    assert cancelled.json()["status"] == "cancelled"
    listed = signed_in.get("/api/v1/bookings").json()
    assert [b["status"] for b in listed] == ["cancelled"]
    assert client_credit_remaining(applicant) == 1


def client_credit_remaining(user):
    from booking.models import Credit

    return Credit.objects.get(applicant=user).remaining


# --- coach availability -------------------------------------------------------------------


def test_coach_reads_and_replaces_their_own_availability(coach, now):
    client = Client()
    client.force_login(coach.user)
    got = client.get("/api/v1/coach/availability").json()
    assert got["time_zone"] == "America/Toronto"
    assert len(got["weekly_hours"]) == 7
    payload = {
        "rules": {**got["rules"], "daily_cap": 3},
        "weekly_hours": [
            {"weekday": 0, "start": "09:00", "end": "12:00"},
            {"weekday": 0, "start": "13:00", "end": "17:00"},
        ],
        "overrides": [{"date": "2027-03-10", "start": None, "end": None}],
        "time_off": [
            {"start": "2027-03-20T00:00:00Z", "end": "2027-03-22T00:00:00Z", "reason": "Conference"}
        ],
    }
    response = client.put("/api/v1/coach/availability", payload, content_type="application/json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["rules"]["daily_cap"] == 3
    assert body["weekly_hours"] == payload["weekly_hours"]
    assert body["overrides"] == payload["overrides"]
    assert body["time_off"][0]["reason"] == "Conference"


@pytest.mark.parametrize(
    "change",
    [
        {"weekly_hours": [{"weekday": 0, "start": "12:00", "end": "09:00"}]},
        {
            "weekly_hours": [
                {"weekday": 0, "start": "09:00", "end": "12:00"},
                {"weekday": 0, "start": "11:00", "end": "13:00"},
            ]
        },
        {"weekly_hours": [{"weekday": 9, "start": "09:00", "end": "12:00"}]},
        {"weekly_hours": [{"weekday": 0, "start": "9 am", "end": "12:00"}]},
        {"rules": {"slot_step_minutes": 0}},
        {"overrides": [{"date": "2027-03-10", "start": "10:00", "end": None}]},
        {"time_off": [{"start": "2027-03-22T00:00:00Z", "end": "2027-03-20T00:00:00Z"}]},
    ],
)
def test_bad_availability_is_a_400_and_changes_nothing(coach, now, change):
    client = Client()
    client.force_login(coach.user)
    payload = {"rules": {}, "weekly_hours": [], "overrides": [], "time_off": [], **change}
    response = client.put("/api/v1/coach/availability", payload, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"]
    assert coach.weekly_hours.count() == 7


def test_non_coaches_have_no_availability(signed_in):
    assert signed_in.get("/api/v1/coach/availability").status_code == 403


def test_a_coach_only_ever_sees_their_own_availability(coach, service, now):
    other = CoachFactory(slug="tom", services=[service], hours=[(0, "07:00", "08:00")])
    client = Client()
    client.force_login(other.user)
    body = client.get("/api/v1/coach/availability").json()
    assert body["coach"]["slug"] == "tom"
    assert body["weekly_hours"] == [{"weekday": 0, "start": "07:00", "end": "08:00"}]
    client.put(
        "/api/v1/coach/availability",
        {"rules": body["rules"], "weekly_hours": [], "overrides": [], "time_off": []},
        content_type="application/json",
    )
    assert coach.weekly_hours.count() == 7


def test_openapi_schema_is_served(client):
    assert client.get("/api/v1/openapi.json").status_code == 200


def test_put_availability_keeps_past_overrides_and_time_off_like_the_form(coach, now):
    # NOW is 1 March 2027: 20 February and the February conference are history.
    add_override(coach, (now - timedelta(days=9)).date())
    past_off = add_time_off(coach, now - timedelta(days=20), now - timedelta(days=18))
    client = Client()
    client.force_login(coach.user)
    payload = {
        "rules": client.get("/api/v1/coach/availability").json()["rules"],
        "weekly_hours": [{"weekday": 0, "start": "09:00", "end": "12:00"}],
        "overrides": [{"date": "2027-03-10", "start": None, "end": None}],
        "time_off": [],
    }
    response = client.put("/api/v1/coach/availability", payload, content_type="application/json")
    assert response.status_code == 200, response.content
    assert [o.date.isoformat() for o in coach.date_overrides.all()] == ["2027-02-20", "2027-03-10"]
    assert [(t.start, t.end) for t in coach.time_off.all()] == [(past_off.start, past_off.end)]

    # A client that sends back what it read (history included) does not duplicate it.
    read = client.get("/api/v1/coach/availability").json()
    response = client.put(
        "/api/v1/coach/availability",
        {key: read[key] for key in ("rules", "weekly_hours", "overrides", "time_off")},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert coach.date_overrides.count() == 2
    assert coach.time_off.count() == 1


def test_availability_put_refuses_thousands_of_rows_and_changes_nothing(coach, now):
    client = Client()
    client.force_login(coach.user)
    rules = client.get("/api/v1/coach/availability").json()["rules"]
    before = list(coach.weekly_hours.values_list("weekday", "start_time", "end_time"))
    rows = [{"weekday": n % 7, "start": "09:00", "end": "10:00"} for n in range(20_000)]
    response = client.put(
        "/api/v1/coach/availability",
        {"rules": rules, "weekly_hours": rows},
        content_type="application/json",
    )
    assert 400 <= response.status_code < 500
    assert list(coach.weekly_hours.values_list("weekday", "start_time", "end_time")) == before
