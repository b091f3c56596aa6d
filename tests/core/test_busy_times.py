"""core.busy_times: an iCalendar file turned into merged busy intervals in UTC."""

from __future__ import annotations

import random
import time
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from core.busy_times import MAX_RULE_STEPS, BusyTimesError, busy_intervals

TORONTO = "America/Toronto"


def ics(*events: str, extra: str = "") -> bytes:
    """A VCALENDAR around the given VEVENT bodies (lines separated by newlines)."""
    parts = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN"]
    if extra:
        parts.extend(line.strip() for line in extra.strip().splitlines())
    for index, body in enumerate(events):
        lines = body.strip().splitlines()
        if not any(line.startswith("UID") for line in lines):
            lines.insert(0, f"UID:e{index}@test")
        parts += ["BEGIN:VEVENT", *[line.strip() for line in lines], "END:VEVENT"]
    parts.append("END:VCALENDAR")
    return ("\r\n".join(parts) + "\r\n").encode()


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def busy(data: bytes, start: datetime, end: datetime, zone: str = TORONTO, **kw):
    return busy_intervals(data, window_start=start, window_end=end, zone=zone, **kw)


MARCH = (utc(2026, 3, 1), utc(2026, 3, 31))


def test_weekly_rule_with_exdate_and_a_moved_occurrence():
    data = ics(
        """
        UID:weekly@test
        DTSTART;TZID=America/Toronto:20260302T090000
        DTEND;TZID=America/Toronto:20260302T100000
        RRULE:FREQ=WEEKLY;COUNT=5
        EXDATE;TZID=America/Toronto:20260309T090000
        """,
        """
        UID:weekly@test
        RECURRENCE-ID;TZID=America/Toronto:20260316T090000
        DTSTART;TZID=America/Toronto:20260317T140000
        DTEND;TZID=America/Toronto:20260317T150000
        """,
    )
    assert busy(data, *MARCH) == [
        (utc(2026, 3, 2, 14), utc(2026, 3, 2, 15)),  # EST, UTC-5
        # 9 March left out by EXDATE; from 8 March on, EDT (UTC-4)
        (utc(2026, 3, 17, 18), utc(2026, 3, 17, 19)),  # 16 March moved to 17, 14:00
        (utc(2026, 3, 23, 13), utc(2026, 3, 23, 14)),
        (utc(2026, 3, 30, 13), utc(2026, 3, 30, 14)),
    ]


def test_a_cancelled_occurrence_and_a_cancelled_event_are_free():
    data = ics(
        """
        UID:daily@test
        DTSTART:20260302T150000Z
        DTEND:20260302T160000Z
        RRULE:FREQ=DAILY;COUNT=3
        """,
        """
        UID:daily@test
        RECURRENCE-ID:20260303T150000Z
        DTSTART:20260303T150000Z
        DTEND:20260303T160000Z
        STATUS:CANCELLED
        """,
        """
        DTSTART:20260310T150000Z
        DTEND:20260310T160000Z
        STATUS:CANCELLED
        """,
    )
    assert busy(data, *MARCH) == [
        (utc(2026, 3, 2, 15), utc(2026, 3, 2, 16)),
        (utc(2026, 3, 4, 15), utc(2026, 3, 4, 16)),
    ]


def test_rdate_adds_an_occurrence():
    data = ics(
        """
        DTSTART:20260302T150000Z
        DTEND:20260302T160000Z
        RDATE:20260320T120000Z
        """
    )
    assert busy(data, *MARCH) == [
        (utc(2026, 3, 2, 15), utc(2026, 3, 2, 16)),
        (utc(2026, 3, 20, 12), utc(2026, 3, 20, 13)),
    ]


@pytest.mark.parametrize(
    ("day", "start", "end", "hours"),
    [
        ("20260308", utc(2026, 3, 8, 5), utc(2026, 3, 9, 4), 23),  # EST → EDT
        ("20261101", utc(2026, 11, 1, 4), utc(2026, 11, 2, 5), 25),  # EDT → EST
    ],
)
def test_all_day_event_on_a_dst_change_day_is_the_coachs_whole_day(day, start, end, hours):
    data = ics(f"DTSTART;VALUE=DATE:{day}\nSUMMARY:day off")  # no DTEND: one day
    assert busy(data, utc(2026, 1, 1), utc(2026, 12, 31)) == [(start, end)]
    assert end - start == timedelta(hours=hours)


