"""Pages: the slot picker and booking pages for applicants, the coach area.

Thin: load what the page needs, call a service, render. Someone else's booking is a 404; the
coach area is for coach users only (others get 403).
"""

from __future__ import annotations

import zoneinfo
from collections import OrderedDict
from datetime import timedelta
from functools import wraps
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from booking import selectors, services
from booking.availability import (
    AvailabilityData,
    availability_get,
    availability_replace,
    calendar_token_reset,
    schedule_for,
)
from booking.calendars import booking_calendar_links, booking_invite
from booking.errors import AvailabilityError
from booking.forms import (
    CancelForm,
    OutcomeForm,
    OverrideFormSet,
    RulesForm,
    TimeOffForm,
    TimeOffFormSet,
    WeeklyHoursFormSet,
)
from booking.models import Booking, BookingStatus, CoachSchedule
from booking.policy import booking_policy
from booking.slots import find_slots
from coaching.models import Coach, Service
from core.dates import parse_datetime
from core.errors import DomainError
from core.history import timeline
from core.timezones import grouped_zone_choices

PREVIEW_DAYS = 14


# --- applicants ---------------------------------------------------------------------------


# The time a visitor chose before logging in, kept in their session (never a hold) while they
# log in or sign up, and offered again at the confirm step when they come back with `resume`.
PENDING_CHOICE = "booking_pending_choice"


def _picker_url(**params) -> str:
    return f"{reverse('booking:book')}?{urlencode({k: v for k, v in params.items() if v})}"


def _pending_choice(request, *, service: str) -> dict | None:
    """The visitor's kept choice for `service`, taken out of the session (offered once)."""
    pending = request.session.pop(PENDING_CHOICE, None)
    if not isinstance(pending, dict) or pending.get("service") != service:
        return None
    return {key: str(pending.get(key) or "") for key in ("service", "coach", "start")}


@require_GET
def book(request):
    """The slot picker: services (bookable with a credit, or to buy), then a week of slots.
    Visitors without an account see the times too; they log in at the confirm step."""
    now = timezone.now()
    user = request.user if request.user.is_authenticated else None
    choices = _service_choices(user, now=now)
    reschedule = _booking_to_reschedule(user, request.GET.get("reschedule"))
    # Arriving with the session already chosen (the dashboard's Book): the times come first.
    wanted = request.GET.get("service", "")
    preselected = next(
        (
            choice
            for choice in choices
            if choice["service"].slug == wanted
            and (choice["credits"] or choice["service"].single_price_cents)
        ),
        None,
    )
    # An address naming a session that does not exist (an old link, a typo) says so, with a
    # 404 for search engines, and still offers every session there is.
    unknown_service = bool(wanted) and not any(
        choice["service"].slug == wanted for choice in choices
    )
    pending, pending_lost = None, False
    if request.GET.get("resume") and preselected and not reschedule:
        pending = _pending_choice(request, service=wanted)
        pending_lost = pending is None
    user_zone = user.time_zone if user else ""
    return render(
        request,
        "booking/book.html",
        {
            "choices": choices,
            "reschedule": reschedule,
            "preselected": None if reschedule else preselected,
            "pending": pending,
            "pending_lost": pending_lost,
            "upcoming": selectors.upcoming_bookings_for(user, now=now) if user else [],
            "user_zone": user_zone,
            "unknown_service": unknown_service,
            "zone_select": _zone_select(user_zone),
        },
        status=404 if unknown_service else 200,
    )


def _service_choices(user, *, now) -> list[dict]:
    """The bookable services with the credits the user holds for each, those they can book
    first."""
    credits_left = selectors.credits_left_by_service(user, now=now) if user else {}
    choices = [
        {"service": service, "credits": credits_left.get(service.pk, 0)}
        for service in Service.objects.active()
        if service.is_bookable
    ]
    choices.sort(key=lambda choice: not choice["credits"])
    return choices


def _booking_to_reschedule(user, public_id: str | None) -> Booking | None:
    """The user's confirmed booking the picker was opened to move, if the address names one."""
    if not user or not public_id:
        return None
    return (
        Booking.objects.select_related("service", "coach")
        .filter(public_id=public_id, applicant=user, status=BookingStatus.CONFIRMED)
        .first()
    )


def _zone_select(user_zone: str) -> str:
    """The picker can show times in another zone than the profile's (travel, a new city); a
    visitor without a profile starts in the zone their browser reports."""
    return forms.Select(
        choices=grouped_zone_choices(include=user_zone or None),
        attrs={"id": "zone-select", "class": "input", "data-zone-select": ""},
    ).render("zone", user_zone or "UTC")


