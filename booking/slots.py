"""The slot engine: free start times for a service, computed from availability and bookings.

One function, `find_slots`, used by the API, the coach preview and (with a one-instant range)
by the booking services to check that a requested time is a real free slot, so every path
applies the same rules:

- inside the coach's weekly hours for that local weekday, or that date's overrides instead;
- starts on the step grid of the coach's local clock (multiples of the step from local
  midnight), and the whole session ends inside the range of hours;
- no overlap with time off; minimum notice and booking window measured from `now`;
- the session plus the coach's buffers must not overlap the blocked interval (session plus
  the buffers stored at booking time) of any confirmed booking or unexpired hold;
- at most `daily_cap` blocking bookings on the coach's local date.

"Any coach" (`merge_by_start`, `assignment_order`): one entry per start time, and the coach it
goes to is the one with the fewest active sessions on that date in their own zone (ties by
slug); the booking services assign by the same order inside their locks.

Wall-clock times are turned into UTC with `zoneinfo`, so a 09:00 coach is at 09:00 local time on
both sides of a DST change; local times that do not exist (the spring-forward gap) are skipped,
and repeated ones (fall back) use their first occurrence.

Steps, each readable and tested alone: `load_coach_data` (one statement, for all coaches),
`bookable_window` (notice and booking window), `CoachData.ranges_on` (a date's open hours and
the daily cap), `day_clock` (wall clock → UTC, with the fixed-offset fast path),
`candidate_starts` (the step grid of one range) and `free_slots_on` (one day's free slots).

Queries: one, whatever the range or the number of coaches (weekly hours, overrides, time off
and bookings of all coaches in one SQL statement, `_calendar_rows`).
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from django.db import connections, router
from django.utils import timezone

from booking.models import (
    Booking,
    BookingStatus,
    CoachSchedule,
    DateOverride,
    TimeOff,
    WeeklyHours,
)
from coaching.models import Coach, Service


class Slot(NamedTuple):
    coach: Coach
    start: datetime  # UTC
    end: datetime  # UTC
    # Active sessions the coach already has on the slot's local date (their own zone): what
    # "any coach" assigns by (`assignment_order`).
    day_load: int = 0

    def local_start(self) -> datetime:
        return self.start.astimezone(ZoneInfo(self.coach.time_zone))


def rules_for(coach: Coach) -> CoachSchedule:
    """The coach's schedule, or the defaults (unsaved) if they never set one."""
    try:
        return coach.schedule
    except CoachSchedule.DoesNotExist:
        return CoachSchedule(coach=coach)


class _Intervals:
    """Sorted, merged half-open intervals with an O(log n) overlap test."""

    def __init__(self, pairs):
        merged: list[list[datetime]] = []
        for start, end in sorted(pairs):
            if merged and start <= merged[-1][1]:
                if end > merged[-1][1]:
                    merged[-1][1] = end
            else:
                merged.append([start, end])
        self.starts = [s for s, _ in merged]
        self.ends = [e for _, e in merged]

    def overlaps(self, start: datetime, end: datetime) -> bool:
        i = bisect.bisect_right(self.starts, start) - 1
        if i >= 0 and self.ends[i] > start:
            return True
        return i + 1 < len(self.starts) and self.starts[i + 1] < end


def _local_datetime(day: date, minutes: int, zone: ZoneInfo) -> datetime | None:
    """The UTC instant of a wall-clock time, or None when that time does not exist (DST gap)."""
    local = datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=zone)
    utc = local.astimezone(UTC)
    if utc.astimezone(zone).replace(tzinfo=None) != local.replace(tzinfo=None):
        return None
    return utc


def _minutes(value: time) -> int:
    return value.hour * 60 + value.minute


# --- step 1: load what the engine reads, for all coaches at once ---------------------------