def test_all_day_event_with_dtend_spans_its_days_in_the_coachs_zone():
    data = ics("DTSTART;VALUE=DATE:20260307\nDTEND;VALUE=DATE:20260309")
    assert busy(data, *MARCH, zone="Asia/Kolkata") == [
        (utc(2026, 3, 6, 18, 30), utc(2026, 3, 8, 18, 30))
    ]


def test_tentative_is_busy_and_transparent_is_free():
    data = ics(
        "DTSTART:20260305T150000Z\nDTEND:20260305T160000Z\nSTATUS:TENTATIVE",
        "DTSTART:20260306T150000Z\nDTEND:20260306T160000Z\nTRANSP:TRANSPARENT",
        "DTSTART;VALUE=DATE:20260307\nTRANSP:TRANSPARENT",
    )
    assert busy(data, *MARCH) == [(utc(2026, 3, 5, 15), utc(2026, 3, 5, 16))]


@pytest.mark.parametrize(
    ("zone", "start", "end"),
    [
        ("Asia/Kolkata", utc(2026, 3, 5, 3, 30), utc(2026, 3, 5, 4, 30)),  # UTC+5:30
        ("America/St_Johns", utc(2026, 3, 5, 12, 30), utc(2026, 3, 5, 13, 30)),  # UTC-3:30
    ],
)
def test_floating_times_are_read_in_a_half_hour_zone(zone, start, end):
    data = ics("DTSTART:20260305T090000\nDTEND:20260305T100000")
    assert busy(data, *MARCH, zone=zone) == [(start, end)]


def test_tzid_with_iana_name_and_with_vtimezone():
    vtimezone = """
    BEGIN:VTIMEZONE
    TZID:Custom Kolkata
    BEGIN:STANDARD
    DTSTART:19700101T000000
    TZOFFSETFROM:+0530
    TZOFFSETTO:+0530
    TZNAME:IST
    END:STANDARD
    END:VTIMEZONE
    """
    data = ics(
        "DTSTART;TZID=America/St_Johns:20260305T090000\nDTEND;TZID=America/St_Johns:20260305T093000",
        "DTSTART;TZID=Custom Kolkata:20260306T090000\nDTEND;TZID=Custom Kolkata:20260306T100000",
        extra=vtimezone,
    )
    assert busy(data, *MARCH, zone="UTC") == [
        (utc(2026, 3, 5, 12, 30), utc(2026, 3, 5, 13)),
        (utc(2026, 3, 6, 3, 30), utc(2026, 3, 6, 4, 30)),
    ]


def test_utc_times_do_not_depend_on_the_coachs_zone():
    data = ics("DTSTART:20260305T090000Z\nDURATION:PT45M")
    for zone in (TORONTO, "Asia/Kolkata", "Pacific/Kiritimati"):
        assert busy(data, *MARCH, zone=zone) == [(utc(2026, 3, 5, 9), utc(2026, 3, 5, 9, 45))]


def test_overlapping_and_touching_events_are_merged():
    data = ics(
        "DTSTART:20260305T090000Z\nDTEND:20260305T110000Z",
        "DTSTART:20260305T100000Z\nDTEND:20260305T120000Z",
        "DTSTART:20260305T120000Z\nDTEND:20260305T130000Z",
        "DTSTART:20260305T093000Z\nDTEND:20260305T094500Z",
        "DTSTART:20260305T140000Z\nDTEND:20260305T150000Z",
    )
    assert busy(data, *MARCH) == [
        (utc(2026, 3, 5, 9), utc(2026, 3, 5, 13)),
        (utc(2026, 3, 5, 14), utc(2026, 3, 5, 15)),
    ]


def test_events_outside_the_window_are_dropped_and_edges_clipped():
    data = ics(
        "DTSTART:20260220T090000Z\nDTEND:20260220T100000Z",  # before
        "DTSTART:20260228T230000Z\nDTEND:20260301T010000Z",  # across the start
        "DTSTART:20260330T230000Z\nDTEND:20260331T020000Z",  # across the end
        "DTSTART:20260331T000000Z\nDTEND:20260331T010000Z",  # at the end: outside
        "DTSTART:20260228T230000Z\nDTEND:20260301T000000Z",  # ends at the start: outside
    )
    assert busy(data, *MARCH) == [
        (utc(2026, 3, 1), utc(2026, 3, 1, 1)),
        (utc(2026, 3, 30, 23), utc(2026, 3, 31)),
    ]


