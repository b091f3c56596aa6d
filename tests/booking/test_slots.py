"""Slot rules, each alone and together, across DST and in odd-offset zones (fixed 2027 dates)."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from booking.models import BookingStatus, CoachSchedule
from booking.slots import find_slots, is_free_slot
from tests.booking.conftest import NOW
from tests.booking.factories import BookingFactory, add_override, add_time_off, utc
from tests.coaching.factories import CoachFactory

pytestmark = pytest.mark.django_db

TORONTO = ZoneInfo("America/Toronto")
LONDON = ZoneInfo("Europe/London")
WED = date(2027, 3, 3)


def local_day(day, zone=TORONTO):
    start = datetime.combine(day, time.min, tzinfo=zone)
    return start, datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone)


def times_on(service, coach, day, zone=TORONTO):
    start, end = local_day(day, zone)
    slots = find_slots(service=service, coaches=[coach], start=start, end=end)
    return [slot.start.astimezone(zone).strftime("%H:%M") for slot in slots]


def set_rules(coach, **rules):
    CoachSchedule.objects.filter(coach=coach).update(**rules)
    return CoachSchedule.objects.get(coach=coach)


def fresh(coach):
    return type(coach).objects.select_related("schedule").get(pk=coach.pk)


HALF_HOURS_9_TO_4 = [f"{h:02d}:{m:02d}" for h in range(9, 16) for m in (0, 30)] + ["16:00"]


def test_slots_fill_weekly_hours_on_the_step_grid_and_fit_before_the_end(service, coach, now):
    assert times_on(service, coach, WED) == HALF_HOURS_9_TO_4


def test_several_ranges_in_one_day(service, now):
    coach = CoachFactory(services=[service], hours=[(2, "09:00", "11:00"), (2, "14:00", "16:30")])
    assert times_on(service, coach, WED) == [
        "09:00",
        "09:30",
        "10:00",
        "14:00",
        "14:30",
        "15:00",
        "15:30",
    ]


def test_no_hours_on_a_weekday_means_no_slots(service, now):
    coach = CoachFactory(services=[service], hours=[(0, "09:00", "17:00")])
    assert times_on(service, coach, WED) == []


def test_step_is_aligned_to_the_coach_local_clock(service, now):
    coach = CoachFactory(services=[service], hours=[(2, "09:15", "12:00")])
    assert times_on(service, coach, WED) == ["09:30", "10:00", "10:30", "11:00"]
    set_rules(coach, slot_step_minutes=45)
    assert times_on(service, fresh(coach), WED) == ["09:45", "10:30"]


def test_override_replaces_the_weekly_hours_for_that_date(service, coach, now):
    add_override(coach, WED, "13:00", "15:00")
    assert times_on(service, coach, WED) == ["13:00", "13:30", "14:00"]
    assert times_on(service, coach, WED + timedelta(days=1)) == HALF_HOURS_9_TO_4


def test_override_without_hours_is_a_day_off(service, coach, now):
    add_override(coach, WED)
    assert times_on(service, coach, WED) == []


def test_override_can_open_a_day_without_weekly_hours(service, now):
    coach = CoachFactory(services=[service], hours=[(0, "09:00", "17:00")])
    add_override(coach, WED, "18:00", "19:30")
    assert times_on(service, coach, WED) == ["18:00", "18:30"]


def test_time_off_removes_overlapping_slots(service, coach, now):
    add_time_off(
        coach,
        datetime(2027, 3, 3, 12, 0, tzinfo=TORONTO),
        datetime(2027, 3, 3, 14, 0, tzinfo=TORONTO),
    )
    got = times_on(service, coach, WED)
    assert "11:00" in got and "14:00" in got
    assert not {"11:30", "12:00", "12:30", "13:00", "13:30"} & set(got)


def test_minimum_notice(service, coach, now):
    # now = Mon 07:00 Toronto; 51 h later is Wed 10:00 Toronto.
    set_rules(coach, min_notice_hours=51)
    assert times_on(service, fresh(coach), WED)[0] == "10:00"
    set_rules(coach, min_notice_hours=24)
    assert times_on(service, fresh(coach), date(2027, 3, 2))[0] == "09:00"


def test_booking_window(service, coach, now):
    # 3 days from Mon 07:00 Toronto is Thu 07:00: Wed still open, Thu closed.
    set_rules(coach, booking_window_days=3)
    assert times_on(service, fresh(coach), WED) == HALF_HOURS_9_TO_4
    assert times_on(service, fresh(coach), WED + timedelta(days=1)) == []


def test_bookings_block_their_time_plus_both_buffers(service, coach, now):
    # Existing: 11:00–12:00 blocked until 12:15 (its buffer after). Buffer before: 30 min.
    start = datetime(2027, 3, 3, 11, 0, tzinfo=TORONTO).astimezone(UTC)
    BookingFactory(coach=coach, service=service, start=start)
    set_rules(coach, buffer_before_minutes=30, buffer_after_minutes=15)
    got = times_on(service, fresh(coach), WED)
    # 09:30 ends 10:30, +15 → 10:45: free. 10:00 ends 11:00, +15 → overlaps.
    # 12:30 − 30 → 12:00 < 12:15: overlaps. 13:00 − 30 → 12:30: free.
    assert "09:30" in got and "13:00" in got
    assert not {"10:00", "10:30", "11:00", "11:30", "12:00", "12:30"} & set(got)


def test_held_bookings_block_until_the_hold_lapses_cancelled_and_expired_never(service, coach, now):
    at = lambda h: datetime(2027, 3, 3, h, 0, tzinfo=TORONTO).astimezone(UTC)  # noqa: E731
    BookingFactory(coach=coach, service=service, start=at(9), held=True)
    BookingFactory(
        coach=coach, service=service, start=at(11), status=BookingStatus.HELD, hold_expires_at=now
    )
    BookingFactory(coach=coach, service=service, start=at(13), cancelled=True)
    BookingFactory(coach=coach, service=service, start=at(15), status=BookingStatus.EXPIRED)
    got = times_on(service, coach, WED)
    assert "09:00" not in got
    assert {"11:00", "13:00", "15:00"} <= set(got)


def test_daily_cap_counts_bookings_on_the_coach_local_date(service, coach, now):
    set_rules(coach, daily_cap=1)
    # 23:30 Wednesday in Toronto is 04:30 Thursday in UTC: it counts for Wednesday.
    BookingFactory(coach=coach, service=service, start=datetime(2027, 3, 3, 23, 30, tzinfo=TORONTO))
    coach = fresh(coach)
    assert times_on(service, coach, WED) == []
    assert times_on(service, coach, WED + timedelta(days=1)) == HALF_HOURS_9_TO_4


def test_rules_together(service, now):
    coach = CoachFactory(
        services=[service],
        hours=[(2, "08:00", "12:00"), (2, "13:00", "18:00")],
        rules={"slot_step_minutes": 60, "buffer_after_minutes": 30, "min_notice_hours": 50},
    )
    # notice: Mon 07:00 + 50 h = Wed 09:00. Booking 13:00–14:00 blocks to 14:30.
    BookingFactory(coach=coach, service=service, start=datetime(2027, 3, 3, 13, 0, tzinfo=TORONTO))
    add_time_off(
        coach,
        datetime(2027, 3, 3, 16, 0, tzinfo=TORONTO),
        datetime(2027, 3, 3, 17, 0, tzinfo=TORONTO),
    )
    assert times_on(service, coach, WED) == ["09:00", "10:00", "11:00", "15:00", "17:00"]


# --- DST ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "before", "after"),
    [
        # Toronto springs forward on 14 March 2027, London on 28 March 2027.
        ("America/Toronto", date(2027, 3, 13), date(2027, 3, 15)),
        ("Europe/London", date(2027, 3, 27), date(2027, 3, 29)),
        # Toronto falls back on 7 November 2027.
        ("America/Toronto", date(2027, 11, 6), date(2027, 11, 8)),
    ],
)
def test_a_9am_coach_stays_at_9am_local_across_dst(service, zone, before, after, time_machine):
    time_machine.move_to(
        datetime.combine(before, time(0), tzinfo=UTC) - timedelta(days=3), tick=False
    )
    coach = CoachFactory(
        services=[service], hours=[(d, "09:00", "10:00") for d in range(7)], time_zone=zone
    )
    tz = ZoneInfo(zone)
    utc_before = find_slots(
        service=service,
        coaches=[coach],
        start=local_day(before, tz)[0],
        end=local_day(before, tz)[1],
    )
    utc_after = find_slots(
        service=service, coaches=[coach], start=local_day(after, tz)[0], end=local_day(after, tz)[1]
    )
    assert [s.start.astimezone(tz).strftime("%H:%M") for s in utc_before + utc_after] == [
        "09:00",
        "09:00",
    ]
    # …which is a different UTC hour on either side.
    assert utc_before[0].start.hour != utc_after[0].start.hour


def test_wall_clock_times_inside_the_spring_forward_gap_are_skipped(service, time_machine):
    time_machine.move_to(utc(2027, 3, 10), tick=False)
    coach = CoachFactory(services=[service], hours=[(6, "01:00", "04:00")])
    day = date(2027, 3, 14)
    got = find_slots(
        service=service, coaches=[coach], start=local_day(day)[0], end=local_day(day)[1]
    )
    assert [s.start.astimezone(TORONTO).strftime("%H:%M") for s in got] == [
        "01:00",
        "01:30",
        "03:00",
    ]
    assert all(s.end - s.start == timedelta(hours=1) for s in got)


# --- the exact-slot check used by the write path ------------------------------------------


def test_is_free_slot_agrees_with_find_slots(service, coach, now):
    start = datetime(2027, 3, 3, 9, 0, tzinfo=TORONTO).astimezone(UTC)
    assert is_free_slot(service=service, coach=coach, start=start)
    assert not is_free_slot(service=service, coach=coach, start=start + timedelta(minutes=15))
    booking = BookingFactory(coach=coach, service=service, start=start)
    assert not is_free_slot(service=service, coach=coach, start=start)
    assert is_free_slot(service=service, coach=coach, start=start, exclude_booking_id=booking.pk)


def test_inactive_coach_and_review_service_have_no_slots(service, coach, now):
    from tests.coaching.factories import ServiceFactory

    review = ServiceFactory(review=True)
    start, end = local_day(WED)
    assert find_slots(service=review, start=start, end=end) == []
    coach.active = False
    coach.save()
    assert find_slots(service=service, start=start, end=end) == []


def test_a_coach_where_dst_changes_at_midnight_keeps_local_hours(service, time_machine):
    # Santiago springs forward at 00:00 on Sunday 5 September 2027 (00:00 → 01:00).
    time_machine.move_to(utc(2027, 9, 1), tick=False)
    coach = CoachFactory(
        services=[service],
        hours=[(d, "00:00", "02:00") for d in range(7)],
        time_zone="America/Santiago",
    )
    zone = ZoneInfo("America/Santiago")
    for day, expected in [
        (date(2027, 9, 4), ["00:00", "00:30", "01:00"]),
        (date(2027, 9, 5), ["01:00"]),  # 00:00–00:59 does not exist that day
        (date(2027, 9, 6), ["00:00", "00:30", "01:00"]),
    ]:
        start, end = local_day(day, zone)
        got = find_slots(service=service, coaches=[coach], start=start, end=end)
        assert [s.start.astimezone(zone).strftime("%H:%M") for s in got] == expected, day


def test_a_coach_in_a_quarter_hour_zone(service, now):
    coach = CoachFactory(
        services=[service], hours=[(2, "09:00", "10:00")], time_zone="Asia/Kathmandu"
    )
    zone = ZoneInfo("Asia/Kathmandu")
    (slot,) = find_slots(
        service=service, coaches=[coach], start=local_day(WED, zone)[0], end=local_day(WED, zone)[1]
    )
    assert slot.start == utc(2027, 3, 3, 3, 15)  # 09:00 at UTC+05:45


# --- each step of the engine on its own ---------------------------------------------------

KOLKATA = ZoneInfo("Asia/Kolkata")


def coach_data(coach=None, *, zone=TORONTO, weekly=None, overrides=None, off=(), taken=(), **rules):
    """A CoachData built in memory (no database): the engine's view of one coach."""
    from collections import defaultdict

    from booking.slots import CoachData, _Intervals

    return CoachData(
        coach=coach,
        rules=CoachSchedule(**rules),
        zone=zone,
        weekly=defaultdict(list, weekly or {}),
        overrides=overrides or {},
        time_off=_Intervals(off),
        taken=_Intervals(taken),
        per_day=defaultdict(int),
    )


