"""Webinar pages: the list, a page per webinar (register, cancel, join, watch), the recording
file, and the hosts' pages (attendees, attendance, recording).

Thin: load, ask `webinars.access`, call a service, render. Anyone may read the list and
a webinar's page; the join link and the recording show only to those allowed, and the
recording file is handed out only after the same check. Where the webinars perk is what stands
in the way (a members' webinar, a recording), the members' gate (`members.gate`) shows its
panel, as every page gated on a perk does.
"""

from __future__ import annotations

import zoneinfo
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_POST

from coaching.models import PerkKind
from core.duties import can_handle_coaching
from core.errors import DomainError, errors_shown_on
from core.files import protected_download
from members.gate import perk_gate, perk_panel
from webinars import selectors as selectors
from webinars import services as services
from webinars.access import (
    coach_of,
    may_host,
    may_join,
    may_watch_recording,
    may_watch_recordings,
    registration_eligibility,
)
from webinars.forms import AttendanceForm, RecordingForm
from webinars.models import RegistrationStatus, Webinar


def _webinar_or_404(public_id: str) -> Webinar:
    webinar = selectors.webinar_by_public_id(public_id)
    if webinar is None:
        raise Http404("No such webinar.")
    return webinar


def _viewer_zone() -> str:
    return timezone.get_current_timezone_name()


@require_GET
def webinar_list(request):
    now = timezone.now()
    upcoming = list(selectors.upcoming_webinars(now=now))
    past = list(selectors.past_webinars(now=now))
    mine = selectors.registrations_by_webinar(request.user, upcoming)
    watch = may_watch_recordings(request.user)
    return render(
        request,
        "webinars/webinar_list.html",
        {
            "upcoming": [(webinar, mine.get(webinar.pk)) for webinar in upcoming],
            "past": past,
            "recordings": list(selectors.recordings(now=now)) if watch else [],
            "can_watch": watch,
            "hosts_webinars": can_handle_coaching(request.user)
            or coach_of(request.user) is not None,
            "viewer_zone": _viewer_zone(),
            "now": now,
        },
    )


@require_GET
def webinar_detail(request, public_id: str):
    now = timezone.now()
    webinar = _webinar_or_404(public_id)
    registration = selectors.live_registration(request.user, webinar)
    eligibility = registration_eligibility(request.user, webinar, now=now)
    can_watch = may_watch_recording(request.user, webinar)
    # webinars.access decides who may register and watch; only where the perk is what they
    # lack does the members' panel stand in (once: a recording comes after registration closed).
    lacks_perk = eligibility.code == "perk_required" or (webinar.has_recording and not can_watch)
    return render(
        request,
        "webinars/webinar_detail.html",
        {
            "webinar": webinar,
            "registration": registration,
            "waitlist_position": selectors.waitlist_position(registration)
            if registration
            else None,
            "eligibility": eligibility,
            "can_join": may_join(request.user, webinar, registration, now=now),
            "can_watch": can_watch,
            "can_host": may_host(request.user, webinar),
            "panel": perk_panel(request, PerkKind.WEBINARS, allow=not lacks_perk),
            "viewer_zone": _viewer_zone(),
            "now": now,
        },
    )


