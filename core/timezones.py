"""The IANA zones people may pick, and validation for them (shared by users and coaches)."""

import zoneinfo
from datetime import datetime, time
from functools import cache

from django.core.exceptions import ValidationError


@cache
def available_zones() -> frozenset[str]:
    # Drop the duplicate trees (posix/, right/) and non-places; keep UTC.
    return frozenset(
        zone
        for zone in zoneinfo.available_timezones()
        if not zone.startswith(("posix/", "right/")) and zone not in {"Factory", "localtime"}
    ) | {"UTC"}


def is_valid_zone(name: str) -> bool:
    return name in available_zones()


def validate_time_zone(value: str) -> None:
    if not is_valid_zone(value):
        raise ValidationError(
            "“%(value)s” is not a time zone we know. Pick a zone such as America/Toronto.",
            code="invalid_time_zone",
            params={"value": value},
        )


def zone_choices() -> list[tuple[str, str]]:
    return [(zone, zone.replace("_", " ")) for zone in sorted(available_zones())]


# Regions people pick a city from; the other names (US/Eastern, EST5EDT, Etc/GMT+5, Japan…)
# stay valid but would only clutter the list.
PLACE_REGIONS = (
    "Africa",
    "America",
    "Antarctica",
    "Arctic",
    "Asia",
    "Atlantic",
    "Australia",
    "Europe",
    "Indian",
    "Pacific",
)


@cache
def _grouped_place_zones() -> tuple:
    groups = []
    for region in PLACE_REGIONS:
        zones = sorted(zone for zone in available_zones() if zone.split("/")[0] == region)
        groups.append((region, tuple((zone, zone.replace("_", " ")) for zone in zones)))
    return (("UTC", "UTC"), *groups)


def grouped_zone_choices(*, include: str | None = None) -> list:
    """Zones grouped by region for a `<select>` with `<optgroup>`s, plus `include` if it is a
    valid zone outside those regions (so a saved legacy name is shown, not silently replaced)."""
    choices = list(_grouped_place_zones())
    if include and is_valid_zone(include) and include != "UTC":
        region = include.split("/")[0]
        if region not in PLACE_REGIONS:
            choices.append(("Other", ((include, include.replace("_", " ")),)))
    return choices


# Night in the viewer's own zone: a time starting then is marked in the slot picker, so nobody
# books 02:00 by mistake for a session across the world.
NIGHT_STARTS = time(23)
NIGHT_ENDS = time(6)


def is_night(local: datetime) -> bool:
    """Whether a wall-clock time (already in the viewer's zone) falls in 23:00–06:00."""
    return not NIGHT_ENDS <= local.time() < NIGHT_STARTS