def test_load_coach_data_reads_all_four_kinds_in_one_statement_for_all_coaches(
    service, coach, now, django_assert_num_queries
):
    from booking.slots import load_coach_data

    other = CoachFactory(services=[service], hours=[(2, "10:00", "11:00")])
    add_override(coach, WED, "12:00", "13:00")
    add_override(coach, WED + timedelta(days=30))  # outside the range ± 2 days: not loaded
    add_time_off(coach, utc(2027, 3, 3, 18), utc(2027, 3, 3, 20))
    kept = BookingFactory(coach=other, service=service, start=utc(2027, 3, 3, 15))
    BookingFactory(coach=other, service=service, start=utc(2027, 3, 3, 17), cancelled=True)
    gone = BookingFactory(coach=other, service=service, start=utc(2027, 3, 3, 19))
    start, end = local_day(WED)
    coaches = [fresh(coach), fresh(other)]
    with django_assert_num_queries(1):
        mine, theirs = load_coach_data(
            coaches=coaches, start=start, end=end, now=now, exclude_booking_id=gone.pk
        )
    assert mine.weekly[2] == [(9 * 60, 17 * 60)]
    assert mine.overrides == {WED: [(12 * 60, 13 * 60)]}
    assert mine.time_off.overlaps(utc(2027, 3, 3, 19), utc(2027, 3, 3, 19, 30))
    assert theirs.weekly[2] == [(10 * 60, 11 * 60)] and theirs.overrides == {}
    assert theirs.taken.starts == [kept.blocked_start]  # not the cancelled or excluded ones