@dataclass
class CoachData:
    """Everything the engine needs about one coach for one range, in memory."""

    coach: Coach
    rules: CoachSchedule
    zone: ZoneInfo
    weekly: dict[int, list[tuple[int, int]]]  # weekday → [(start, end) wall-clock minutes]
    overrides: dict[date, list[tuple[int, int]]]  # local date → ranges ([] = day off)
    time_off: _Intervals
    taken: _Intervals  # blocked intervals (session plus its stored buffers) of bookings
    per_day: dict[date, int]  # blocking bookings per local date of the coach

    def ranges_on(self, day: date) -> list[tuple[int, int]]:
        """The wall-clock ranges open on a local date: its overrides if any, else the weekday's
        hours; none when the daily cap is reached."""
        ranges = self.overrides[day] if day in self.overrides else self.weekly[day.weekday()]
        cap = self.rules.daily_cap
        if cap and self.per_day[day] >= cap:
            return []
        return ranges


class _Names:
    """A model's quoted names for SQL text: `{t}` is its table, `{t.field}` a field's column."""

    def __init__(self, model, connection):
        self._meta, self._quote = model._meta, connection.ops.quote_name

    def __str__(self) -> str:
        return self._quote(self._meta.db_table)

    def __getattr__(self, field: str) -> str:
        return self._quote(self._meta.get_field(field).column)


# What `load_coach_data` reads, in one statement: rows of four kinds, the first column saying
# which (0 to 3, in the order of the SELECTs), then coach, weekday, date, start time, end time
# (weekly hours and overrides), start, end (time off, and a booking's blocked interval) and
# booking start.
_WEEKLY, _OVERRIDE, _TIME_OFF, _BOOKING = range(4)
_CALENDAR_SQL = """
SELECT 0, {w.coach}, {w.weekday}, {no_date}, {w.start_time}, {w.end_time},
       {no_instant}, {no_instant}, {no_instant}
  FROM {w} WHERE {w.coach} IN ({coaches})
UNION ALL
SELECT 1, {o.coach}, {no_weekday}, {o.date}, {o.start_time}, {o.end_time},
       {no_instant}, {no_instant}, {no_instant}
  FROM {o} WHERE {o.coach} IN ({coaches}) AND {o.date} >= %s AND {o.date} <= %s
UNION ALL
SELECT 2, {t.coach}, {no_weekday}, {no_date}, {no_time}, {no_time},
       {t.start}, {t.end}, {no_instant}
  FROM {t} WHERE {t.coach} IN ({coaches}) AND {t.end} > %s AND {t.start} < %s
UNION ALL
SELECT 3, {b.coach}, {no_weekday}, {no_date}, {no_time}, {no_time},
       {b.blocked_start}, {b.blocked_end}, {b.start}
  FROM {b} WHERE {b.coach} IN ({coaches}) AND {b.blocked_end} > %s AND {b.blocked_start} < %s
   AND ({b.status} = %s OR ({b.status} = %s AND {b.hold_expires_at} > %s)){not_excluded}
"""


