"""A session's time as a person in their own zone reads it, weekday always included."""

from datetime import UTC, datetime, timedelta

from core.timezones import format_time_range


def test_a_time_range_names_the_weekday_and_the_zone():
    start = datetime(2027, 3, 3, 15, 0, tzinfo=UTC)
    assert (
        format_time_range(start, start + timedelta(hours=1), "Asia/Kolkata")
        == "Wed 3 Mar 2027, 20:30–21:30 (Asia/Kolkata time)"
    )


def test_a_range_past_midnight_names_the_weekday_it_ends_on():
    start = datetime(2027, 3, 3, 4, 30, tzinfo=UTC)  # 23:30 in Toronto the day before
    assert (
        format_time_range(start, start + timedelta(hours=1), "America/Toronto")
        == "Tue 2 Mar 2027, 23:30–Wed 00:30 (America/Toronto time)"
    )


def test_an_unknown_zone_falls_back_to_utc():
    start = datetime(2027, 3, 3, 15, 0, tzinfo=UTC)
    assert format_time_range(start, start + timedelta(minutes=90), "Mars/Olympus") == (
        "Wed 3 Mar 2027, 15:00–16:30 (UTC time)"
    )