@require_POST
def book_continue(request):
    """A visitor's chosen time, kept in their session while they log in or sign up (nothing is
    held until they are logged in); then to the login page, with the way back to the picker."""
    service = Service.objects.active().filter(slug=request.POST.get("service", "")).first()
    coach_slug = request.POST.get("coach", "")
    try:
        start = parse_datetime(request.POST.get("start", ""), name="start")
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("booking:book")
    if service is None or not service.is_bookable:
        messages.error(request, "That session cannot be booked. Choose one below.")
        return redirect("booking:book")
    if coach_slug and not service.coaches.active().filter(slug=coach_slug).exists():
        coach_slug = ""  # a coach who no longer offers it: any coach instead
    request.session[PENDING_CHOICE] = {
        "service": service.slug,
        "coach": coach_slug,
        "start": start.isoformat(),
    }
    back = _picker_url(service=service.slug, coach=coach_slug, resume="1")
    if request.user.is_authenticated:
        return redirect(back)
    return redirect(f"{reverse('account_login')}?{urlencode({'next': back, 'reason': 'book'})}")


def _own_booking_or_404(request, public_id: str) -> Booking:
    booking = (
        Booking.objects.select_related("service", "coach__user", "applicant", "credit")
        .filter(public_id=public_id, applicant=request.user)
        .first()
    )
    if booking is None:
        raise Http404("No booking with that id.")
    return booking


# After the picker books or moves a session it lands here with ?booked=1 or ?rescheduled=1.
JUST_DONE = ("booked", "rescheduled")


@login_required
@require_GET
def booking_detail(request, public_id: str):
    """The booking page; right after booking or moving, the "You're booked" confirmation."""
    booking = _own_booking_or_404(request, public_id)
    confirmed = booking.status == BookingStatus.CONFIRMED
    just_done = next((flag for flag in JUST_DONE if request.GET.get(flag)), "")
    return render(
        request,
        "booking/booking_detail.html",
        {
            "booking": booking,
            "policy": booking_policy(booking),
            "just_done": just_done if confirmed else "",
            "calendar_links": booking_calendar_links(booking) if confirmed else [],
            "history": timeline(booking, viewer=request.user, applicant_id=booking.applicant_id),
        },
    )


@login_required
@require_GET
def booking_calendar(request, public_id: str):
    """This booking as an .ics file (the applicant's own, while it is confirmed)."""
    booking = _own_booking_or_404(request, public_id)
    if booking.status != BookingStatus.CONFIRMED:
        raise Http404("Only a confirmed session can be added to a calendar.")
    response = HttpResponse(
        booking_invite(booking, method="PUBLISH"), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="medpath-{booking.service.slug}-{booking.start:%Y%m%d}.ics"'
    )
    return response


@login_required
def booking_cancel(request, public_id: str):
    """GET: what cancelling gives back, and a confirm button. POST: cancel, if cancelling still
    gives back what the page said; otherwise the page again, saying what it gives now."""
    booking = _own_booking_or_404(request, public_id)
    problem = ""
    reason = ""
    if request.method == "POST":
        form = CancelForm(request.POST)
        form.is_valid()  # both fields are optional; a bad value is simply left out
        reason = form.cleaned_data.get("reason", "")
        try:
            services.booking_cancel(
                booking=booking,
                actor=request.user,
                reason=reason or "Cancelled by the applicant.",
                expected=form.cleaned_data.get("expected"),
            )
        except DomainError as error:
            problem = error.message
            booking.refresh_from_db()
        else:
            messages.success(
                request, "Your session is cancelled. We have emailed you a confirmation."
            )
            return redirect("booking:detail", public_id=booking.public_id)
    policy = booking_policy(booking)
    return render(
        request,
        "booking/booking_cancel.html",
        {
            "booking": booking,
            "policy": policy,
            "problem": problem,
            # Confirming (again) confirms what the page says now.
            "form": CancelForm(initial={"expected": policy.gives_back.value, "reason": reason}),
        },
        status=409 if problem else 200,
    )


# --- coaches ------------------------------------------------------------------------------


