"""Demo scheduling data: coach hours, an override and time off each, the applicant's credits and
one upcoming confirmed session. Dates are relative to today, so the demo always has free slots.

Idempotent: availability is written only for a coach who has none, the override and time off only
when the coach has none ahead, credits are granted once per source, and the booking is made only
if the applicant has no upcoming session.
"""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.utils import timezone

from booking import services
from booking.models import Booking, BookingStatus, CoachSchedule, DateOverride, TimeOff, WeeklyHours
from booking.slots import find_slots
from coaching.models import Coach, Service

HOURS = {
    # Priya in Toronto: weekday mornings and afternoons, a short Friday.
    "priya-raman": {
        "weekly": [(d, "09:00", "12:00") for d in range(4)]
        + [(d, "13:00", "17:00") for d in range(4)]
        + [(4, "09:00", "13:00")],
        "rules": {"buffer_after_minutes": 15, "daily_cap": 5},
        "override": (9, "10:00", "14:00"),  # days from today, other hours
        "time_off": (20, 3, "Admissions conference"),  # starts in N days, lasts M days
    },
    # Tom in London: mornings and evenings (convenient for Canada and India), Saturday late morning.
    "tom-whitfield": {
        "weekly": [(d, "08:00", "11:00") for d in (0, 2, 4)]
        + [(d, "17:00", "20:00") for d in (0, 2, 4)]
        + [(d, "12:00", "18:00") for d in (1, 3)]
        + [(5, "10:00", "13:00")],
        "rules": {"buffer_before_minutes": 5, "buffer_after_minutes": 10, "daily_cap": 4},
        "override": (12, None, None),  # a day off
        "time_off": (30, 6, "Annual leave"),
    },
}

APPLICANT = "applicant@example.com"
APPLICANT_CREDITS = [
    # service slug, quantity
    ("abs-strategy", 2),
    ("mock-interview-mmi", 2),
    ("casper-preparation", 1),
    ("application-review", 1),
]


def _t(value):
    return time.fromisoformat(value) if value else None


def _load_coach(coach: Coach, plan: dict) -> None:
    zone = ZoneInfo(coach.time_zone)
    today = timezone.now().astimezone(zone).date()
    schedule, created = CoachSchedule.objects.get_or_create(coach=coach, defaults=plan["rules"])
    if not WeeklyHours.objects.filter(coach=coach).exists():
        WeeklyHours.objects.bulk_create(
            WeeklyHours(coach=coach, weekday=w, start_time=_t(s), end_time=_t(e))
            for w, s, e in plan["weekly"]
        )
    if not DateOverride.objects.filter(coach=coach, date__gte=today).exists():
        offset, start, end = plan["override"]
        DateOverride.objects.create(
            coach=coach, date=today + timedelta(days=offset), start_time=_t(start), end_time=_t(end)
        )
    if not TimeOff.objects.filter(coach=coach, end__gte=timezone.now()).exists():
        offset, days, reason = plan["time_off"]
        first = today + timedelta(days=offset)
        TimeOff.objects.create(
            coach=coach,
            start=datetime.combine(first, time.min, tzinfo=zone),
            end=datetime.combine(first + timedelta(days=days), time.min, tzinfo=zone),
            reason=reason,
        )


def load() -> None:
    for slug, plan in HOURS.items():
        coach = Coach.objects.filter(slug=slug).first()
        if coach is not None:
            _load_coach(coach, plan)

    applicant = get_user_model().objects.filter(email=APPLICANT).first()
    if applicant is None:
        return
    expires = timezone.now() + timedelta(days=180)
    for slug, quantity in APPLICANT_CREDITS:
        service = Service.objects.filter(slug=slug).first()
        if service is not None:
            services.credits_grant(
                applicant=applicant,
                service=service,
                quantity=quantity,
                expires_at=expires,
                source=f"demo:{APPLICANT}:{slug}",
                source_label="Demo credits",
            )

    has_upcoming = Booking.objects.filter(
        applicant=applicant, status=BookingStatus.CONFIRMED, start__gt=timezone.now()
    ).exists()
    service = Service.objects.filter(slug="abs-strategy").first()
    coach = Coach.objects.filter(slug="priya-raman").select_related("schedule").first()
    if has_upcoming or service is None or coach is None:
        return
    now = timezone.now()
    slots = find_slots(
        service=service,
        coaches=[coach],
        start=now + timedelta(days=3),
        end=now + timedelta(days=10),
    )
    if slots:
        services.booking_book_with_credit(
            applicant=applicant,
            service=service,
            coach=coach,
            start=slots[0].start,
            notes="I would like to choose my strongest ABS experiences and plan the descriptions.",
        )