def test_results_are_aware_utc_datetimes_for_a_window_given_in_another_zone():
    tz = ZoneInfo(TORONTO)
    data = ics("DTSTART:20260305T090000\nDTEND:20260305T100000")
    result = busy(data, datetime(2026, 3, 5, tzinfo=tz), datetime(2026, 3, 6, tzinfo=tz))
    assert result == [(utc(2026, 3, 5, 14), utc(2026, 3, 5, 15))]
    assert all(value.tzinfo is UTC for pair in result for value in pair)


def test_no_dtstart_and_zero_length_events_are_ignored():
    data = ics(
        "DTEND:20260305T100000Z\nSUMMARY:no start",
        "DTSTART:20260305T090000Z\nSUMMARY:no end: zero length",
        "DTSTART:20260306T090000Z\nDTEND:20260306T090000Z",
    )
    assert busy(data, *MARCH) == []


def test_rule_without_end_is_bounded_by_the_window():
    data = ics("DTSTART:20200106T090000Z\nDTEND:20200106T100000Z\nRRULE:FREQ=WEEKLY")
    result = busy(data, utc(2026, 3, 1), utc(2026, 3, 15))
    assert result == [
        (utc(2026, 3, 2, 9), utc(2026, 3, 2, 10)),
        (utc(2026, 3, 9, 9), utc(2026, 3, 9, 10)),
    ]


def test_huge_count_stays_bounded_by_the_window():
    data = ics(
        "DTSTART:20260301T000000Z\nDTEND:20260301T003000Z\nRRULE:FREQ=HOURLY;COUNT=2000000000"
    )
    result = busy(data, utc(2026, 3, 1), utc(2026, 3, 2))
    assert len(result) == 24


def test_more_occurrences_than_max_events_in_the_window_is_too_many():
    data = ics("DTSTART:20260301T000000Z\nDTEND:20260301T000100Z\nRRULE:FREQ=MINUTELY")
    with pytest.raises(BusyTimesError) as caught:
        busy(data, *MARCH)
    assert caught.value.code == "too_many"
    assert isinstance(caught.value, ValueError)
    assert len(busy(data, utc(2026, 3, 1), utc(2026, 3, 1, 1), max_events=60)) == 1  # merged
    with pytest.raises(BusyTimesError):
        busy(data, utc(2026, 3, 1), utc(2026, 3, 1, 1), max_events=59)


def test_too_many_single_events_in_the_window():
    events = [f"DTSTART:20260305T{h:02d}0000Z\nDURATION:PT30M" for h in range(10)]
    with pytest.raises(BusyTimesError) as caught:
        busy(ics(*events), *MARCH, max_events=9)
    assert caught.value.code == "too_many"
    assert len(busy(ics(*events), *MARCH, max_events=10)) == 10


def test_a_dense_rule_from_year_one_is_refused_quickly():
    data = ics("DTSTART:00010101T000000Z\nDTEND:00010101T000100Z\nRRULE:FREQ=MINUTELY")
    began = time.monotonic()
    with pytest.raises(BusyTimesError) as caught:
        busy(data, *MARCH)
    assert caught.value.code == "too_many"
    assert time.monotonic() - began < 1


def test_a_rule_at_the_step_limit_finishes_in_reasonable_time():
    first = utc(2026, 3, 31) - timedelta(hours=MAX_RULE_STEPS - 24 * 7)
    data = ics(f"DTSTART:{first:%Y%m%dT%H%M%SZ}\nDURATION:PT1M\nRRULE:FREQ=HOURLY")
    began = time.monotonic()
    assert len(busy(data, utc(2026, 3, 30), utc(2026, 3, 31))) == 24
    assert time.monotonic() - began < 10


