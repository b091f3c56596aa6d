"""Time zones for scripts (django-ninja, mounted at /api/v1/): the list people pick from and
what a browser-reported name reads as. Public and read-only; the data is `core.timezones`."""

from ninja import Router

from core.errors import DomainError
from core.timezones import (
    current_zone_name,
    zone_groups_json,
    zone_label,
    zone_place,
    zone_short_name,
)

router = Router(tags=["time zones"])


@router.get("/time-zones", summary="The time zones people can pick, grouped by region")
def list_time_zones(request):
    """UTC, then each region's current IANA zones, labelled "India (Kolkata) · GMT+5:30"."""
    return zone_groups_json()


@router.get("/time-zones/resolve", summary="How a zone name (old names included) reads")
def resolve_time_zone(request, name: str):
    """The current name for what a browser reports (Asia/Calcutta → Asia/Kolkata), its label,
    its place and the short name that follows a time in brackets ("India")."""
    current = current_zone_name(name)
    if current is None:
        raise DomainError(
            f"“{name}” is not a time zone we know; use an IANA name such as Asia/Kolkata.",
            code="invalid_time_zone",
        )
    return {
        "id": current,
        "label": zone_label(current),
        "place": zone_place(current),
        "short": zone_short_name(current),
    }
