"""The IANA zones people may pick, and validation for them (shared by users and coaches)."""

import zoneinfo
from datetime import datetime
from functools import cache

from django.core.exceptions import ValidationError
from django.utils.dateformat import format as format_date


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


def format_time_range(start: datetime, end: datetime, zone: str) -> str:
    """A session's time as someone in `zone` reads it, weekday included so a time near midnight
    is not ambiguous: "Tue 3 Mar 2027, 20:30–21:30 (Asia/Kolkata time)"; an end on the next
    day names its weekday too ("Tue 3 Mar 2027, 23:30–Wed 00:30 (…)")."""
    zone = zone if is_valid_zone(zone) else "UTC"
    tz = zoneinfo.ZoneInfo(zone)
    local_start, local_end = start.astimezone(tz), end.astimezone(tz)
    end_format = "H:i" if local_end.date() == local_start.date() else "D H:i"
    return (
        f"{format_date(local_start, 'D j M Y, H:i')}–{format_date(local_end, end_format)} "
        f"({zone.replace('_', ' ')} time)"
    )
