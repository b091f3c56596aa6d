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

Wall-clock times are turned into UTC with `zoneinfo`, so a 09:00 coach is at 09:00 local time on
both sides of a DST change; local times that do not exist (the spring-forward gap) are skipped,
and repeated ones (fall back) use their first occurrence.

Queries: a fixed number whatever the range or the number of coaches (weekly hours, overrides,
time off and bookings each in one query for all coaches).
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from django.utils import timezone

from booking.models import Booking, CoachSchedule, DateOverride, TimeOff, WeeklyHours
from coaching.models import Coach, Service


class Slot(NamedTuple):
    coach: Coach
    start: datetime  # UTC
    end: datetime  # UTC

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
    coach_ids = [coach.pk for coach in coaches]
    duration = timedelta(minutes=service.duration_minutes)

    # Local dates can differ from UTC dates by up to a day either side.
    first_day = (start - timedelta(days=2)).date()
    last_day = (end + timedelta(days=2)).date()

    weekly: dict[int, dict[int, list[tuple[int, int]]]] = defaultdict(lambda: defaultdict(list))
    for coach_id, weekday, st, et in WeeklyHours.objects.filter(coach_id__in=coach_ids).values_list(
        "coach_id", "weekday", "start_time", "end_time"
    ):
        weekly[coach_id][weekday].append((_minutes(st), _minutes(et)))

    overrides: dict[int, dict[date, list[tuple[int, int]]]] = defaultdict(dict)
    for coach_id, day, st, et in DateOverride.objects.filter(
        coach_id__in=coach_ids, date__gte=first_day, date__lte=last_day
    ).values_list("coach_id", "date", "start_time", "end_time"):
        ranges = overrides[coach_id].setdefault(day, [])
        if st is not None:
            ranges.append((_minutes(st), _minutes(et)))

    window_start = start - timedelta(days=2)
    window_end = end + timedelta(days=2)
    time_off: dict[int, list[tuple[datetime, datetime]]] = defaultdict(list)
    for coach_id, off_start, off_end in TimeOff.objects.filter(
        coach_id__in=coach_ids, end__gt=window_start, start__lt=window_end
    ).values_list("coach_id", "start", "end"):
        time_off[coach_id].append((off_start, off_end))

    bookings = Booking.objects.blocking(now).filter(
        coach_id__in=coach_ids, blocked_end__gt=window_start, blocked_start__lt=window_end
    )
    if exclude_booking_id is not None:
        bookings = bookings.exclude(pk=exclude_booking_id)
    blocked: dict[int, list[tuple[datetime, datetime]]] = defaultdict(list)
    starts_by_coach: dict[int, list[datetime]] = defaultdict(list)
    if any(rules_for(coach).daily_cap for coach in coaches):
        for coach_id, b_start, b_blocked_start, b_blocked_end in bookings.values_list(
            "coach_id", "start", "blocked_start", "blocked_end"
        ):
            blocked[coach_id].append((b_blocked_start, b_blocked_end))
            starts_by_coach[coach_id].append(b_start)
    else:  # one datetime fewer to read per row when no coach has a daily cap
        for coach_id, b_blocked_start, b_blocked_end in bookings.values_list(
            "coach_id", "blocked_start", "blocked_end"
        ):
            blocked[coach_id].append((b_blocked_start, b_blocked_end))

    slots: list[Slot] = []
    for coach in coaches:
        rules = rules_for(coach)
        zone = ZoneInfo(coach.time_zone)
        step = rules.slot_step_minutes
        earliest = max(start, now + timedelta(hours=rules.min_notice_hours))
        latest = min(
            end, now + timedelta(days=rules.booking_window_days) + timedelta(microseconds=1)
        )
        if earliest >= latest:
            continue
        off = _Intervals(time_off[coach.pk])
        taken = _Intervals(blocked[coach.pk])
        before, after = rules.buffer_before, rules.buffer_after
        per_day: dict[date, int] = defaultdict(int)
        if rules.daily_cap:
            for b_start in starts_by_coach[coach.pk]:
                per_day[b_start.astimezone(zone).date()] += 1
        day = earliest.astimezone(zone).date() - timedelta(days=1)
        stop_day = latest.astimezone(zone).date()
        coach_overrides = overrides[coach.pk]
        coach_weekly = weekly[coach.pk]
        while day <= stop_day:
            ranges = coach_overrides[day] if day in coach_overrides else coach_weekly[day.weekday()]
            if ranges and not (rules.daily_cap and per_day[day] >= rules.daily_cap):
                # Fast path: on a day without a DST change, local wall time maps to UTC by one
                # fixed offset. Days with a change take the careful per-slot path.
                midnight = datetime.combine(day, time.min, tzinfo=zone)
                offset = midnight.utcoffset()
                # (Aware + timedelta is wall-clock arithmetic: this is the next local midnight.)
                steady = offset == (midnight + timedelta(days=1)).utcoffset()
                day_start_utc = (datetime.combine(day, time.min) - offset).replace(tzinfo=UTC)
                for range_start, range_end in ranges:
                    if steady:
                        range_end_utc = day_start_utc + timedelta(minutes=range_end)
                    else:
                        range_end_utc = _local_datetime(day, range_end, zone)
                        if range_end_utc is None:  # ends inside a DST gap: clamp to its end
                            range_end_utc = datetime.combine(
                                day, time(range_end // 60, range_end % 60), tzinfo=zone
                            ).astimezone(UTC)
                    minute = -(-range_start // step) * step
                    while minute + service.duration_minutes <= range_end:
                        if steady:
                            slot_start = day_start_utc + timedelta(minutes=minute)
                        else:
                            slot_start = _local_datetime(day, minute, zone)
                        minute += step
                        if slot_start is None or not (earliest <= slot_start < latest):
                            continue
                        slot_end = slot_start + duration
                        if slot_end > range_end_utc:
                            continue
                        if off.overlaps(slot_start, slot_end):
                            continue
                        if taken.overlaps(slot_start - before, slot_end + after):
                            continue
                        slots.append(Slot(coach, slot_start, slot_end))
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