@login_required
@require_POST
def webinar_register(request, public_id: str):
    webinar = _webinar_or_404(public_id)
    try:
        registration = services.webinar_register(webinar=webinar, member=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        if registration.status == RegistrationStatus.REGISTERED:
            messages.success(request, "You have a seat. We have emailed you a calendar invite.")
        else:
            messages.info(
                request, "It is full: you are on the waitlist. We email you if a seat frees up."
            )
    return redirect(webinar.get_absolute_url())


@login_required
@require_POST
def webinar_cancel_registration(request, public_id: str):
    webinar = _webinar_or_404(public_id)
    registration = selectors.live_registration(request.user, webinar)
    if registration is None:
        messages.info(request, "You are not registered for this webinar.")
        return redirect(webinar.get_absolute_url())
    try:
        services.registration_cancel(registration=registration, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Your registration is cancelled.")
    return redirect(webinar.get_absolute_url())


@require_GET
def webinar_recording(request, public_id: str):
    """The recording file, for the video player's src, after the access check."""
    webinar = _webinar_or_404(public_id)
    if not webinar.recording_file:
        raise Http404("This webinar has no recording file.")
    allowed = may_watch_recording(request.user, webinar)  # hosts too, not only the perk
    refused = perk_gate(request, PerkKind.WEBINARS, title=webinar.title, allow=allowed, file=True)
    if refused is not None:
        return refused
    extension = webinar.recording_file.name.rsplit(".", 1)[-1]
    try:
        webinar.recording_file.open("rb")
    except FileNotFoundError:
        raise Http404("The recording file is missing.") from None
    return protected_download(
        request,
        file=webinar.recording_file,
        filename=f"{slugify(webinar.title) or 'webinar'}.{extension}",
        inline=True,
    )


# --- hosts ---------------------------------------------------------------------------------


def host_required(view):
    """Logged-in hosts of this webinar and staff; the webinar is passed to the view, and times
    show in a coach's working zone."""

    @login_required
    @wraps(view)
    def wrapper(request, public_id: str, *args, **kwargs):
        webinar = _webinar_or_404(public_id)
        if not may_host(request.user, webinar):
            raise PermissionDenied("Only this webinar's hosts and staff can open this page.")
        coach = coach_of(request.user)
        if coach is not None:
            timezone.activate(zoneinfo.ZoneInfo(coach.time_zone))
        return view(request, webinar, *args, **kwargs)

    return wrapper


@login_required
@require_GET
def host_list(request):
    coach = coach_of(request.user)
    if coach is not None:
        timezone.activate(zoneinfo.ZoneInfo(coach.time_zone))
        webinars = selectors.hosted_webinars(coach)
    elif can_handle_coaching(request.user):
        webinars = Webinar.objects.select_related("host").order_by("-start", "-pk")
    else:
        raise PermissionDenied("This page is for webinar hosts.")
    return render(
        request,
        "webinars/host_list.html",
        {"webinars": list(webinars[:100]), "now": timezone.now(), "viewer_zone": _viewer_zone()},
    )


def _host_page(request, webinar, *, attendance_form=None, recording_form=None, status=200):
    everyone = list(selectors.attendees(webinar))
    seats = [row for row in everyone if row.status == RegistrationStatus.REGISTERED]
    return render(
        request,
        "webinars/host_detail.html",
        {
            "webinar": webinar,
            "registrations": everyone,
            "seats": seats,
            "attendance_form": attendance_form
            or AttendanceForm(
                seats=seats,
                initial={"attended": [str(row.pk) for row in seats if row.attended]},
            ),
            "recording_form": recording_form or RecordingForm(),
            "started": webinar.has_started(),
            "now": timezone.now(),
            "viewer_zone": _viewer_zone(),
        },
        status=status,
    )


@host_required
@require_GET
def host_detail(request, webinar: Webinar):
    return _host_page(request, webinar)


@host_required
@require_POST
def host_attendance(request, webinar: Webinar):
    seats = list(webinar.registrations.registered().select_related("member"))
    form = AttendanceForm(request.POST, seats=seats)
    if form.is_valid():
        with errors_shown_on(form):
            count = services.webinar_mark_attendance(
                webinar=webinar, actor=request.user, attended=form.cleaned_data["attended"]
            )
            messages.success(request, f"Attendance saved: {count} of {len(seats)} came.")
            return redirect("webinars:host_detail", public_id=webinar.public_id)
    return _host_page(request, webinar, attendance_form=form, status=400)


@host_required
@require_POST
def host_recording(request, webinar: Webinar):
    form = RecordingForm(request.POST, request.FILES)
    if form.is_valid():
        with errors_shown_on(form):
            services.webinar_set_recording(
                webinar=webinar,
                actor=request.user,
                upload=form.cleaned_data["file"],
                url=form.cleaned_data["url"],
            )
            messages.success(request, "Recording added: members with webinars can watch it now.")
            return redirect("webinars:host_detail", public_id=webinar.public_id)
    return _host_page(request, webinar, recording_form=form, status=400)