def coach_required(view):
    """Logged-in coach users only; the coach is passed to the view."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        coach = Coach.objects.filter(user=request.user).first()
        if coach is None:
            raise PermissionDenied("This area is for coaches.")
        timezone.activate(zoneinfo.ZoneInfo(coach.time_zone))
        return view(request, coach, *args, **kwargs)

    return wrapper


@coach_required
@require_GET
def coach_dashboard(request, coach: Coach):
    now = timezone.now()
    sessions = selectors.coach_sessions(coach, now=now)
    # The feed's secret lives on the schedule, made with the default rules on first need.
    schedule = schedule_for(coach)
    feed_url = request.build_absolute_uri(
        reverse("coach_feed", kwargs={"token": schedule.calendar_token})
    )
    return render(
        request,
        "booking/coach_dashboard.html",
        {
            "coach": coach,
            "upcoming": sessions.upcoming,
            "to_record": sessions.to_record,
            "past": sessions.past,
            "feed_url": feed_url,
            "outcome_form": OutcomeForm(),
            "now": now,
        },
    )


@coach_required
@require_POST
def coach_mark(request, coach: Coach, public_id: str):
    booking = get_object_or_404(Booking, public_id=public_id, coach=coach)
    form = OutcomeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose completed or no-show.")
    else:
        try:
            services.booking_mark(
                booking=booking, actor=request.user, outcome=form.cleaned_data["outcome"]
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "Saved.")
    return redirect("booking:coach_dashboard")


@coach_required
@require_POST
def coach_feed_reset(request, coach: Coach):
    calendar_token_reset(coach=coach)
    messages.success(
        request, "Your calendar link has changed. Subscribe again with the new link below."
    )
    return redirect("booking:coach_dashboard")


def _initial_forms(coach: Coach):
    """The forms as the coach last saved them; past overrides and time off are not shown (the
    save keeps them)."""
    data = availability_get(coach=coach, upcoming_only=True)
    zone = zoneinfo.ZoneInfo(coach.time_zone)
    schedule = CoachSchedule.objects.filter(coach=coach).first() or CoachSchedule(coach=coach)
    return (
        RulesForm(instance=schedule),
        WeeklyHoursFormSet(
            prefix="weekly",
            initial=[{"weekday": w, "start": s, "end": e} for w, s, e in data.weekly],
        ),
        OverrideFormSet(
            prefix="overrides",
            initial=[{"date": d, "start": s, "end": e} for d, s, e in data.overrides],
        ),
        TimeOffFormSet(
            prefix="timeoff",
            initial=[
                TimeOffForm.initial_for(start=s.astimezone(zone), end=e.astimezone(zone), reason=r)
                for s, e, r in data.time_off
            ],
        ),
    )


def _kept(formset):
    return [
        form.cleaned_data
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


@coach_required
def coach_availability(request, coach: Coach):
    if request.method == "POST":
        schedule = CoachSchedule.objects.filter(coach=coach).first() or CoachSchedule(coach=coach)
        rules = RulesForm(request.POST, instance=schedule)
        weekly = WeeklyHoursFormSet(request.POST, prefix="weekly")
        overrides = OverrideFormSet(request.POST, prefix="overrides")
        time_off = TimeOffFormSet(request.POST, prefix="timeoff")
        if all(f.is_valid() for f in (rules, weekly, overrides, time_off)):
            # Past time off and overrides are not in the form; availability_replace keeps them.
            data = AvailabilityData(
                rules={name: rules.cleaned_data[name] for name in rules.Meta.fields},
                weekly=[(row["weekday"], row["start"], row["end"]) for row in _kept(weekly)],
                overrides=[(row["date"], row["start"], row["end"]) for row in _kept(overrides)],
                time_off=[(row["start"], row["end"], row["reason"]) for row in _kept(time_off)],
            )
            try:
                availability_replace(coach=coach, data=data)
            except AvailabilityError as error:
                rules.add_error(None, error.message)
            else:
                messages.success(request, "Your availability is saved.")
                return redirect("booking:coach_availability")
    else:
        rules, weekly, overrides, time_off = _initial_forms(coach)

    return render(
        request,
        "booking/coach_availability.html",
        {
            "coach": coach,
            "rules_form": rules,
            "weekly_formset": weekly,
            "override_formset": overrides,
            "time_off_formset": time_off,
            **_preview(request, coach),
        },
    )


def _preview(request, coach: Coach) -> dict:
    """The next two weeks of slots applicants would see, in the coach's zone."""
    offered = [s for s in coach.services.all() if s.active and s.is_bookable]
    if not offered:
        return {"preview_services": [], "preview_service": None, "preview_days": []}
    chosen = next((s for s in offered if s.slug == request.GET.get("service")), offered[0])
    zone = zoneinfo.ZoneInfo(coach.time_zone)
    now = timezone.now()
    coach_fresh = Coach.objects.select_related("schedule").get(pk=coach.pk)
    slots = find_slots(
        service=chosen, coaches=[coach_fresh], start=now, end=now + timedelta(days=PREVIEW_DAYS)
    )
    days: OrderedDict = OrderedDict()
    first = now.astimezone(zone).date()
    for offset in range(PREVIEW_DAYS + 1):
        days[first + timedelta(days=offset)] = []
    for slot in slots:
        local = slot.start.astimezone(zone)
        days.setdefault(local.date(), []).append(local)
    return {
        "preview_services": offered,
        "preview_service": chosen,
        "preview_days": list(days.items()),
    }
