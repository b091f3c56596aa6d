"""Who may do what with a webinar: register, join, watch the recording, host pages.

Every page, file and service asks these functions (and through them `members.access.has_perk`,
the one entitlement gate); none of them writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from coaching.models import Coach, PerkKind
from core.accounts import has_verified_email
from core.duties import can_handle_coaching
from members.access import has_perk
from webinars.models import RegistrationStatus, Webinar, WebinarRegistration


@dataclass(frozen=True)
class Eligibility:
    """May this person register now? If not, why (a sentence for them) and what to do."""

    allowed: bool
    reason: str = ""
    code: str = ""


def coach_of(user) -> Coach | None:
    if user is None or not user.is_authenticated:
        return None
    return Coach.objects.filter(user=user).first()


def is_host(user, webinar: Webinar) -> bool:
    """The host or a co-host of this webinar."""
    if user is None or not user.is_authenticated:
        return False
    if webinar.host.user_id == user.pk:
        return True
    # `.all()` reads the prefetched co-hosts when the caller loaded them (list pages).
    return any(coach.user_id == user.pk for coach in webinar.co_hosts.all())


def may_host(user, webinar: Webinar) -> bool:
    """The host pages (attendees, attendance, recording): its hosts and coaching staff
    (`core.duties`); editors and finance are not hosts."""
    return can_handle_coaching(user) or is_host(user, webinar)


def registration_eligibility(user, webinar: Webinar, *, now: datetime | None = None) -> Eligibility:
    """Members with the webinars perk may register for any webinar; anyone with a verified
    account for a free introductory one. Nobody once it has started, nor for one they host."""
    now = now or timezone.now()
    if user is None or not user.is_authenticated:
        return Eligibility(False, "Log in to register.", "login_required")
    if webinar.is_cancelled:
        return Eligibility(False, "This webinar was cancelled.", "cancelled")
    if webinar.has_started(now=now):
        return Eligibility(False, "Registration closed when the webinar started.", "closed")
    if is_host(user, webinar):
        return Eligibility(False, "You host this webinar.", "host")
    if has_perk(user, PerkKind.WEBINARS, at=now):
        return Eligibility(True)
    if webinar.is_free:
        if has_verified_email(user):
            return Eligibility(True)
        return Eligibility(
            False, "Confirm your email address first: we sent you a link.", "email_not_verified"
        )
    return Eligibility(
        False,
        "Live webinars are for members whose package includes webinars.",
        "perk_required",
    )


def may_join(
    user, webinar: Webinar, registration: WebinarRegistration | None, *, now: datetime | None = None
) -> bool:
    """The join link: registered attendees from 15 minutes before the start until the end;
    hosts and staff whenever it is not over."""
    now = now or timezone.now()
    if not webinar.join_url or webinar.is_cancelled or webinar.has_ended(now=now):
        return False
    if may_host(user, webinar):
        return True
    return (
        registration is not None
        and registration.member_id == getattr(user, "pk", None)
        and registration.status == RegistrationStatus.REGISTERED
        and now >= webinar.join_opens_at()
    )


def may_watch_recording(user, webinar: Webinar) -> bool:
    """Recordings are a members' resource: holders of the webinars perk (also for a free
    webinar they attended), the webinar's hosts and staff."""
    if user is None or not user.is_authenticated or not webinar.has_recording:
        return False
    return may_watch_recordings(user) or is_host(user, webinar)


def may_watch_recordings(user) -> bool:
    """The "Recordings" list: holders of the webinars perk and staff."""
    if user is None or not user.is_authenticated:
        return False
    return can_handle_coaching(user) or has_perk(user, PerkKind.WEBINARS)
