"""The slots API's answers, byte for byte, on one varied world: a tripwire for speed work.

Every rule the engine applies is here at once (weekly hours with split and touching ranges,
overrides with other hours and days off, time off, confirmed bookings and live holds that
block, lapsed holds, cancelled and expired bookings that do not, buffers, steps, minimum
notice, booking windows, a daily cap, a coach without a schedule row, zones with DST changes
and :45 offsets, inactive coaches and services), asked for the way the picker and other
clients ask. The expected bodies (`golden/slot_answers.json.gz`, `zcat` to read) were recorded from the engine before it was made
faster; a change that alters any byte fails here, on SQLite and on PostgreSQL alike.

When an answer is meant to change, record the new bodies and review the diff:
`SLOT_ANSWERS_RECORD=1 .venv/bin/pytest tests/booking/test_slot_answers.py`.
"""

import gzip
import json
import os
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.booking.factories import (
    BookingFactory,
    CoachFactory,
    ServiceFactory,
    add_override,
    add_time_off,
    utc,
)

pytestmark = pytest.mark.django_db

GOLDEN = Path(__file__).parent / "golden" / "slot_answers.json.gz"
RECORD = os.environ.get("SLOT_ANSWERS_RECORD") == "1"

WEEK = [(day, "09:00", "17:00") for day in range(7)]


def local(zone: str, *args) -> datetime:
    return datetime(*args, tzinfo=ZoneInfo(zone)).astimezone(UTC)


@pytest.fixture
def world(now):
    """Five coaches who deliver "strategy" (and some who do not count), with everything that
    shapes their free times. `now` is Monday 1 March 2027, 12:00 UTC."""
    strategy = ServiceFactory(slug="strategy", name="Strategy session", duration_minutes=60)
    mock = ServiceFactory(slug="mock", name="Mock interview", duration_minutes=45)
    review = ServiceFactory(slug="review", name="Document review", review=True)
    ServiceFactory(slug="retired", name="Retired session", inactive=True)
    ServiceFactory(slug="nobody", name="Unstaffed session")

    ama = CoachFactory(
        slug="ama", display_name="Dr. Ama Mensah", services=[strategy, mock], hours=WEEK
    )
    add_override(ama, date(2027, 3, 10), "13:00", "15:00")
    add_override(ama, date(2027, 3, 10), "17:30", "19:00")
    add_override(ama, date(2027, 3, 11))  # a day off
    add_override(ama, date(2027, 3, 13), "07:00", "08:30")  # a Saturday opened early
    add_time_off(ama, local("America/Toronto", 2027, 3, 12, 11), utc(2027, 3, 12, 19))
    add_time_off(ama, utc(2027, 4, 1), utc(2027, 4, 6))
    BookingFactory(coach=ama, service=strategy, start=local("America/Toronto", 2027, 3, 9, 10))
    BookingFactory(
        coach=ama, service=mock, start=local("America/Toronto", 2027, 3, 9, 14), held=True
    )
    lapsed = BookingFactory(
        coach=ama, service=strategy, start=local("America/Toronto", 2027, 3, 9, 12), held=True
    )
    lapsed.hold_expires_at = utc(2027, 3, 1, 12)  # exactly now: no longer blocks
    lapsed.save()
    BookingFactory(
        coach=ama, service=strategy, start=local("America/Toronto", 2027, 3, 9, 15), cancelled=True
    )
    BookingFactory(
        coach=ama, service=strategy, start=local("America/Toronto", 2027, 3, 9, 16), expired=True
    )
    BookingFactory(
        coach=ama, service=strategy, start=local("America/Toronto", 2027, 3, 8, 9), completed=True
    )

    ben = CoachFactory(
        slug="ben",
        display_name="Ben Okafor",
        time_zone="Europe/London",
        services=[strategy, review],  # a review has no times, whoever delivers it
        hours=[(d, "08:00", "12:00") for d in range(5)] + [(d, "12:00", "18:30") for d in range(5)],
        rules={
            "slot_step_minutes": 45,
            "buffer_before_minutes": 10,
            "buffer_after_minutes": 20,
            "min_notice_hours": 72,
            "daily_cap": 2,
        },
    )
    for hour in (9, 14):  # two on Wednesday 10 March: the cap is reached
        BookingFactory(coach=ben, service=strategy, start=local("Europe/London", 2027, 3, 10, hour))
    BookingFactory(coach=ben, service=strategy, start=local("Europe/London", 2027, 3, 15, 11))
    BookingFactory(
        coach=ben, service=strategy, start=local("Europe/London", 2027, 3, 29, 8), held=True
    )

    chitra = CoachFactory(
        slug="chitra",
        display_name="Chitra Rai",
        time_zone="Asia/Kathmandu",
        services=[strategy],
        hours=[(d, "00:00", "03:00") for d in range(7)] + [(d, "20:15", "23:45") for d in range(7)],
        rules={"slot_step_minutes": 15, "buffer_after_minutes": 0, "booking_window_days": 20},
        sort_order=1,
    )
    add_override(chitra, date(2027, 3, 9), "10:00", "11:15")
    BookingFactory(coach=chitra, service=strategy, start=local("Asia/Kathmandu", 2027, 3, 8, 21))

    # No schedule row: the default rules. Santiago leaves DST when 4 April 2027 begins (00:00
    # goes back to 23:00 on the 3rd).
    dina = CoachFactory(
        slug="dina",
        display_name="Dina Rojas",
        time_zone="America/Santiago",
        services=[strategy],
        hours=[(d, "07:00", "10:00") for d in range(7)],
        rules=False,
    )
    BookingFactory(coach=dina, service=strategy, start=local("America/Santiago", 2027, 4, 5, 8))

    # Same sort order and name as ama: the order between them must not depend on the database.
    CoachFactory(
        slug="abe",
        display_name="Dr. Ama Mensah",
        services=[strategy],
        hours=[(2, "10:00", "12:00")],
    )

    CoachFactory(
        slug="gone", display_name="Gone Coach", services=[strategy], hours=WEEK, inactive=True
    )
    CoachFactory(slug="elsewhere", display_name="Other Service", hours=WEEK)
    return strategy


