"""Scheduling API (django-ninja): services, coaches, slots, bookings, a coach's availability.

Thin: parse, call a service or the slot engine, shape JSON. Errors are `{"code", "detail"}`
with a 4xx status (handlers in `medpath.api`). Times go out in ISO 8601 with the viewer's
offset; bookings are addressed by their opaque `public_id`, and someone else's is a 404.
"""

from __future__ import annotations

import zoneinfo
from datetime import date, datetime, time, timedelta

from ninja import Field, Router, Schema, Status
from ninja.security import django_auth

from booking import services
from booking.availability import AvailabilityData, availability_get, availability_replace
from booking.errors import Forbidden, InvalidQuery, NotBookable, NotFound
from booking.models import Booking, BookingStatus, Credit
from booking.policy import booking_policy
from booking.rules import (
    MAX_OVERRIDE_ROWS,
    MAX_TIME_OFF_ROWS,
    MAX_WEEKLY_ROWS,
    RULES_BY_FIELD,
)
from booking.selectors import service_with_coaches
from booking.slots import find_slots, merge_by_start
from coaching.models import Coach, Service
from core.dates import SupportedDate, SupportedDatetime, parse_date, parse_datetime
from core.timezones import is_night, is_valid_zone

router = Router(tags=["booking"])

MAX_RANGE_DAYS = 62


# --- helpers ------------------------------------------------------------------------------


def _zone(name: str) -> zoneinfo.ZoneInfo:
    if not name or not is_valid_zone(name):
        raise InvalidQuery(
            f"“{name}” is not a time zone we know; use an IANA name such as Asia/Kolkata.",
            code="invalid_time_zone",
        )
    return zoneinfo.ZoneInfo(name)


def _date(value: str, name: str) -> date:
    return parse_date(value, name=name)


def _datetime(value: str, name: str = "start") -> datetime:
    return parse_datetime(value, name=name)


def _service(slug: str, *, bookable: bool = True) -> Service:
    service = Service.objects.active().filter(slug=slug).first()
    if service is None:
        raise InvalidQuery(f"There is no service “{slug}”.", code="unknown_service")
    if bookable:
        _check_bookable(service)
    return service


def _check_bookable(service: Service) -> None:
    if not service.is_bookable:
        raise NotBookable(
            f"{service.name} is a document review: it has no times to book.", code="not_bookable"
        )


def _unknown_coach(slug: str, service: Service) -> InvalidQuery:
    return InvalidQuery(f"No active coach “{slug}” offers {service.name}.", code="unknown_coach")


def _service_and_coaches(slug: str, coach: str | None) -> tuple[Service, list[Coach]]:
    """The bookable service and its active coaches (only `coach` when given): one query when
    there are any; otherwise the refusal `_service` or the coach check gives, in that order."""
    found = service_with_coaches(slug, coach_slug=coach)
    if found is None:
        chosen = _service(slug)
        if coach:
            raise _unknown_coach(coach, chosen)
        return chosen, []
    chosen, coaches = found
    _check_bookable(chosen)
    return chosen, coaches


def _coach_json(coach: Coach) -> dict:
    return {"slug": coach.slug, "name": coach.display_name, "time_zone": coach.time_zone}


def _user_zone(user) -> zoneinfo.ZoneInfo:
    name = getattr(user, "time_zone", "") or "UTC"
    return zoneinfo.ZoneInfo(name if is_valid_zone(name) else "UTC")


def booking_json(booking: Booking, *, viewer) -> dict:
    zone = _user_zone(viewer)
    coach_zone = zoneinfo.ZoneInfo(booking.coach.time_zone)
    policy = booking_policy(booking)
    return {
        "id": booking.public_id,
        "url": booking.get_absolute_url(),
        "status": booking.status,
        "service": {"slug": booking.service.slug, "name": booking.service.name},
        "coach": _coach_json(booking.coach),
        "start": booking.start.astimezone(zone).isoformat(),
        "end": booking.end.astimezone(zone).isoformat(),
        "coach_local_start": booking.start.astimezone(coach_zone).isoformat(),
        "time_zone": zone.key,
        "hold_expires_at": booking.hold_expires_at.astimezone(zone).isoformat()
        if booking.status == BookingStatus.HELD and booking.hold_expires_at
        else None,
        "change_deadline": policy.deadline.astimezone(zone).isoformat(),
        "can_reschedule": policy.can_reschedule,
        "can_cancel": policy.can_cancel,
        "cancel_returns_credit": policy.cancel_returns_credit,
        "cancel_gives_back": policy.gives_back.value,
        "cancel_policy": policy.sentence,
        "meeting_url": booking.meeting_url if booking.status == BookingStatus.CONFIRMED else "",
        "notes": booking.applicant_notes,
    }


