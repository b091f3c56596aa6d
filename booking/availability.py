"""Writing a coach's availability: rules, weekly hours, date overrides and time off.

`availability_replace` is the one write path, used by the coach page and the API: it validates
the whole set and replaces the coach's rows in one transaction, so a bad entry changes nothing.
Past date overrides and past time off are history: a replace keeps them, whatever it is sent.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.utils import timezone

from booking.errors import AvailabilityError
from booking.models import CoachSchedule, DateOverride, TimeOff, Weekday, WeeklyHours
from booking.rules import RULE_FIELDS, RULES
from coaching.models import Coach


@dataclass
class AvailabilityData:
    rules: dict
    weekly: list[tuple[int, time, time]] = field(default_factory=list)
    overrides: list[tuple[date, time | None, time | None]] = field(default_factory=list)
    time_off: list[tuple[datetime, datetime, str]] = field(default_factory=list)


def _check_no_overlap(ranges, label: str) -> None:
    ordered = sorted(ranges)
    for (s1, e1), (s2, e2) in zip(ordered, ordered[1:], strict=False):
        if s2 < e1:
            raise AvailabilityError(
                f"{label}: {s1:%H:%M}–{e1:%H:%M} and {s2:%H:%M}–{e2:%H:%M} overlap. Merge them."
            )


def validate(data: AvailabilityData) -> None:
    for rule in RULES:
        problem = rule.problem(data.rules.get(rule.field))
        if problem:
            raise AvailabilityError(problem)

    by_day: dict[int, list] = {}
    for weekday, start, end in data.weekly:
        if weekday not in Weekday.values:
            raise AvailabilityError("Weekday must be 0 (Monday) to 6 (Sunday).")
        if end <= start:
            raise AvailabilityError(
                f"{Weekday(weekday).label}: the end ({end:%H:%M}) must be after the start ({start:%H:%M})."
            )
        by_day.setdefault(weekday, []).append((start, end))
    for weekday, ranges in by_day.items():
        _check_no_overlap(ranges, Weekday(weekday).label)

    by_date: dict[date, list] = {}
    for day, start, end in data.overrides:
        if (start is None) != (end is None):
            raise AvailabilityError(
                f"{day}: give both a start and an end, or neither for a day off."
            )
        if start is not None and end <= start:
            raise AvailabilityError(f"{day}: the end must be after the start.")
        by_date.setdefault(day, []).append((start, end))
    for day, ranges in by_date.items():
        if any(start is None for start, _ in ranges) and len(ranges) > 1:
            raise AvailabilityError(f"{day}: a day off cannot also have hours.")
        if ranges[0][0] is not None:
            _check_no_overlap(ranges, str(day))

    for start, end, _reason in data.time_off:
        if start.tzinfo is None or end.tzinfo is None:
            raise AvailabilityError("Time off needs times with a zone.")
        if end <= start:
            raise AvailabilityError("Time off must end after it starts.")


def schedule_for(coach: Coach, *, lock: bool = False) -> CoachSchedule:
    """The coach's schedule row, created with the default rules on first need.

    With `lock`, the row is locked (`select_for_update`) for the caller's transaction: writes
    that occupy or change a coach's time then run one at a time. Two first requests racing to
    create it both end with the one row (the unique coach column decides).
    """
    schedules = CoachSchedule.objects.select_for_update() if lock else CoachSchedule.objects
    schedule = schedules.filter(coach=coach).first()
    if schedule is None:
        try:
            with transaction.atomic():
                CoachSchedule.objects.create(coach=coach)
        except IntegrityError:
            pass
        schedule = schedules.get(coach=coach)
    return schedule


def _coach_today(coach: Coach, now: datetime) -> date:
    return now.astimezone(ZoneInfo(coach.time_zone)).date()


def availability_get(
    *, coach: Coach, upcoming_only: bool = False, now: datetime | None = None
) -> AvailabilityData:
    """The coach's availability; `upcoming_only` leaves out past overrides and time off."""
    schedule = CoachSchedule.objects.filter(coach=coach).first() or CoachSchedule(coach=coach)
    data = AvailabilityData(
        rules={name: getattr(schedule, name) for name in RULE_FIELDS},
        weekly=[(row.weekday, row.start_time, row.end_time) for row in coach.weekly_hours.all()],
        overrides=[(row.date, row.start_time, row.end_time) for row in coach.date_overrides.all()],
        time_off=[(row.start, row.end, row.reason) for row in coach.time_off.all()],
    )
    if not upcoming_only:
        return data
    past = _past_of(data, coach=coach, now=now or timezone.now())
    return replace(
        data,
        overrides=[row for row in data.overrides if row not in past.overrides],
        time_off=[row for row in data.time_off if row not in past.time_off],
    )


def _past_of(data: AvailabilityData, *, coach: Coach, now: datetime) -> AvailabilityData:
    """Only the history in `data`: overrides of dates before the coach's today, time off that
    has ended."""
    today = _coach_today(coach, now)
    return AvailabilityData(
        rules=data.rules,
        overrides=[row for row in data.overrides if row[0] < today],
        time_off=[row for row in data.time_off if row[1] < now],
    )


def _with_past_kept(data: AvailabilityData, *, coach: Coach, now: datetime) -> AvailabilityData:
    """`data` plus the coach's stored past overrides and time off (not twice if sent back)."""
    past = _past_of(availability_get(coach=coach), coach=coach, now=now)
    return replace(
        data,
        overrides=past.overrides + [row for row in data.overrides if row not in past.overrides],
        time_off=past.time_off + [row for row in data.time_off if row not in past.time_off],
    )


def availability_replace(
    *, coach: Coach, data: AvailabilityData, now: datetime | None = None
) -> None:
    """Validate everything, then replace the coach's rules and rows in one transaction.

    Past overrides and past time off already stored are kept (they are history, and the form
    does not show them); sending them back, as an API client that read them may, changes nothing.
    """
    with transaction.atomic():
        schedule = schedule_for(coach, lock=True)
        data = _with_past_kept(data, coach=coach, now=now or timezone.now())
        validate(data)
        for name in RULE_FIELDS:
            setattr(schedule, name, data.rules.get(name))
        schedule.save()
        WeeklyHours.objects.filter(coach=coach).delete()
        WeeklyHours.objects.bulk_create(
            WeeklyHours(coach=coach, weekday=w, start_time=s, end_time=e) for w, s, e in data.weekly
        )
        DateOverride.objects.filter(coach=coach).delete()
        DateOverride.objects.bulk_create(
            DateOverride(coach=coach, date=d, start_time=s, end_time=e)
            for d, s, e in data.overrides
        )
        TimeOff.objects.filter(coach=coach).delete()
        TimeOff.objects.bulk_create(
            TimeOff(coach=coach, start=s, end=e, reason=r[:120]) for s, e, r in data.time_off
        )


def calendar_token_reset(*, coach: Coach) -> str:
    """A new secret for the coach's calendar feed; the old URL stops working."""
    from booking.models import new_calendar_token

    with transaction.atomic():
        schedule = schedule_for(coach, lock=True)
        schedule.calendar_token = new_calendar_token()
        schedule.save(update_fields=["calendar_token", "updated_at"])
    return schedule.calendar_token
