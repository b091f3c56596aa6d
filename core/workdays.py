"""Working days in the business's zone: weekdays that are not Ontario statutory holidays.

Deadlines counted in working days (document reviews today, practice scoring later) use this
module, so a due date means the same thing everywhere. The holidays come from the `holidays`
package (`holidays.Canada(subdiv="ON")`, observed days included), never a hand-written list.

Counting rule: the day of the request is the first working day when it is a working day and the
request arrives before the 17:00 cut-off; otherwise counting starts on the next working day. A
job of N working days is due at 17:00 on the N-th day so counted.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

BUSINESS_ZONE = ZoneInfo("America/Toronto")
CUTOFF = time(17, 0)
# A deadline further than this is certainly a mistake (and would walk the calendar for ages).
MAX_WORKING_DAYS = 260


@lru_cache(maxsize=64)
def _ontario_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.Canada(subdiv="ON", years=year).keys())


def is_holiday(day: date) -> bool:
    return day in _ontario_holidays(day.year)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and not is_holiday(day)


def next_working_day(day: date) -> date:
    """The first working day strictly after `day`."""
    day += timedelta(days=1)
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def previous_working_day(day: date) -> date:
    """The last working day strictly before `day`."""
    day -= timedelta(days=1)
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day


def first_counted_day(moment: datetime) -> date:
    """The first working day a request made at `moment` counts from."""
    if moment.tzinfo is None:
        raise ValueError("working-day deadlines need an aware datetime")
    local = moment.astimezone(BUSINESS_ZONE)
    day = local.date()
    if is_working_day(day) and local.time() < CUTOFF:
        return day
    return next_working_day(day)


def due_at(moment: datetime, working_days: int) -> datetime:
    """17:00 business time on the last of `working_days` working days counted from `moment`."""
    if not 1 <= working_days <= MAX_WORKING_DAYS:
        raise ValueError(f"working_days must be from 1 to {MAX_WORKING_DAYS}")
    day = first_counted_day(moment)
    for _ in range(working_days - 1):
        day = next_working_day(day)
    return datetime.combine(day, CUTOFF, tzinfo=BUSINESS_ZONE)


def working_days_taken(start: datetime, end: datetime) -> int:
    """How many working days a job received at `start` and finished at `end` used: the working
    days from the first counted day up to the day of `end` (business time), both included; a job
    finished before its first counted day began took 0."""
    first = first_counted_day(start)
    last = end.astimezone(BUSINESS_ZONE).date()
    count, day = 0, first
    while day <= last:
        if is_working_day(day):
            count += 1
        day += timedelta(days=1)
    return count
