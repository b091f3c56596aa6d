"""Busy times from a coach's own calendar file (iCalendar, RFC 5545), as merged UTC intervals.

`busy_intervals(ics, window_start=..., window_end=..., zone=...)` reads an .ics (a coach's
subscribed or uploaded calendar), expands recurring events with `recurring-ical-events`
(RRULE, RDATE, EXDATE, and RECURRENCE-ID overrides that move or cancel one occurrence) and
returns when the coach is busy inside the window. Pure: no Django models, no network.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from math import prod
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import recurring_ical_events
from dateutil.rrule import YEARLY, rrule
from icalendar import Calendar, Component

Interval = tuple[datetime, datetime]

# How many steps dateutil may take to walk one rule from its DTSTART to the window's end (it
# always starts at DTSTART: a MINUTELY rule from year 1 would otherwise never finish).
MAX_RULE_STEPS = 200_000
# The widening of the query on each side, so that all-day and floating events, which the
# library compares in the window's zone, are all found; each is then clipped exactly.
_MARGIN = timedelta(days=2)
_PERIOD = {
    "SECONDLY": timedelta(seconds=1),
    "MINUTELY": timedelta(minutes=1),
    "HOURLY": timedelta(hours=1),
    "DAILY": timedelta(days=1),
    "WEEKLY": timedelta(weeks=1),
    "MONTHLY": timedelta(days=28),
    "YEARLY": timedelta(days=365),
}
_WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
_BY_PARTS = ("BYSECOND", "BYMINUTE", "BYHOUR", "BYMONTHDAY", "BYYEARDAY", "BYWEEKNO", "BYMONTH")


class BusyTimesError(ValueError):
    """A calendar that cannot be read: `code` is "malformed" or "too_many"."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


def busy_intervals(
    ics: bytes,
    *,
    window_start: datetime,
    window_end: datetime,
    zone: str,
    max_events: int = 5000,
) -> list[Interval]:
    """When the calendar `ics` says its owner is busy within [window_start, window_end).

    Guarantees:
    - the result is sorted, non-overlapping, non-touching (start, end) pairs of aware UTC
      datetimes, each with start < end, clipped to the window;
    - recurring events are expanded (RRULE, RDATE, EXDATE; a RECURRENCE-ID override moves,
      changes or cancels its one occurrence);
    - all-day events (DATE values) cover 00:00 to 24:00 of their days in `zone` (an IANA
      name), so a day is 23 or 25 hours long when the clocks change; floating times (no TZID,
      no Z) are read in `zone`; TZID (with a VTIMEZONE or an IANA name) and UTC times as given;
    - events that are TRANSP:TRANSPARENT, STATUS:CANCELLED or have no DTSTART are ignored, as
      are zero-length ones (a DATE-TIME DTSTART with no DTEND or DURATION); STATUS:TENTATIVE
      is busy; a DATE DTSTART with no end is one day (RFC 5545);
    - bounded work: more than `max_events` occurrences inside the window, or a rule that would
      take more than MAX_RULE_STEPS steps from its DTSTART to the window's end, raises
      BusyTimesError("too_many"); a file that cannot be parsed raises
      BusyTimesError("malformed"). Bad input raises no other exception.
    Raises ValueError for a naive or empty window, or an unknown `zone` (caller errors).
    """
    tz = _check_arguments(window_start, window_end, zone)
    start, end = window_start.astimezone(UTC), window_end.astimezone(UTC)
    calendar = _parse(ics)
    _check_rule_steps(calendar, end)
    try:
        _drop_rules_that_never_occur(calendar)
        intervals = _expand(calendar, start, end, tz, max_events)
    except BusyTimesError:
        raise
    except Exception as error:  # the libraries' many ways of refusing a bad file
        raise BusyTimesError("malformed", f"cannot expand the calendar: {error!r}") from error
    return _merge(intervals)


def _check_arguments(window_start: datetime, window_end: datetime, zone: str) -> ZoneInfo:
    if window_start.tzinfo is None or window_end.tzinfo is None:
        raise ValueError("window_start and window_end must be aware datetimes")
    if not window_start < window_end:
        raise ValueError("window_start must be before window_end")
    try:
        return ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValueError(f"unknown time zone {zone!r}") from error


def _parse(ics: bytes) -> Calendar:
    """The VCALENDAR, with its events that have no DTSTART left out."""
    try:
        calendars = Calendar.from_ical(ics, multiple=True)
    except Exception as error:  # icalendar raises ValueError, KeyError, IndexError, ...
        raise BusyTimesError("malformed", f"not an iCalendar file: {error!r}") from error
    if not calendars or calendars[0].name != "VCALENDAR":
        raise BusyTimesError("malformed", "no VCALENDAR in the file")
    calendar = calendars[0]
    calendar.subcomponents = [
        part for part in calendar.subcomponents if part.name != "VEVENT" or "DTSTART" in part
    ]
    return calendar