def test_ranges_on_a_date_are_its_overrides_else_the_weekday_and_none_past_the_cap():
    data = coach_data(
        weekly={2: [(540, 1020)]}, overrides={WED + timedelta(days=7): []}, daily_cap=2
    )
    assert data.ranges_on(WED) == [(540, 1020)]
    assert data.ranges_on(WED + timedelta(days=7)) == []  # a day off
    assert data.ranges_on(WED + timedelta(days=1)) == []  # no Thursday hours
    data.per_day[WED] = 2
    assert data.ranges_on(WED) == []


def test_day_clock_takes_the_fast_path_only_on_days_without_a_dst_change():
    from booking.slots import day_clock

    steady = day_clock(WED, KOLKATA)
    assert steady.midnight_utc == utc(2027, 3, 2, 18, 30)
    assert steady.instant(9 * 60) == utc(2027, 3, 3, 3, 30)
    spring = day_clock(date(2027, 3, 14), TORONTO)  # 02:00 → 03:00
    assert spring.midnight_utc is None
    assert spring.instant(2 * 60 + 30) is None  # does not exist
    assert spring.instant(3 * 60) == utc(2027, 3, 14, 7)
    assert spring.range_end(2 * 60 + 30) == utc(2027, 3, 14, 7, 30)  # clamped past the gap