CASES = {
    "any_coach_week_toronto": {"start": "2027-03-08", "end": "2027-03-14", "tz": "America/Toronto"},
    "any_coach_62_days_kolkata": {"start": "2027-03-02", "end": "2027-05-02", "tz": "Asia/Kolkata"},
    "any_coach_one_day_kiritimati": {
        "start": "2027-03-10",
        "end": "2027-03-10",
        "tz": "Pacific/Kiritimati",
    },
    "ama_two_weeks_utc": {"start": "2027-03-08", "end": "2027-03-21", "tz": "UTC", "coach": "ama"},
    "ben_week_london": {
        "start": "2027-03-08",
        "end": "2027-03-14",
        "tz": "Europe/London",
        "coach": "ben",
    },
    "chitra_week_kathmandu": {
        "start": "2027-03-08",
        "end": "2027-03-14",
        "tz": "Asia/Kathmandu",
        "coach": "chitra",
    },
    "dina_dst_week_santiago": {
        "start": "2027-04-01",
        "end": "2027-04-07",
        "tz": "America/Santiago",
        "coach": "dina",
    },
    "mock_any_coach_week": {
        "service": "mock",
        "start": "2027-03-08",
        "end": "2027-03-14",
        "tz": "America/Vancouver",
    },
    "unstaffed_week": {
        "service": "nobody",
        "start": "2027-03-08",
        "end": "2027-03-14",
        "tz": "UTC",
    },
    # Refusals: the same codes and words.
    "unknown_service": {"service": "nope", "start": "2027-03-08", "end": "2027-03-14", "tz": "UTC"},
    "inactive_service": {
        "service": "retired",
        "start": "2027-03-08",
        "end": "2027-03-08",
        "tz": "UTC",
    },
    "review_service": {
        "service": "review",
        "start": "2027-03-08",
        "end": "2027-03-08",
        "tz": "UTC",
    },
    "inactive_coach": {"start": "2027-03-08", "end": "2027-03-08", "tz": "UTC", "coach": "gone"},
    "coach_of_another_service": {
        "start": "2027-03-08",
        "end": "2027-03-08",
        "tz": "UTC",
        "coach": "elsewhere",
    },
    "mock_coach_without_it": {
        "service": "mock",
        "start": "2027-03-08",
        "end": "2027-03-08",
        "tz": "UTC",
        "coach": "ben",
    },
}


def answer(client, params: dict) -> str:
    """The status line and the exact body of one request, as text."""
    response = client.get("/api/v1/slots", {"service": "strategy", **params})
    return f"{response.status_code}\n{response.content.decode()}"


def test_slot_answers_are_unchanged_byte_for_byte(client, world):
    got = {case: answer(client, params) for case, params in sorted(CASES.items())}
    if RECORD:
        GOLDEN.parent.mkdir(exist_ok=True)
        # mtime=0: the same answers give the same file.
        GOLDEN.write_bytes(gzip.compress(json.dumps(got, indent=1).encode(), mtime=0))
    expected = json.loads(gzip.decompress(GOLDEN.read_bytes()))
    assert sorted(got) == sorted(expected)
    for case in sorted(CASES):
        status, body = got[case].split("\n", 1)
        want_status, want_body = expected[case].split("\n", 1)
        # Parsed first: on a difference pytest shows where, rather than two long lines.
        assert (case, status, json.loads(body)) == (case, want_status, json.loads(want_body))
        assert (case, body) == (case, want_body)


