"""The IANA zones people may pick, and validation for them (shared by users and coaches)."""

import zoneinfo
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
