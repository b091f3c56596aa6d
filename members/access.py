"""The one question every gated page, file, API and form asks: may this person use perk X now?

`member_perks(user)` reads the member's entitlements in one query and keeps the answer on the
user object, so a request that checks ten perks (a dashboard, a page with gated blocks) still
makes one query; the next request has a new user object and reads afresh.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from coaching.models import PerkKind
from members.models import Entitlement

_CACHE_ATTR = "_medpath_member_perks"


@dataclass(frozen=True)
class PerkAccess:
    """A perk the member may use now, and until when (the latest end among their rows)."""

    perk: str
    until: datetime

    @property
    def label(self) -> str:
        return PerkKind(self.perk).label


def _read(user, at: datetime) -> dict[str, PerkAccess]:
    rows = (
        Entitlement.objects.filter(member=user)
        .not_ended(at=at)
        .values_list("perk", "starts_at", "ends_at")
    )
    started, latest_end = set(), {}
    for perk, starts_at, ends_at in rows:
        if starts_at <= at:
            started.add(perk)
        latest_end[perk] = max(ends_at, latest_end.get(perk, ends_at))
    return {
        perk: PerkAccess(perk=perk, until=latest_end[perk])
        for perk in PerkKind.values
        if perk in started
    }


def member_perks(user, *, at: datetime | None = None) -> dict[str, PerkAccess]:
    """The perks `user` may use at `at` (default now), in the fixed order of `PerkKind`."""
    if user is None or not user.is_authenticated:
        return {}
    if at is not None:
        return _read(user, at)
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = _read(user, timezone.now())
        setattr(user, _CACHE_ATTR, cached)
    return cached


def has_perk(user, perk: str, *, at: datetime | None = None) -> bool:
    """May `user` use `perk` at `at` (default now)?

    Staff (editors included) may use every perk, to check what members see and to help them;
    they hold no entitlement, so the dashboard lists none for them.
    """
    if perk not in PerkKind.values:
        raise ValueError(f"Unknown perk kind: {perk!r}")
    if user is not None and user.is_active and user.is_staff:
        return True
    access = member_perks(user, at=at).get(perk)
    return access is not None and access.until > (at or timezone.now())