@pytest.mark.parametrize(
    "body",
    [
        "DTSTART:00010101T000000Z\nDTEND:00010101T010000Z",
        "DTSTART:00010101T000000\nDTEND:00010101T010000\nRRULE:FREQ=YEARLY",
        "DTSTART;VALUE=DATE:00010101\nRRULE:FREQ=YEARLY",
        "DTSTART:99991231T000000Z\nDTEND:99991231T235959Z",
        "DTSTART:99991231T230000\nDTEND:99991231T235959\nRRULE:FREQ=DAILY",
        "DTSTART;VALUE=DATE:99991231\nRRULE:FREQ=DAILY",
        "DTSTART;VALUE=DATE:99991231",
    ],
)
def test_extreme_years_in_dtstart_are_outside_the_window_or_an_error(body):
    for zone in (TORONTO, "Asia/Kolkata", "Pacific/Kiritimati"):
        try:
            assert busy(ics(body), *MARCH, zone=zone) == []
        except BusyTimesError as error:
            assert error.code in {"malformed", "too_many"}


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\x00" * 100,
        b"not a calendar",
        b"BEGIN:VCALENDAR\r\n",
        b"BEGIN:VEVENT\r\nDTSTART:20260305T090000Z\r\nEND:VEVENT\r\n",
        ics("DTSTART:2026-03-05\nDTEND:20260305T100000Z"),
        ics("DTSTART:20260305T090000Z\nDTEND:20260305T100000Z\nRRULE:FREQ=SOMETIMES"),
        ics("DTSTART:20260305T090000Z\nDTEND:20260305T100000Z\nRRULE:FREQ=DAILY;INTERVAL=x"),
        ics("DTSTART;TZID=Nowhere/Atlantis:20260305T090000\nDTEND:20260305T100000Z"),
        ics("DTSTART:20260305T090000Z\nDURATION:banana"),
        ics("DTSTART:20260305T090000Z\nDTEND:20260305T100000Z\x00\x00"),
    ],
)
def test_malformed_files_raise_only_busy_times_error(data):
    try:
        result = busy(data, *MARCH)
    except BusyTimesError as error:
        assert error.code in {"malformed", "too_many"}
    else:
        assert isinstance(result, list)


def _check_result(result, start, end):
    for begin, finish in result:
        assert begin.tzinfo is UTC and finish.tzinfo is UTC
        assert start <= begin < finish <= end
    assert all(a[1] < b[0] for a, b in zip(result, result[1:], strict=False))


def test_fuzz_random_bytes_truncations_and_mutations():
    rng = random.Random(20261208)
    good = ics(
        """
        DTSTART;TZID=America/Toronto:20260302T090000
        DTEND;TZID=America/Toronto:20260302T100000
        RRULE:FREQ=WEEKLY;BYDAY=MO,WE;UNTIL=20260401T000000Z
        EXDATE;TZID=America/Toronto:20260304T090000
        """,
        "DTSTART;VALUE=DATE:20260308\nDTEND;VALUE=DATE:20260310",
        "DTSTART:20260305T090000\nDURATION:PT1H30M\nSTATUS:TENTATIVE",
    )
    samples = [good[:cut] for cut in range(0, len(good), 7)]
    samples += [bytes(rng.randrange(256) for _ in range(rng.randrange(200))) for _ in range(200)]
    for _ in range(300):
        mutated = bytearray(good)
        for _ in range(rng.randrange(1, 6)):
            mutated[rng.randrange(len(mutated))] = rng.choice(b"\x00:;=,-0123456789TZ\r\nX")
        samples.append(bytes(mutated))
    for data in samples:
        try:
            result = busy(data, *MARCH)
        except BusyTimesError as error:
            assert error.code in {"malformed", "too_many"}
        else:
            _check_result(result, *MARCH)


def test_caller_errors_are_value_errors():
    data = ics("DTSTART:20260305T090000Z\nDTEND:20260305T100000Z")
    with pytest.raises(ValueError, match="aware"):
        busy(data, datetime(2026, 3, 1), datetime(2026, 3, 2))
    with pytest.raises(ValueError, match="before"):
        busy(data, utc(2026, 3, 2), utc(2026, 3, 1))
    with pytest.raises(ValueError, match="zone"):
        busy(data, *MARCH, zone="Mars/Olympus")


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30",
        "FREQ=MINUTELY;BYMONTH=4;BYMONTHDAY=31;COUNT=5",
        "FREQ=HOURLY;BYYEARDAY=366;BYMONTH=6",
        "FREQ=DAILY;BYSETPOS=3",
    ],
)
def test_a_rule_that_never_occurs_is_not_walked_to_year_9999(rule):
    data = ics(f"DTSTART:20260302T090000Z\nDTEND:20260302T100000Z\nRRULE:{rule}")
    began = time.monotonic()
    assert busy(data, *MARCH) == [(utc(2026, 3, 2, 9), utc(2026, 3, 2, 10))]  # DTSTART only
    assert time.monotonic() - began < 1


def test_a_rare_rule_still_occurs():
    data = ics(
        "DTSTART:20260302T090000Z\nDTEND:20260302T100000Z\n"
        "RRULE:FREQ=MONTHLY;BYDAY=-1FR;BYMONTH=2,3"
    )
    assert busy(data, *MARCH) == [
        (utc(2026, 3, 2, 9), utc(2026, 3, 2, 10)),
        (utc(2026, 3, 27, 9), utc(2026, 3, 27, 10)),
    ]