def test_the_world_offers_what_the_cases_are_meant_to_cover(client, world):
    """The recorded answers are only worth comparing if they exercise the rules."""

    def slots(**params):
        body = client.get("/api/v1/slots", {"service": "strategy", **params}).json()
        return [slot for day in body["days"] for slot in day["slots"]]

    week = slots(**CASES["any_coach_week_toronto"])
    assert {slot["coach"]["slug"] for slot in week} >= {"ama", "ben", "chitra", "dina", "abe"}
    assert max(slot["coaches_free"] for slot in week) >= 3
    assert any(slot["night"] for slot in week)
    ben = slots(**CASES["ben_week_london"])
    assert not [slot for slot in ben if slot["start"].startswith("2027-03-10")]  # the cap
    assert [slot for slot in ben if slot["start"].startswith("2027-03-11")]
    dina = slots(**CASES["dina_dst_week_santiago"])
    offsets = {slot["start"][-6:] for slot in dina}
    assert offsets == {"-03:00", "-04:00"}
    long = slots(**CASES["any_coach_62_days_kolkata"])
    chitra_last = max(slot["start"] for slot in long if slot["coach"]["slug"] == "chitra")
    assert chitra_last < "2027-03-22"  # her 20-day booking window ends inside the range
    assert max(slot["start"] for slot in long) > "2027-04-25"


# --- the engine's one statement reads what the querysets it replaced read ------------------


def queryset_rows(coach_ids, *, window_start, window_end, now, exclude_booking_id=None):
    """The engine's reading done with the ORM (the four querysets `load_coach_data` ran
    before it ran one statement), in the statement's row shape, sorted."""
    from booking.models import Booking, DateOverride, TimeOff, WeeklyHours

    rows = [
        (0, coach, weekday, None, st, et, None, None, None)
        for coach, weekday, st, et in WeeklyHours.objects.filter(
            coach_id__in=coach_ids
        ).values_list("coach_id", "weekday", "start_time", "end_time")
    ]
    rows += [
        (1, coach, None, day, st, et, None, None, None)
        for coach, day, st, et in DateOverride.objects.filter(
            coach_id__in=coach_ids, date__gte=window_start.date(), date__lte=window_end.date()
        ).values_list("coach_id", "date", "start_time", "end_time")
    ]
    rows += [
        (2, coach, None, None, None, None, start, end, None)
        for coach, start, end in TimeOff.objects.filter(
            coach_id__in=coach_ids, end__gt=window_start, start__lt=window_end
        ).values_list("coach_id", "start", "end")
    ]
    bookings = Booking.objects.blocking(now).filter(
        coach_id__in=coach_ids, blocked_end__gt=window_start, blocked_start__lt=window_end
    )
    if exclude_booking_id is not None:
        bookings = bookings.exclude(pk=exclude_booking_id)
    rows += [
        (3, coach, None, None, None, None, blocked_start, blocked_end, start)
        for coach, start, blocked_start, blocked_end in bookings.values_list(
            "coach_id", "start", "blocked_start", "blocked_end"
        )
    ]
    return sorted(rows, key=repr)


def test_the_one_statement_reads_row_for_row_what_the_querysets_read(world, now):
    from booking.models import BookingStatus
    from booking.slots import _calendar_rows
    from coaching.models import Coach

    ama = Coach.objects.get(slug="ama")
    others = list(Coach.objects.filter(slug__in=["ben", "chitra", "dina", "abe"]))
    toronto = ZoneInfo("America/Toronto")
    window_start = datetime(2027, 3, 6, tzinfo=toronto)
    window_end = datetime(2027, 3, 17, tzinfo=toronto)
    tick = timedelta(microseconds=1)
    hour = timedelta(hours=1)
    # Each edge of each condition, on both sides (bookings of a coach may not overlap).
    for coach, (start, end) in zip(
        others,
        [
            (window_start - hour, window_start),  # ends as the window starts: out
            (window_start - hour, window_start + tick),  # ends just inside
            (window_end, window_end + hour),  # starts as the window ends: out
            (window_end - tick, window_end + hour),  # starts just inside
        ],
        strict=True,
    ):
        add_time_off(coach, start, end)
        BookingFactory(
            coach=coach, service=world, start=start, end=end, blocked_start=start, blocked_end=end
        )
    for hours, (status, expires) in enumerate(
        [
            (BookingStatus.HELD, now),  # lapses exactly now: not blocking
            (BookingStatus.HELD, now + tick),
            (BookingStatus.HELD, None),
            (BookingStatus.COMPLETED, None),
            (BookingStatus.NO_SHOW, None),
        ]
    ):
        BookingFactory(
            coach=ama,
            service=world,
            start=datetime(2027, 3, 16, 6, tzinfo=toronto) + 2 * hours * hour,
            status=status,
            hold_expires_at=expires,
        )
    for day in (date(2027, 3, 5), date(2027, 3, 6), date(2027, 3, 17), date(2027, 3, 18)):
        add_override(ama, day, "06:00", "07:00")
    excluded = BookingFactory(coach=ama, service=world, start=utc(2027, 3, 10, 20))

    everyone = list(Coach.objects.order_by("pk").values_list("pk", flat=True))
    kinds = set()
    for coach_ids in [everyone, [ama.pk], everyone[1:3]]:
        for exclude in [None, excluded.pk]:
            window = {"window_start": window_start, "window_end": window_end, "now": now}
            got = _calendar_rows(coach_ids, exclude_booking_id=exclude, **window)
            expected = queryset_rows(coach_ids, exclude_booking_id=exclude, **window)
            assert sorted((tuple(row) for row in got), key=repr) == expected
            kinds |= {row[0] for row in expected}
    assert kinds == {0, 1, 2, 3}  # every kind was compared