def _calendar_rows(
    coach_ids: list[int],
    *,
    window_start: datetime,
    window_end: datetime,
    now: datetime,
    exclude_booking_id: int | None,
) -> list:
    """Weekly hours, overrides in the window's dates, time off and blocking bookings (confirmed,
    or held and the hold not lapsed: `Booking.objects.blocking(now)`) overlapping the window,
    of these coaches, as rows of `_CALENDAR_SQL`.

    One SQL statement rather than four querysets: building and compiling those cost the ORM
    about a millisecond each, most of a 7-day slots request; this costs a tenth of that. It
    stays a translation of those querysets: table and column names come from the models,
    parameters go through each field's `get_db_prep_value` and values come back through the
    database backend's converters, as the ORM does them (`tests/booking/test_slot_answers.py`
    compares the two, row for row, on SQLite and PostgreSQL). The NULLs that fill another
    kind's columns are cast to that column's type, so every database agrees on the type of
    each column of the union.
    """
    connection = connections[router.db_for_read(Booking)]
    sql = _calendar_sql(
        connection, coach_count=len(coach_ids), excludes=exclude_booking_id is not None
    )
    params = _calendar_params(
        connection,
        coach_ids,
        window_start=window_start,
        window_end=window_end,
        now=now,
        exclude_booking_id=exclude_booking_id,
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return _converted(rows, connection)


def _calendar_sql(connection, *, coach_count: int, excludes: bool) -> str:
    """`_CALENDAR_SQL` with this database's names and typed NULLs filled in."""

    def null(model, field: str) -> str:
        return f"CAST(NULL AS {model._meta.get_field(field).db_type(connection)})"

    return _CALENDAR_SQL.format(
        w=_Names(WeeklyHours, connection),
        o=_Names(DateOverride, connection),
        t=_Names(TimeOff, connection),
        b=_Names(Booking, connection),
        coaches=", ".join(["%s"] * coach_count),
        no_weekday=null(WeeklyHours, "weekday"),
        no_date=null(DateOverride, "date"),
        no_time=null(WeeklyHours, "start_time"),
        no_instant=null(Booking, "start"),
        not_excluded=f" AND {_Names(Booking, connection).id} <> %s" if excludes else "",
    )


def _calendar_params(
    connection,
    coach_ids: list[int],
    *,
    window_start: datetime,
    window_end: datetime,
    now: datetime,
    exclude_booking_id: int | None,
) -> list:
    """The statement's parameters, in its order, prepared as each field's ORM lookup would."""
    day = DateOverride._meta.get_field("date").get_db_prep_value
    instant = Booking._meta.get_field("start").get_db_prep_value
    since, until = instant(window_start, connection), instant(window_end, connection)
    params = [
        *coach_ids,
        *coach_ids,
        day(window_start.date(), connection),
        day(window_end.date(), connection),
        *coach_ids,
        since,
        until,
        *coach_ids,
        since,
        until,
        BookingStatus.CONFIRMED.value,
        BookingStatus.HELD.value,
        instant(now, connection),
    ]
    if exclude_booking_id is not None:
        params.append(exclude_booking_id)
    return params


def _converted(rows: list, connection) -> list:
    """The rows with each column's raw value turned into what the ORM turns it into: nothing on
    PostgreSQL, whose driver returns dates, times and aware datetimes; those from strings on
    SQLite."""
    converters = []
    for index, model_field in enumerate(
        [
            DateOverride._meta.get_field("date"),
            WeeklyHours._meta.get_field("start_time"),
            WeeklyHours._meta.get_field("end_time"),
            *[Booking._meta.get_field("start")] * 3,
        ],
        start=3,
    ):
        expression = model_field.get_col(model_field.model._meta.db_table)
        for convert in connection.ops.get_db_converters(expression) + model_field.get_db_converters(
            connection
        ):
            converters.append((index, convert, expression))
    if not converters:
        return rows
    converted = []
    for row in rows:
        values = list(row)
        for index, convert, expression in converters:
            values[index] = convert(values[index], expression, connection)
        converted.append(values)
    return converted


def load_coach_data(
    *,
    coaches: list[Coach],
    start: datetime,
    end: datetime,
    now: datetime,
    exclude_booking_id: int | None = None,
) -> list[CoachData]:
    """Weekly hours, overrides, time off and blocking bookings around [start, end): one SQL
    statement, whatever the number of coaches."""
    if not coaches:
        return []
    # Local dates can differ from UTC dates by up to a day either side.
    window_start, window_end = start - timedelta(days=2), end + timedelta(days=2)
    rows = _calendar_rows(
        [coach.pk for coach in coaches],
        window_start=window_start,
        window_end=window_end,
        now=now,
        exclude_booking_id=exclude_booking_id,
    )
    calendars = _calendars_by_coach(rows)
    return [_coach_data(coach, calendars[coach.pk]) for coach in coaches]


@dataclass
class _Calendar:
    """One coach's rows of `_CALENDAR_SQL`, sorted out by kind."""

    # weekday → [(start, end) wall-clock minutes]; a weekday without hours reads as []
    weekly: dict[int, list[tuple[int, int]]] = field(default_factory=lambda: defaultdict(list))
    overrides: dict[date, list[tuple[int, int]]] = field(default_factory=dict)
    time_off: list[tuple[datetime, datetime]] = field(default_factory=list)
    blocked: list[tuple[datetime, datetime]] = field(default_factory=list)
    booking_starts: list[datetime] = field(default_factory=list)


def _calendars_by_coach(rows: list) -> dict[int, _Calendar]:
    """{coach id: their calendar} from the rows of `_CALENDAR_SQL`; a coach without rows gets an
    empty one."""
    calendars: dict[int, _Calendar] = defaultdict(_Calendar)
    for kind, coach_id, weekday, day, st, et, interval_start, interval_end, b_start in rows:
        calendar = calendars[coach_id]
        if kind == _WEEKLY:
            calendar.weekly[weekday].append((_minutes(st), _minutes(et)))
        elif kind == _OVERRIDE:
            ranges = calendar.overrides.setdefault(day, [])
            if st is not None:  # a row without times is a day off
                ranges.append((_minutes(st), _minutes(et)))
        elif kind == _TIME_OFF:
            calendar.time_off.append((interval_start, interval_end))
        else:  # _BOOKING
            calendar.blocked.append((interval_start, interval_end))
            calendar.booking_starts.append(b_start)
    # A statement has no order: each list of ranges in the order of its start, as the models'
    # `Meta.ordering` gave them.
    for calendar in calendars.values():
        for day_ranges in [*calendar.weekly.values(), *calendar.overrides.values()]:
            day_ranges.sort()
    return calendars


def _coach_data(coach: Coach, calendar: _Calendar) -> CoachData:
    zone = ZoneInfo(coach.time_zone)
    per_day: dict[date, int] = defaultdict(int)
    for b_start in calendar.booking_starts:
        per_day[b_start.astimezone(zone).date()] += 1
    return CoachData(
        coach=coach,
        rules=rules_for(coach),
        zone=zone,
        weekly=calendar.weekly,
        overrides=calendar.overrides,
        time_off=_Intervals(calendar.time_off),
        taken=_Intervals(calendar.blocked),
        per_day=per_day,
    )


# --- step 2: a local date's wall clock in UTC (with the fast path) -------------------------


class DayClock(NamedTuple):
    """Turns wall-clock minutes of one local date into UTC instants.

    Fast path: on a day without a DST change, local wall time maps to UTC by one fixed offset
    (`midnight_utc` is set). A day with a change takes the careful per-instant `zoneinfo` path.
    """

    day: date
    zone: ZoneInfo
    midnight_utc: datetime | None  # None on a day with a DST change

    def instant(self, minutes: int) -> datetime | None:
        """The UTC instant of a wall-clock time; None when it does not exist (DST gap)."""
        if self.midnight_utc is not None:
            return self.midnight_utc + timedelta(minutes=minutes)
        return _local_datetime(self.day, minutes, self.zone)

    def range_end(self, minutes: int) -> datetime:
        """The UTC instant a range ends; an end inside a DST gap is clamped to the gap's end."""
        instant = self.instant(minutes)
        if instant is None:
            instant = datetime.combine(
                self.day, time(minutes // 60, minutes % 60), tzinfo=self.zone
            ).astimezone(UTC)
        return instant


def day_clock(day: date, zone: ZoneInfo) -> DayClock:
    midnight = datetime.combine(day, time.min, tzinfo=zone)
    offset = midnight.utcoffset()
    # (Aware + timedelta is wall-clock arithmetic: this is the next local midnight.)
    if offset != (midnight + timedelta(days=1)).utcoffset():
        return DayClock(day, zone, None)
    return DayClock(day, zone, (datetime.combine(day, time.min) - offset).replace(tzinfo=UTC))


# --- step 3: candidate starts in one range, then the free ones -----------------------------


def candidate_starts(
    clock: DayClock, range_start: int, range_end: int, *, step: int, duration_minutes: int
) -> list[datetime]:
    """UTC starts on the step grid of the local clock (multiples of `step` from midnight) whose
    session fits in the range in wall-clock minutes; wall times that do not exist are skipped."""
    grid = range(-(-range_start // step) * step, range_end - duration_minutes + 1, step)
    if clock.midnight_utc is not None:
        midnight = clock.midnight_utc
        return [midnight + timedelta(minutes=minute) for minute in grid]
    return [instant for minute in grid if (instant := clock.instant(minute)) is not None]


def free_slots_on(
    data: CoachData, day: date, *, duration: timedelta, earliest: datetime, latest: datetime
) -> list[Slot]:
    """One local date of one coach expanded into its free slots: candidates of each open range,
    kept when inside [earliest, latest), ending by the range's end, clear of time off, and with
    the coach's buffers clear of every blocking booking."""
    ranges = data.ranges_on(day)
    if not ranges:
        return []
    clock = day_clock(day, data.zone)
    step, minutes = data.rules.slot_step_minutes, int(duration.total_seconds()) // 60
    before, after = data.rules.buffer_before, data.rules.buffer_after
    off, taken, coach = data.time_off.overlaps, data.taken.overlaps, data.coach
    load = data.per_day[day]
    slots = []
    for range_start, range_end in ranges:
        range_end_utc = clock.range_end(range_end)
        for start in candidate_starts(
            clock, range_start, range_end, step=step, duration_minutes=minutes
        ):
            end = start + duration
            if (
                earliest <= start < latest
                and end <= range_end_utc
                and not off(start, end)
                and not taken(start - before, end + after)
            ):
                slots.append(Slot(coach, start, end, load))
    return slots


# --- the engine ---------------------------------------------------------------------------


def bookable_window(
    rules: CoachSchedule, *, start: datetime, end: datetime, now: datetime
) -> tuple[datetime, datetime] | None:
    """[earliest, latest) a slot of this coach may start in: the asked range, after the minimum
    notice and within the booking window; None when empty."""
    earliest = max(start, now + timedelta(hours=rules.min_notice_hours))
    latest = min(end, now + timedelta(days=rules.booking_window_days) + timedelta(microseconds=1))
    return (earliest, latest) if earliest < latest else None


def find_slots(
    *,
    service: Service,
    start: datetime,
    end: datetime,
    coaches=None,
    now: datetime | None = None,
    exclude_booking_id: int | None = None,
) -> list[Slot]:
    """Free slots of `service` starting in [start, end), across `coaches` (default: all active
    coaches who deliver it), sorted by start then coach."""
    now = now or timezone.now()
    if not service.is_bookable or not service.active:
        return []
    if coaches is None:
        coaches = service.coaches.active().select_related("schedule")
    coaches = list(coaches)
    if not coaches or end <= start:
        return []
    duration = timedelta(minutes=service.duration_minutes)
    slots: list[Slot] = []
    for data in load_coach_data(
        coaches=coaches, start=start, end=end, now=now, exclude_booking_id=exclude_booking_id
    ):
        window = bookable_window(data.rules, start=start, end=end, now=now)
        if window is None:
            continue
        earliest, latest = window
        day = earliest.astimezone(data.zone).date() - timedelta(days=1)
        last_day = latest.astimezone(data.zone).date()
        while day <= last_day:
            slots += free_slots_on(data, day, duration=duration, earliest=earliest, latest=latest)
            day += timedelta(days=1)
    slots.sort(key=lambda slot: (slot.start, slot.coach.sort_order, slot.coach.display_name))
    return slots


def is_free_slot(
    *,
    service: Service,
    coach: Coach,
    start: datetime,
    now: datetime | None = None,
    exclude_booking_id: int | None = None,
) -> bool:
    """Whether `start` is one of the slots `find_slots` would offer for this coach."""
    found = find_slots(
        service=service,
        start=start,
        end=start + timedelta(microseconds=1),
        coaches=[coach],
        now=now,
        exclude_booking_id=exclude_booking_id,
    )
    return any(slot.start == start for slot in found)


# --- "any coach": one time, the coach it goes to ------------------------------------------


def assignment_key(slot: Slot) -> tuple[int, str]:
    """How "any coach" orders the coaches free at one time: the fewest active sessions on that
    date in the coach's own zone first, ties by slug (unique, so the same order every time)."""
    return (slot.day_load, slot.coach.slug)


def assignment_order(slots: list[Slot], start: datetime) -> list[Slot]:
    """The slots at exactly `start`, in the order "any coach" tries their coaches."""
    return sorted((slot for slot in slots if slot.start == start), key=assignment_key)


class TimeSlot(NamedTuple):
    """One free start time across coaches: the slot of the coach "any coach" would assign
    now, and how many coaches are free then."""

    slot: Slot
    coaches_free: int


def merge_by_start(slots: list[Slot]) -> list[TimeSlot]:
    """`find_slots`' result (sorted by start) as one entry per start time."""
    merged: list[TimeSlot] = []
    for slot in slots:
        if merged and merged[-1].slot.start == slot.start:
            best, count = merged[-1]
            merged[-1] = TimeSlot(min(best, slot, key=assignment_key), count + 1)
        else:
            merged.append(TimeSlot(slot, 1))
    return merged
