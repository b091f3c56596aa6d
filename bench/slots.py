"""Benchmark: GET /api/v1/slots for a 60-day range across 5 coaches with 200 bookings each.

Run from the repository root:

    .venv/bin/python bench/slots.py                 # SQLite (a throw-away test database)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/medpath_bench .venv/bin/python bench/slots.py

It builds a throw-away test database (Django's test-database machinery, so your data is
never touched), loads the fixture below, then measures server time of the whole API request
through Django's test client (routing, middleware, parsing, slot engine, JSON) and of the slot
engine alone, and counts SQL queries. Prints median, p95 and max of the elapsed time over the
runs, and the median CPU time of this process (`time.process_time`: what other work on a
shared machine inflates least; the database server's own time is not in it).
"""

import os
import platform
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from datetime import time as dtime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "medpath.settings_test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "30"))
COACHES = 5
BOOKINGS_PER_COACH = 200
DAYS = 60
ZONES = ["America/Toronto", "Europe/London", "Asia/Kolkata", "America/Vancouver", "Asia/Kathmandu"]


def build():
    from django.contrib.auth import get_user_model

    from booking.models import (
        Booking,
        BookingStatus,
        CoachSchedule,
        DateOverride,
        TimeOff,
        WeeklyHours,
    )
    from coaching.models import Coach, Service

    User = get_user_model()
    service = Service.objects.create(
        name="Mock interview", slug="bench", kind="live", duration_minutes=60, short_description="x"
    )
    applicant = User.objects.create_user(email="bench-applicant@example.com")
    now = datetime.now(UTC)
    start_day = (now + timedelta(days=2)).date()
    for index in range(COACHES):
        user = User.objects.create_user(email=f"bench-coach-{index}@example.com")
        coach = Coach.objects.create(
            user=user, slug=f"coach-{index}", display_name=f"Coach {index}", time_zone=ZONES[index]
        )
        coach.services.add(service)
        coach.save()
        CoachSchedule.objects.create(coach=coach)
        WeeklyHours.objects.bulk_create(
            [
                WeeklyHours(coach=coach, weekday=d, start_time=dtime(8), end_time=dtime(12))
                for d in range(7)
            ]
            + [
                WeeklyHours(coach=coach, weekday=d, start_time=dtime(13), end_time=dtime(20))
                for d in range(7)
            ]
        )
        DateOverride.objects.bulk_create(
            [
                DateOverride(
                    coach=coach,
                    date=start_day + timedelta(days=7 * k),
                    start_time=dtime(10),
                    end_time=dtime(14),
                )
                for k in range(8)
            ]
            + [
                DateOverride(coach=coach, date=start_day + timedelta(days=7 * k + 3))
                for k in range(8)
            ]
        )
        TimeOff.objects.create(
            coach=coach,
            start=now + timedelta(days=20),
            end=now + timedelta(days=23),
            reason="Leave",
        )
        bookings = []
        for n in range(BOOKINGS_PER_COACH):
            # Spread over the 60 days: about 3–4 a day, two hours apart, on the hour (UTC).
            day, slot = divmod(n, 4)
            start = datetime.combine(
                start_day + timedelta(days=day % DAYS), dtime(8 + 2 * slot), tzinfo=UTC
            )
            start += timedelta(hours=index)
            bookings.append(
                Booking(
                    applicant=applicant,
                    coach=coach,
                    service=service,
                    start=start,
                    end=start + timedelta(hours=1),
                    blocked_start=start,
                    blocked_end=start + timedelta(minutes=75),
                    status=BookingStatus.CONFIRMED,
                )
            )
        Booking.objects.bulk_create(bookings)
    return service, start_day


def measure(label, func):
    func()  # warm up
    samples, cpu = [], []
    for _ in range(RUNS):
        t0, c0 = time.perf_counter(), time.process_time()
        func()
        samples.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    samples.sort()
    p95 = samples[min(len(samples) - 1, int(len(samples) * 0.95))]
    print(
        f"{label:<34} median {statistics.median(samples):6.1f} ms   p95 {p95:6.1f} ms   "
        f"max {samples[-1]:6.1f} ms   CPU median {statistics.median(cpu):6.1f} ms"
    )


def main():
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        from django.test import Client

        from booking.models import Booking
        from booking.slots import find_slots

        service, start_day = build()
        end_day = start_day + timedelta(days=DAYS - 1)
        client = Client()
        params = {
            "service": "bench",
            "start": start_day.isoformat(),
            "end": end_day.isoformat(),
            "tz": "Asia/Kolkata",
        }

        with CaptureQueriesContext(connection) as queries:
            response = client.get("/api/v1/slots", params)
        assert response.status_code == 200, response.content
        body = response.json()
        count = sum(len(day["slots"]) for day in body["days"])

        print(
            f"machine: {platform.machine()} {platform.processor() or ''} {os.cpu_count()} CPUs, "
            f"Python {platform.python_version()}, {connection.vendor}, "
            f"load average {os.getloadavg()[0]:.1f} (other work on the machine inflates p95/max)"
        )
        print(
            f"data: {COACHES} coaches × {Booking.objects.count() // COACHES} bookings, "
            f"{DAYS}-day range, weekly hours 2 ranges/day, 16 overrides and 1 time-off block per coach"
        )
        print(
            f"result: {count} free slots, {len(body['days'])} days, {len(response.content) // 1024} KiB JSON, "
            f"{len(queries.captured_queries)} SQL queries"
        )
        measure("API request, 60 days", lambda: client.get("/api/v1/slots", params))
        week = {**params, "end": (start_day + timedelta(days=6)).isoformat()}
        measure("API request, 7 days (the picker)", lambda: client.get("/api/v1/slots", week))

        from zoneinfo import ZoneInfo

        zone = ZoneInfo("Asia/Kolkata")
        start = datetime.combine(start_day, dtime.min, tzinfo=zone)
        end = datetime.combine(end_day + timedelta(days=1), dtime.min, tzinfo=zone)
        measure(
            "slot engine only, 60 days",
            lambda: find_slots(service=service, start=start, end=end),
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
