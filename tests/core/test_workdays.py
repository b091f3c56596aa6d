"""Working-day due dates: 17:00 Toronto on the last working day, weekends and Ontario statutory
holidays skipped (from the `holidays` package), late or non-working-day requests counted from
the next working day, and DST changes keeping 17:00 on the wall clock."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from core import workdays

TORONTO = ZoneInfo("America/Toronto")


def toronto(*args) -> datetime:
    return datetime(*args, tzinfo=TORONTO)


def test_a_morning_request_counts_its_own_day_as_the_first():
    # Monday 2 March 2026, 10:00 → five working days: Mon..Fri
    assert workdays.due_at(toronto(2026, 3, 2, 10, 0), 5) == toronto(2026, 3, 6, 17, 0)


def test_a_request_after_five_pm_counts_from_the_next_working_day():
    assert workdays.due_at(toronto(2026, 3, 2, 17, 0), 5) == toronto(2026, 3, 9, 17, 0)
    assert workdays.due_at(toronto(2026, 3, 2, 16, 59), 1) == toronto(2026, 3, 2, 17, 0)


def test_weekends_are_skipped_and_a_weekend_request_counts_from_monday():
    # Thursday 5 March 2026, 09:00, three days: Thu, Fri, (weekend), Mon
    assert workdays.due_at(toronto(2026, 3, 5, 9, 0), 3) == toronto(2026, 3, 9, 17, 0)
    # Saturday 7 March: counting starts Monday 9 March
    assert workdays.due_at(toronto(2026, 3, 7, 11, 0), 1) == toronto(2026, 3, 9, 17, 0)


def test_good_friday_is_not_a_working_day():
    assert workdays.is_holiday(date(2026, 4, 3))
    # Thursday 2 April 2026, 09:00, two days: Thu, (Good Friday, weekend), Mon 6 April
    assert workdays.due_at(toronto(2026, 4, 2, 9, 0), 2) == toronto(2026, 4, 6, 17, 0)
    # Easter Monday is a working day in Ontario
    assert workdays.is_working_day(date(2026, 4, 6))


def test_canada_day_is_skipped():
    # Tuesday 30 June 2026, 12:00, two days: Tue 30 June, (Wed 1 July), Thu 2 July
    assert workdays.due_at(toronto(2026, 6, 30, 12, 0), 2) == toronto(2026, 7, 2, 17, 0)
    # A request on Canada Day itself counts from 2 July
    assert workdays.due_at(toronto(2026, 7, 1, 9, 0), 1) == toronto(2026, 7, 2, 17, 0)


def test_a_deadline_across_the_spring_dst_change_stays_at_five_pm_local():
    # Friday 6 March 2026 (EST, UTC-5) → due Tuesday 10 March (EDT, UTC-4), 17:00 local
    due = workdays.due_at(toronto(2026, 3, 6, 10, 0), 3)
    assert due == toronto(2026, 3, 10, 17, 0)
    assert due.astimezone(UTC) == datetime(2026, 3, 10, 21, 0, tzinfo=UTC)
    start_utc = toronto(2026, 3, 6, 10, 0).astimezone(UTC)
    assert start_utc == datetime(2026, 3, 6, 15, 0, tzinfo=UTC)


def test_the_autumn_dst_change_and_the_cutoff_in_utc():
    # 16:30 local on Friday 30 Oct 2026 (EDT) is before the cut-off; on Monday 2 Nov (EST)
    # 21:30 UTC is 16:30 local too, also before it
    assert workdays.due_at(datetime(2026, 10, 30, 20, 30, tzinfo=UTC), 1) == toronto(
        2026, 10, 30, 17, 0
    )
    assert workdays.due_at(datetime(2026, 11, 2, 21, 30, tzinfo=UTC), 1) == toronto(
        2026, 11, 2, 17, 0
    )
    # 21:30 UTC on Friday 30 Oct is 17:30 EDT: after the cut-off, so Monday
    assert workdays.due_at(datetime(2026, 10, 30, 21, 30, tzinfo=UTC), 1) == toronto(
        2026, 11, 2, 17, 0
    )


def test_christmas_boxing_day_and_new_year_observed_days():
    # Thursday 24 Dec 2026 → Fri 25 (Christmas), Sat 26 Boxing Day observed Mon 28
    assert not workdays.is_working_day(date(2026, 12, 28))
    assert workdays.due_at(toronto(2026, 12, 24, 9, 0), 2) == toronto(2026, 12, 29, 17, 0)


def test_previous_working_day_skips_weekends_and_holidays():
    assert workdays.previous_working_day(date(2026, 4, 6)) == date(2026, 4, 2)
    assert workdays.previous_working_day(date(2026, 3, 9)) == date(2026, 3, 6)


def test_working_days_taken_counts_from_the_first_counted_day():
    start = toronto(2026, 3, 2, 10, 0)
    assert workdays.working_days_taken(start, toronto(2026, 3, 2, 15, 0)) == 1
    assert workdays.working_days_taken(start, toronto(2026, 3, 9, 9, 0)) == 6
    late_start = toronto(2026, 3, 2, 18, 0)
    assert workdays.working_days_taken(late_start, toronto(2026, 3, 2, 19, 0)) == 0


@pytest.mark.parametrize("days", [0, -1, 261])
def test_a_nonsense_number_of_days_is_refused(days):
    with pytest.raises(ValueError):
        workdays.due_at(toronto(2026, 3, 2, 10, 0), days)


def test_a_naive_time_is_refused():
    with pytest.raises(ValueError):
        workdays.due_at(datetime(2026, 3, 2, 10, 0), 1)