def test_candidate_starts_follow_the_local_step_grid_and_fit_the_session():
    from booking.slots import candidate_starts, day_clock

    clock = day_clock(WED, TORONTO)
    starts = candidate_starts(clock, 9 * 60 + 10, 12 * 60, step=45, duration_minutes=60)
    # Multiples of 45 minutes from midnight: 09:45, 10:30; 11:15 would end after 12:00.
    assert [s.astimezone(TORONTO).strftime("%H:%M") for s in starts] == ["09:45", "10:30"]
    spring = day_clock(date(2027, 3, 14), TORONTO)
    starts = candidate_starts(spring, 60, 4 * 60, step=30, duration_minutes=30)
    assert [s.astimezone(TORONTO).strftime("%H:%M") for s in starts] == [
        "01:00",
        "01:30",
        "03:00",
        "03:30",
    ]


def test_free_slots_on_a_day_drop_time_off_buffers_and_what_is_outside_the_window():
    from booking.slots import free_slots_on

    data = coach_data(
        weekly={2: [(9 * 60, 14 * 60)]},
        off=[(utc(2027, 3, 3, 14), utc(2027, 3, 3, 15))],  # 09:00–10:00 Toronto
        taken=[(utc(2027, 3, 3, 17), utc(2027, 3, 3, 18))],  # 12:00–13:00 Toronto
        buffer_before_minutes=0,
        buffer_after_minutes=30,
    )
    slots = free_slots_on(
        data,
        WED,
        duration=timedelta(hours=1),
        earliest=utc(2027, 3, 3, 14),
        latest=utc(2027, 3, 3, 18),  # nothing may start at or after 13:00
    )
    # 09:xx are in time off; 10:00 and 10:30 are free; 11:00 and 11:30 would end (plus the
    # 30-minute buffer) inside the booking; 12:xx overlap it; 13:00 is past `latest`.
    assert [s.start.astimezone(TORONTO).strftime("%H:%M") for s in slots] == ["10:00", "10:30"]


def test_bookable_window_is_the_range_after_notice_and_within_the_booking_window():
    from booking.slots import bookable_window

    rules = CoachSchedule(min_notice_hours=24, booking_window_days=2)
    assert bookable_window(rules, start=NOW, end=NOW + timedelta(days=5), now=NOW) == (
        NOW + timedelta(hours=24),
        NOW + timedelta(days=2, microseconds=1),
    )
    assert bookable_window(rules, start=NOW, end=NOW + timedelta(hours=12), now=NOW) is None
