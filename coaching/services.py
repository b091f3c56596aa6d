"""Writes to the catalogue that happen outside the admin."""

from __future__ import annotations

from coaching.models import MAX_OPEN_ITEMS_LIMIT, Coach
from core.errors import DomainError


def coach_set_max_open_items(*, coach: Coach, value: int) -> Coach:
    """The coach's own limit of open queue items (reviews, practice attempts)."""
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or not 1 <= value <= MAX_OPEN_ITEMS_LIMIT
    ):
        raise DomainError(f"Choose a number from 1 to {MAX_OPEN_ITEMS_LIMIT}.")
    Coach.objects.filter(pk=coach.pk).update(max_open_items=value)
    coach.max_open_items = value
    return coach
