"""Demo webinars, hosted by the demo coaches, with dates relative to today:

- an upcoming members' webinar (Thursday-ish next week, 19:00 Toronto) with registrations: the
  demo applicant and two demo attendees;
- a free introductory webinar the week after, open to any verified account;
- a past webinar with attendance marked and a recording in the private storage (a 3-second
  WebM made by `bin/make_demo_video.py`), shown to members under "Recordings".

Idempotent: an upcoming webinar is made only when none with its title is still ahead, the past
one only once; people are registered only once (registering again changes nothing).
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.core.files import File
from django.utils import timezone

from coaching.models import Coach, PerkKind
from core.history import record
from members import services as entitlement_services
from members.access import has_perk
from webinars import services as services
from webinars.history import RegistrationAction
from webinars.models import RegistrationStatus, Webinar, WebinarAudience

RECORDING = Path(__file__).resolve().parent / "demo_media" / "webinar-recording.webm"
APPLICANT = "applicant@example.com"
STAFF = "staff@example.com"
ATTENDEES = [
    # email, name, zone
    ("lina.okafor@example.com", "Lina Okafor", "Africa/Lagos"),
    ("rahul.mehta@example.com", "Rahul Mehta", "Asia/Kolkata"),
]

MEMBERS_WEBINAR = {
    "title": "CaRMS interviews: what programs listen for",
    "description": (
        "Dr. Priya Raman and Dr. Tom Whitfield walk through the questions Canadian residency "
        "programs ask international medical graduates, and how to answer from your own "
        "experience. Bring your questions: the last 20 minutes are open Q&A."
    ),
    "audience": WebinarAudience.MEMBERS,
    "capacity": 25,
    "join_url": "https://meet.example.com/medpath-webinar-carms",
}
FREE_WEBINAR = {
    "title": "Introduction: the IMG pathway to Canadian residency",
    "description": (
        "A free hour for anyone starting out: MCCQE Part I, NAC, language tests, CaRMS "
        "timelines and where MedPath's coaching fits in."
    ),
    "audience": WebinarAudience.FREE,
    "capacity": 100,
    "join_url": "https://meet.example.com/medpath-webinar-intro",
}
PAST_WEBINAR = {
    "title": "Writing your CaRMS personal letter (recording)",
    "description": "How to structure a personal letter programs remember, with real examples.",
    "audience": WebinarAudience.MEMBERS,
    "capacity": 30,
    "join_url": "https://meet.example.com/medpath-webinar-letters",
}


def _at(days_ahead: int, hour: int, zone: str) -> datetime:
    local_day = timezone.now().astimezone(ZoneInfo(zone)).date() + timedelta(days=days_ahead)
    return datetime.combine(local_day, time(hour, 0), tzinfo=ZoneInfo(zone))


def _attendee(email: str, name: str, zone: str, staff):
    user_model = get_user_model()
    user = user_model.objects.filter(email__iexact=email).first()
    if user is None:
        user = user_model(email=email, display_name=name, time_zone=zone)
        user.set_unusable_password()
        user.save()
    _give_perk(user, staff)
    return user


def _give_perk(user, staff) -> None:
    if not has_perk(user, PerkKind.WEBINARS, at=timezone.now()):
        now = timezone.now()
        entitlement_services.entitlement_grant_by_staff(
            member=user,
            perk=PerkKind.WEBINARS,
            starts_at=now - timedelta(days=1),
            ends_at=now + timedelta(days=365),
            actor=staff,
            reason="Demo member",
        )


def _upcoming(details: dict, *, host, co_hosts, start: datetime, staff) -> Webinar:
    existing = (
        Webinar.objects.scheduled().filter(title=details["title"], start__gt=timezone.now()).first()
    )
    if existing:
        return existing
    return services.webinar_create(
        actor=staff,
        host=host,
        co_hosts=co_hosts,
        start=start,
        end=start + timedelta(hours=1),
        **details,
    )


def _past_with_recording(*, host, attendees, staff) -> None:
    if Webinar.objects.filter(title=PAST_WEBINAR["title"]).exists():
        return
    start = _at(-12, 19, host.time_zone)
    webinar = services.webinar_create(
        actor=staff, host=host, start=start, end=start + timedelta(hours=1), **PAST_WEBINAR
    )
    # History: registrations as they stood when it ran (the service refuses new ones now).
    for position, person in enumerate(attendees):
        registration = webinar.registrations.create(
            member=person,
            status=RegistrationStatus.REGISTERED,
            registered_at=start - timedelta(days=5),
            reminder_24h_sent_at=start - timedelta(hours=24),
            reminder_1h_sent_at=start - timedelta(hours=1),
            attended=position != 1,
        )
        record(
            registration,
            RegistrationAction.REGISTERED,
            actor=person,
            at=registration.registered_at,
        )
    Webinar.objects.filter(pk=webinar.pk).update(seats_taken=len(attendees))
    with RECORDING.open("rb") as handle:
        services.webinar_set_recording(
            webinar=webinar, actor=staff, upload=File(handle, name="recording.webm")
        )


def load() -> None:
    user_model = get_user_model()
    staff = user_model.objects.filter(email__iexact=STAFF).first()
    applicant = user_model.objects.filter(email__iexact=APPLICANT).first()
    priya = Coach.objects.filter(slug="priya-raman").first()
    tom = Coach.objects.filter(slug="tom-whitfield").first()
    if not (staff and applicant and priya and tom):
        return
    _give_perk(applicant, staff)
    attendees = [_attendee(*row, staff) for row in ATTENDEES]

    members_webinar = _upcoming(
        MEMBERS_WEBINAR, host=priya, co_hosts=[tom], start=_at(6, 19, priya.time_zone), staff=staff
    )
    _upcoming(FREE_WEBINAR, host=tom, co_hosts=[], start=_at(13, 17, tom.time_zone), staff=staff)
    for person in [applicant, *attendees]:
        services.webinar_register(webinar=members_webinar, member=person)
    _past_with_recording(host=priya, attendees=[applicant, *attendees], staff=staff)
