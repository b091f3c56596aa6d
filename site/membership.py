"""The "Your membership" dashboard section: each perk the member holds, until when, and where.

A perk links to the page that uses it once that page exists: each members' app names its
entry page with the URL name below, and until an app is installed its perk shows no link
(never a link to a page that is not there).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from coaching.models import PerkKind
from members.access import member_perks

PERK_PAGES = {
    PerkKind.SCHOOL_GUIDE: "members:schools",
    PerkKind.RESOURCE_LIBRARY: "members:library",
    PerkKind.QUESTION_BANK: "members:questions",
    PerkKind.PRACTICE_TESTS: "practice:index",
    PerkKind.WEBINARS: "webinars:index",
    PerkKind.APPLICATION_REVISIONS: "reviews:list",
}
ENDING_SOON = timedelta(days=30)


@dataclass(frozen=True)
class MembershipRow:
    label: str
    until: datetime
    url: str | None
    ending_soon: bool


def perk_page_url(perk: str) -> str | None:
    try:
        return reverse(PERK_PAGES[perk])
    except NoReverseMatch:
        return None


def membership_rows(user) -> list[MembershipRow]:
    now = timezone.now()
    return [
        MembershipRow(
            label=access.label,
            until=access.until,
            url=perk_page_url(perk),
            ending_soon=access.until - now <= ENDING_SOON,
        )
        for perk, access in member_perks(user).items()
    ]