def _check_rule_steps(calendar: Calendar, end: datetime) -> None:
    """Refuse rules that dateutil could not walk to `end` in MAX_RULE_STEPS steps."""
    try:
        steps = sum(_rule_steps(event, end) for event in calendar.walk("VEVENT"))
    except Exception as error:  # a DTSTART or RRULE that cannot be read
        raise BusyTimesError("malformed", f"cannot read a rule: {error!r}") from error
    if steps > MAX_RULE_STEPS:
        raise BusyTimesError("too_many", "a recurrence rule repeats too often to expand")


def _rule_steps(event: Component, end: datetime) -> int:
    """An upper bound on the occurrences dateutil generates for `event` until `end`."""
    rules = _rules(event)
    if not rules:
        return 0
    first = event["DTSTART"].dt
    if not isinstance(first, datetime):
        first = datetime.combine(first, time())
    if first.tzinfo is None:
        first = first.replace(tzinfo=UTC)
    span = max(end - first.astimezone(UTC), timedelta(0)) + _MARGIN
    total = 0
    for rule in rules:
        freq = str((rule.get("FREQ") or ["?"])[0]).upper()
        period = _PERIOD.get(freq)
        if period is None:
            raise ValueError(f"unknown FREQ {freq!r}")
        interval = max(int((rule.get("INTERVAL") or [1])[0]), 1)
        total += (span // (period * interval) + 1) * _set_size_bound(rule)
    return total


def _set_size_bound(rule) -> int:
    """At least as many as the occurrences one period of `rule` can hold."""
    freq = str((rule.get("FREQ") or ["?"])[0]).upper()
    size = prod(len(rule.get(part) or [0]) for part in _BY_PARTS)
    size *= 7 if rule.get("BYWEEKNO") else 1
    return size * len(rule.get("BYDAY") or [0]) * {"YEARLY": 53, "MONTHLY": 5}.get(freq, 1)


def _rules(event: Component) -> list:
    rules = event.get("RRULE")
    return [] if rules is None else rules if isinstance(rules, list) else [rules]


def _drop_rules_that_never_occur(calendar: Calendar) -> None:
    """Leave out rules with no occurrence (FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30, BYSETPOS=9).

    dateutil would walk such a rule day by day to year 9999 (seconds each). The rule's days
    are tested over one 400-year Gregorian cycle (which repeats weekdays and leap years),
    ending at year 9999 so that dateutil stops there; DTSTART itself stays an occurrence.
    """
    for event in calendar.walk("VEVENT"):
        rules = _rules(event)
        kept = [rule for rule in rules if not _never_occurs(rule)]
        if len(kept) < len(rules):
            del event["RRULE"]
            for rule in kept:
                event.add("RRULE", rule)


def _never_occurs(rule) -> bool:
    positions = [abs(int(value)) for value in rule.get("BYSETPOS") or []]
    if positions and min(positions) > _set_size_bound(rule):
        return True
    days = [_WEEKDAYS.index(str(day)[-2:].upper()) for day in rule.get("BYDAY") or []]
    probe = rrule(
        YEARLY,
        dtstart=datetime(9600, 1, 1),  # noqa: DTZ001 - days only
        bymonth=[int(month) for month in rule.get("BYMONTH") or []] or None,
        bymonthday=[int(day) for day in rule.get("BYMONTHDAY") or []] or None,
        byyearday=[int(day) for day in rule.get("BYYEARDAY") or []] or None,
        byweekno=[int(week) for week in rule.get("BYWEEKNO") or []] or None,
        byweekday=days or None,
    )
    return next(iter(probe), None) is None


def _expand(
    calendar: Calendar, start: datetime, end: datetime, tz: ZoneInfo, max_events: int
) -> list[Interval]:
    """Every busy occurrence, clipped to [start, end); more than `max_events` raises."""
    query = recurring_ical_events.of(calendar)
    low, high = (start - _MARGIN).astimezone(tz), (end + _MARGIN).astimezone(tz)
    intervals: list[Interval] = []
    count = 0
    for series in query.series:
        for occurrence in series.between(low, high):
            begin, finish = _to_utc(occurrence.start, tz), _to_utc(occurrence.end, tz)
            if not (begin < end and finish > start):
                continue
            count += 1
            if count > max_events:
                raise BusyTimesError("too_many", f"more than {max_events} events in the window")
            if finish > begin and _is_busy(occurrence.as_component(False)):
                intervals.append((max(begin, start), min(finish, end)))
    return intervals


def _to_utc(value: date | datetime, tz: ZoneInfo) -> datetime:
    """A DATE is midnight in `tz`; a floating DATE-TIME is read in `tz`."""
    if not isinstance(value, datetime):
        value = datetime.combine(value, time(), tzinfo=tz)
    elif value.tzinfo is None:
        value = value.replace(tzinfo=tz)
    return value.astimezone(UTC)


def _is_busy(event: Component) -> bool:
    status = str(event.get("STATUS", "CONFIRMED")).upper()
    transparency = str(event.get("TRANSP", "OPAQUE")).upper()
    return status != "CANCELLED" and transparency != "TRANSPARENT"


def _merge(intervals: list[Interval]) -> list[Interval]:
    """Sorted, with overlapping or touching intervals joined."""
    merged: list[Interval] = []
    for begin, finish in sorted(intervals):
        if merged and begin <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], finish))
        else:
            merged.append((begin, finish))
    return merged
