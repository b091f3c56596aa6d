"""Reads that webinar pages, the dashboard and the hosts' feed share, each in a fixed number of
queries however many webinars there are."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Case, QuerySet, Value, When

from webinars.access import may_join
from webinars.models import RegistrationStatus, Webinar, WebinarRegistration

PAST_SHOWN = 20
FEED_PAST = timedelta(days=90)


def _with_hosts(webinars: QuerySet[Webinar]) -> QuerySet[Webinar]:
    return webinars.select_related("host").prefetch_related("co_hosts")


def upcoming_webinars(*, now: datetime) -> QuerySet[Webinar]:
    """Scheduled webinars that have not ended, soonest first, with their hosts."""
    return _with_hosts(Webinar.objects.upcoming(now=now))


def past_webinars(*, now: datetime) -> QuerySet[Webinar]:
    """The last PAST_SHOWN scheduled webinars that ended, newest first, with their hosts."""
    return _with_hosts(Webinar.objects.past(now=now))[:PAST_SHOWN]


def recordings(*, now: datetime) -> QuerySet[Webinar]:
    """Past webinars with a recording: the members' resource, newest first."""
    return _with_hosts(Webinar.objects.past(now=now).exclude(recording_file="", recording_url=""))


PUBLIC_ID = re.compile(r"[A-Za-z0-9_-]{1,40}")


def webinar_by_public_id(public_id: str) -> Webinar | None:
    """The webinar with this public id; None for an unknown or malformed one (no query)."""
    if not PUBLIC_ID.fullmatch(public_id or ""):
        return None
    return _with_hosts(Webinar.objects.filter(public_id=public_id)).first()


def live_registration(user, webinar: Webinar) -> WebinarRegistration | None:
    """`user`'s registration or waitlist place for `webinar`, if they hold one."""
    if user is None or not user.is_authenticated:
        return None
    return webinar.registrations.live().filter(member=user).first()


def registrations_by_webinar(user, webinars) -> dict[int, WebinarRegistration]:
    """`user`'s live registrations for these webinars, by webinar id (one query)."""
    if user is None or not user.is_authenticated:
        return {}
    rows = WebinarRegistration.objects.live().filter(member=user, webinar__in=list(webinars))
    return {row.webinar_id: row for row in rows}


def waitlist_position(registration: WebinarRegistration) -> int | None:
    """The registration's place on its webinar's waitlist (1 for the first), or None when it is not
    waitlisted."""
    if registration.status != RegistrationStatus.WAITLISTED:
        return None
    ahead = registration.webinar.registrations.waitlisted().filter(
        waitlisted_at__lt=registration.waitlisted_at
    )
    return ahead.count() + 1


@dataclass(frozen=True)
class MemberWebinar:
    """A webinar on the member's dashboard, and whether its join link is open now."""

    registration: WebinarRegistration
    join_open: bool

    @property
    def webinar(self) -> Webinar:
        return self.registration.webinar


def member_upcoming_webinars(user, *, now: datetime) -> list[MemberWebinar]:
    """The member's seats and waitlist places for webinars not yet over, soonest first."""
    rows = (
        WebinarRegistration.objects.live()
        .filter(member=user, webinar__status="scheduled", webinar__end__gt=now)
        .select_related("webinar__host")
        .prefetch_related("webinar__co_hosts")
        .order_by("webinar__start", "pk")
    )
    return [
        MemberWebinar(registration=row, join_open=may_join(user, row.webinar, row, now=now))
        for row in rows
    ]


def hosted_webinars(coach) -> QuerySet[Webinar]:
    """Every webinar the coach hosts or co-hosts, newest first."""
    return _with_hosts(Webinar.objects.hosted_by(coach)).order_by("-start", "-pk")


def feed_webinars(coach, *, now: datetime) -> QuerySet[Webinar]:
    """What a host's calendar feed carries: their webinars from 90 days back, cancelled ones
    included (so calendar apps remove them)."""
    return (
        _with_hosts(Webinar.objects.hosted_by(coach))
        .filter(end__gte=now - FEED_PAST)
        .order_by("start", "pk")
    )


def attendees(webinar: Webinar) -> QuerySet[WebinarRegistration]:
    """Seats, then the waitlist in order, then cancellations."""
    order = Case(
        When(status=RegistrationStatus.REGISTERED, then=Value(0)),
        When(status=RegistrationStatus.WAITLISTED, then=Value(1)),
        default=Value(2),
    )
    return webinar.registrations.select_related("member").order_by(
        order, "waitlisted_at", "registered_at", "pk"
    )