def _own_booking(request, public_id: str) -> Booking:
    """The requester's booking (or, read-only, their session as its coach); else 404."""
    booking = (
        Booking.objects.select_related("coach__user", "service", "applicant", "credit")
        .filter(public_id=public_id)
        .first()
    )
    if booking is None or request.user.pk not in (booking.applicant_id, booking.coach.user_id):
        raise NotFound("No booking with that id.", code="not_found")
    return booking


def _applicants_booking(request, public_id: str) -> Booking:
    """The requester's booking as its applicant, the only one who may change it; else 404."""
    booking = _own_booking(request, public_id)
    if booking.applicant_id != request.user.pk:
        raise NotFound("No booking with that id.", code="not_found")
    return booking


# --- catalogue ----------------------------------------------------------------------------


@router.get("/services", summary="Services that can be booked or bought")
def list_services(request):
    usable = set()
    if request.user.is_authenticated:
        usable = set(
            Credit.objects.usable()
            .filter(applicant=request.user)
            .values_list("service_id", flat=True)
        )
    return [
        {
            "slug": service.slug,
            "name": service.name,
            "kind": service.kind,
            "bookable": service.is_bookable,
            "duration_minutes": service.duration_minutes,
            "short_description": service.short_description,
            "cancellation_notice_hours": service.cancellation_notice_hours,
            "single_price_cents": service.single_price_cents,
            "currency": service.currency,
            "has_credit": service.pk in usable,
        }
        for service in Service.objects.active()
    ]


@router.get("/coaches", summary="Active coaches (optionally those delivering one service)")
def list_coaches(request, service: str | None = None):
    coaches = Coach.objects.active().prefetch_related("services")
    if service:
        coaches = coaches.filter(services=_service(service, bookable=False))
    return [
        {
            **_coach_json(coach),
            "headline": coach.headline,
            "services": [s.slug for s in coach.services.all() if s.active],
        }
        for coach in coaches
    ]


# --- slots --------------------------------------------------------------------------------


@router.get("/slots", summary="Free times for a service, grouped by the viewer's local date")
def list_slots(request, service: str, start: str, end: str, tz: str, coach: str | None = None):
    """With `coach`, that coach's free times. Without, "any coach": one entry per start time
    with `coaches_free` (how many are free then) and, as `coach`, the one a booking made now
    would be assigned (fewest active sessions that day in their own zone, ties by slug).
    `night` marks a start between 23:00 and 06:00 in the viewer's zone."""
    zone = _zone(tz)
    first, last = _date(start, "start"), _date(end, "end")
    if last < first:
        raise InvalidQuery("end must be on or after start.", code="invalid_range")
    if (last - first).days + 1 > MAX_RANGE_DAYS:
        raise InvalidQuery(
            f"Ask for at most {MAX_RANGE_DAYS} days at a time.", code="range_too_long"
        )
    chosen, coaches = _service_and_coaches(service, coach)
    range_start = datetime.combine(first, time.min, tzinfo=zone)
    range_end = datetime.combine(last + timedelta(days=1), time.min, tzinfo=zone)
    slots = find_slots(service=chosen, start=range_start, end=range_end, coaches=coaches)

    days: dict[date, list] = {first + timedelta(days=i): [] for i in range((last - first).days + 1)}
    coach_info: dict[int, tuple[dict, zoneinfo.ZoneInfo]] = {}

    def entry(slot) -> dict:
        if slot.coach.pk not in coach_info:
            coach_info[slot.coach.pk] = (
                _coach_json(slot.coach),
                zoneinfo.ZoneInfo(slot.coach.time_zone),
            )
        coach_data, coach_zone = coach_info[slot.coach.pk]
        local = slot.start.astimezone(zone)
        coach_local = slot.start.astimezone(coach_zone).isoformat()
        item = {
            "start": local.isoformat(),
            "end": slot.end.astimezone(zone).isoformat(),
            "night": is_night(local),
            "coach": coach_data,
            "coach_local_start": coach_local,
            "coach_local_time": coach_local[11:16],
        }
        days[local.date()].append(item)
        return item

    if coach:
        for slot in slots:
            entry(slot)
    else:  # "any coach": one entry per time, naming the coach it would go to now
        for time_slot in merge_by_start(slots):
            entry(time_slot.slot)["coaches_free"] = time_slot.coaches_free
    return {
        "service": chosen.slug,
        "duration_minutes": chosen.duration_minutes,
        "time_zone": zone.key,
        "start": first.isoformat(),
        "end": last.isoformat(),
        "days": [{"date": day.isoformat(), "slots": items} for day, items in days.items()],
    }


# --- bookings -----------------------------------------------------------------------------


class BookIn(Schema):
    service: str
    start: str
    coach: str | None = None
    notes: str = ""


class CancelIn(Schema):
    reason: str = ""


class RescheduleIn(Schema):
    start: str


@router.get("/bookings", auth=django_auth, summary="My bookings")
def list_bookings(request):
    bookings = (
        Booking.objects.filter(applicant=request.user)
        .exclude(status=BookingStatus.EXPIRED)
        .select_related("coach__user", "service", "credit")
        .order_by("-start")
    )
    return [booking_json(b, viewer=request.user) for b in bookings]


@router.post("/bookings", auth=django_auth, response={201: dict}, summary="Book with a credit")
def create_booking(request, payload: BookIn):
    """Without `coach`, "any coach" assigns one at booking time (the one the slots list named,
    or the next free one if somebody took that coach meanwhile); the reply names them."""
    chosen = _service(payload.service)
    coach = None
    if payload.coach:
        coach = chosen.coaches.active().filter(slug=payload.coach).first()
        if coach is None:
            raise _unknown_coach(payload.coach, chosen)
    booking = services.booking_book_with_credit(
        applicant=request.user,
        service=chosen,
        start=_datetime(payload.start),
        coach=coach,
        notes=payload.notes,
    )
    return Status(201, booking_json(booking, viewer=request.user))


@router.get("/bookings/{public_id}", auth=django_auth, summary="One of my bookings")
def get_booking(request, public_id: str):
    return booking_json(_own_booking(request, public_id), viewer=request.user)


@router.post("/bookings/{public_id}/cancel", auth=django_auth, summary="Cancel my booking")
def cancel_booking(request, public_id: str, payload: CancelIn):
    booking = _applicants_booking(request, public_id)
    reason = payload.reason or "Cancelled by the applicant."
    booking = services.booking_cancel(booking=booking, actor=request.user, reason=reason)
    return booking_json(booking, viewer=request.user)


@router.post("/bookings/{public_id}/reschedule", auth=django_auth, summary="Move my booking")
def reschedule_booking(request, public_id: str, payload: RescheduleIn):
    booking = _applicants_booking(request, public_id)
    booking = services.booking_reschedule(
        booking=booking, actor=request.user, new_start=_datetime(payload.start)
    )
    return booking_json(booking, viewer=request.user)


# --- a coach's availability ---------------------------------------------------------------


def _rule(field: str):
    """The schema field of one coach rule: default, limits and description from booking.rules."""
    rule = RULES_BY_FIELD[field]
    return Field(rule.default, ge=rule.low, le=rule.high, description=rule.help_text)


class RulesIO(Schema):
    slot_step_minutes: int = _rule("slot_step_minutes")
    buffer_before_minutes: int = _rule("buffer_before_minutes")
    buffer_after_minutes: int = _rule("buffer_after_minutes")
    min_notice_hours: int = _rule("min_notice_hours")
    booking_window_days: int = _rule("booking_window_days")
    daily_cap: int | None = _rule("daily_cap")


class WeeklyIO(Schema):
    weekday: int
    start: time
    end: time


class OverrideIO(Schema):
    date: SupportedDate
    start: time | None = None
    end: time | None = None


class TimeOffIO(Schema):
    start: SupportedDatetime
    end: SupportedDatetime
    reason: str = Field(default="", max_length=120)


class AvailabilityIO(Schema):
    rules: RulesIO
    weekly_hours: list[WeeklyIO] = Field(default=[], max_length=MAX_WEEKLY_ROWS)
    overrides: list[OverrideIO] = Field(default=[], max_length=MAX_OVERRIDE_ROWS)
    time_off: list[TimeOffIO] = Field(default=[], max_length=MAX_TIME_OFF_ROWS)


def _my_coach(request) -> Coach:
    coach = Coach.objects.filter(user=request.user).first()
    if coach is None:
        raise Forbidden("Only coaches have availability.")
    return coach


def _availability_json(coach: Coach) -> dict:
    data = availability_get(coach=coach)
    return {
        "coach": _coach_json(coach),
        "time_zone": coach.time_zone,
        "rules": data.rules,
        "weekly_hours": [
            {"weekday": w, "start": s.strftime("%H:%M"), "end": e.strftime("%H:%M")}
            for w, s, e in data.weekly
        ],
        "overrides": [
            {
                "date": d.isoformat(),
                "start": s.strftime("%H:%M") if s else None,
                "end": e.strftime("%H:%M") if e else None,
            }
            for d, s, e in data.overrides
        ],
        "time_off": [
            {"start": s.isoformat(), "end": e.isoformat(), "reason": r} for s, e, r in data.time_off
        ],
    }


@router.get("/coach/availability", auth=django_auth, summary="My availability (coaches)")
def get_availability(request):
    return _availability_json(_my_coach(request))


@router.put("/coach/availability", auth=django_auth, summary="Replace my availability (coaches)")
def put_availability(request, payload: AvailabilityIO):
    coach = _my_coach(request)
    availability_replace(
        coach=coach,
        data=AvailabilityData(
            rules=payload.rules.dict(),
            weekly=[(w.weekday, w.start, w.end) for w in payload.weekly_hours],
            overrides=[(o.date, o.start, o.end) for o in payload.overrides],
            time_off=[(t.start, t.end, t.reason) for t in payload.time_off],
        ),
    )
    return _availability_json(coach)
