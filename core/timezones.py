"""Time zones as people pick and read them (shared by users, coaches and every page and email).

The zones people may pick are the tz database's current place names: those listed in its
`zone.tab` and `zone1970.tab` (one row per country and zone), plus UTC. The backward links
(Asia/Calcutta, US/Eastern, EST5EDT, Etc/GMT+5…) are left out; `current_zone_name` maps them
to the name that replaced them. The tables come from the `tzdata` package, so every machine
reads the same ones whatever its operating system ships.

A zone reads as people say it: "India (Kolkata) · GMT+5:30", the offset as of a given moment
(today by default). Times read the same way everywhere: `format_when` ("Tue 4 May, 23:30
(India)"), a day without its time `format_day` ("Tue 4 May"), a time of day under a day
already named `format_clock` ("23:30"), behind the `{% load timezones %}` filters and tags.
"""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from functools import cache
from importlib import resources

from django.core.exceptions import ValidationError
from django.utils import dateformat, timezone
from django.utils.functional import lazy

UTC = "UTC"

# Where iso3166.tab's compact names (made to fit a table) are not what people say.
COUNTRY_NAMES = {
    "AS": "American Samoa",
    "CC": "Cocos Islands",
    "CD": "DR Congo",
    "CG": "Congo",
    "GB": "United Kingdom",
    "KP": "North Korea",
    "KR": "South Korea",
    "MF": "Saint Martin",
    "MM": "Myanmar",
    "SX": "Sint Maarten",
    "SZ": "Eswatini",
    "TC": "Turks and Caicos Islands",
    "UM": "US Outlying Islands",
    "VG": "British Virgin Islands",
    "VI": "US Virgin Islands",
    "WS": "Samoa",
}

# The first part of a zone name, as the heading of its group in a list.
REGIONS = {
    "Africa": "Africa",
    "America": "Americas",
    "Antarctica": "Antarctica",
    "Arctic": "Arctic",
    "Asia": "Asia",
    "Atlantic": "Atlantic islands",
    "Australia": "Australia",
    "Europe": "Europe",
    "Indian": "Indian Ocean",
    "Pacific": "Pacific",
}

# The zones the tz database keeps for UTC itself; all are shown and stored as "UTC".
_UTC_ALIASES = {"Etc/UTC", "Etc/GMT"}


@dataclass(frozen=True)
class Zone:
    """A current IANA zone and the country and city people know it by."""

    name: str
    country: str
    city: str
    single_in_country: bool

    @property
    def region(self) -> str:
        return REGIONS.get(self.name.split("/")[0], "Other")

    @property
    def place(self) -> str:
        """ "India (Kolkata)", or just "Singapore" where the city is the country."""
        if self.name == UTC or self.city == self.country:
            return self.country
        return f"{self.country} ({self.city})"

    @property
    def short_name(self) -> str:
        """What to put after a time: the country where it has one zone, else the city."""
        return self.country if self.single_in_country else self.city


def _tzdata_table(filename: str) -> list[list[str]]:
    text = resources.files("tzdata.zoneinfo").joinpath(filename).read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]


@cache
def current_zones() -> dict[str, Zone]:
    """Every zone people may pick, by name."""
    countries = {row[0]: COUNTRY_NAMES.get(row[0], row[1]) for row in _tzdata_table("iso3166.tab")}
    country_of: dict[str, str] = {row[2]: row[0] for row in _tzdata_table("zone.tab")}
    for row in _tzdata_table("zone1970.tab"):
        country_of.setdefault(row[2], row[0].split(",")[0])
    known = zoneinfo.available_timezones()
    country_of = {name: code for name, code in country_of.items() if name in known}
    zones_per_country: dict[str, int] = {}
    for code in country_of.values():
        zones_per_country[code] = zones_per_country.get(code, 0) + 1
    zones = {
        name: Zone(
            name=name,
            country=countries.get(code, code),
            city=name.rsplit("/", 1)[-1].replace("_", " "),
            single_in_country=zones_per_country[code] == 1,
        )
        for name, code in country_of.items()
    }
    zones[UTC] = Zone(name=UTC, country=UTC, city=UTC, single_in_country=True)
    return zones


@cache
def _links() -> dict[str, str]:
    """Old name → the zone it points to, from the tz database's `tzdata.zi` link lines."""
    text = resources.files("tzdata.zoneinfo").joinpath("tzdata.zi").read_text(encoding="utf-8")
    links = {}
    for line in text.splitlines():
        if line.startswith("L "):
            _, target, name = line.split()
            links[name] = target
    return links


def is_current_zone(name: str) -> bool:
    return name in current_zones()


def current_zone_name(name: str) -> str | None:
    """The current name for `name` (itself if current, Asia/Kolkata for Asia/Calcutta,
    UTC for Etc/UTC), or None for a name that is not a time zone."""
    if not isinstance(name, str):
        return None
    zones = current_zones()
    links = _links()
    seen = set()
    while name not in zones and name not in seen:
        seen.add(name)
        if name in _UTC_ALIASES:
            return UTC
        if name not in links:
            return None
        name = links[name]
    return name if name in zones else None


@cache
def _known_zones() -> frozenset[str]:
    # Drop the duplicate trees (posix/, right/) and non-places.
    return frozenset(
        zone
        for zone in zoneinfo.available_timezones()
        if not zone.startswith(("posix/", "right/")) and zone not in {"Factory", "localtime"}
    ) | {UTC}


def is_valid_zone(name: str) -> bool:
    """Any zone Python can load, old names included: for reading a stored or requested zone.
    What people pick and save must pass `validate_time_zone` (current names only)."""
    return name in _known_zones()


def validate_time_zone(value: str) -> None:
    if is_current_zone(value):
        return
    current = current_zone_name(value)
    if current:
        raise ValidationError(
            "“%(value)s” is an old name for %(current)s. Pick %(place)s instead.",
            code="old_time_zone_name",
            params={"value": value, "current": current, "place": current_zones()[current].place},
        )
    raise ValidationError(
        "“%(value)s” is not a time zone we know. Pick a zone such as America/Toronto.",
        code="invalid_time_zone",
        params={"value": value},
    )


def zone_info(zone: str | tzinfo | None) -> tzinfo:
    """A tzinfo for a zone name (UTC for an unknown one), a tzinfo as is, or the active zone."""
    if zone is None or zone == "":
        return timezone.get_current_timezone()
    if isinstance(zone, tzinfo):
        return zone
    return zoneinfo.ZoneInfo(zone if is_valid_zone(zone) else UTC)


def gmt_offset(zone: str, at: datetime | None = None) -> str:
    """ "GMT+5:30", "GMT−5" (a real minus sign), "GMT" for zero: the offset at `at` (now)."""
    offset = (at or timezone.now()).astimezone(zone_info(zone)).utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds()) // 60
    if minutes == 0:
        return "GMT"
    sign = "+" if minutes > 0 else "\u2212"
    hours, rest = divmod(abs(minutes), 60)
    return f"GMT{sign}{hours}" + (f":{rest:02d}" if rest else "")


def _zone_for(name: str) -> Zone | None:
    current = current_zone_name(name)
    return current_zones()[current] if current else None


def zone_label(name: str, at: datetime | None = None) -> str:
    """ "India (Kolkata) · GMT+5:30", "UTC"; an old name reads as its current one."""
    zone = _zone_for(name)
    if zone is None:
        return str(name)
    if zone.name == UTC:
        return UTC
    return f"{zone.place} · {gmt_offset(zone.name, at)}"


def zone_place(name: str) -> str:
    """ "India (Kolkata)": the label without the offset (for text that holds over time)."""
    zone = _zone_for(name)
    return zone.place if zone else str(name)


def zone_short_name(name: str) -> str:
    """ "India", "Toronto": what follows a time in brackets."""
    zone = _zone_for(name)
    return zone.short_name if zone else str(name)


def active_zone_name() -> str:
    """The name of the zone times are shown in right now (the viewer's, once activated)."""
    tz = timezone.get_current_timezone()
    return getattr(tz, "key", None) or str(tz)


def _in_active_zone(label: str) -> str:
    return f"{label} ({zone_short_name(active_zone_name())})"


# "Start (Toronto)": a column heading that names the zone its times are in, worked out when
# the heading is rendered (admin listings are built once, then rendered in each viewer's zone).
in_active_zone = lazy(_in_active_zone, str)


def grouped_zone_choices(*, include: str | None = None, at: datetime | None = None) -> list:
    """UTC, then the current zones by region, each labelled "Country (City) · GMT±h" and in
    the order of their labels (so typing a country's first letters in the list finds it).

    `include` is the zone a form is showing: an old name with a current one is shown as that
    (`initial_zone`); one without (Etc/GMT+5) is added under "Other", never silently replaced.
    """
    groups: dict[str, list[tuple[str, str]]] = {region: [] for region in REGIONS.values()}
    for zone in current_zones().values():
        if zone.name != UTC:
            groups[zone.region].append((zone.name, zone_label(zone.name, at)))
    choices = [
        (UTC, UTC),
        *((region, sorted(items, key=lambda item: item[1])) for region, items in groups.items()),
    ]
    if include and is_valid_zone(include) and current_zone_name(include) is None:
        choices.append(("Other", [(include, include)]))
    return choices


def zone_groups_json(at: datetime | None = None) -> list[dict]:
    """The same list for scripts: `[{"region", "zones": [{"id", "label"}]}]`, UTC first."""
    result = [{"region": UTC, "zones": [{"id": UTC, "label": UTC}]}]
    for region, items in grouped_zone_choices(at=at)[1:]:
        result.append({"region": region, "zones": [{"id": i, "label": t} for i, t in items]})
    return result


def initial_zone(name: str | None) -> str | None:
    """The value to preselect for a saved zone: its current name (Asia/Calcutta → Asia/Kolkata),
    or the name itself when it has none."""
    return (current_zone_name(name) or name) if name else None


def zone_from_languages(accept_language: str, default: str) -> str:
    """A first guess from the browser's languages when no script reports its zone: the zone
    of the first named country that has only one (en-IN → Asia/Kolkata), else `default`."""
    by_country: dict[str, list[str]] = {}
    for row in _tzdata_table("zone.tab"):
        by_country.setdefault(row[0], []).append(row[2])
    for part in accept_language.split(","):
        tag = part.split(";")[0].strip()
        subtags = tag.replace("_", "-").split("-")
        for subtag in subtags[1:]:
            zones = by_country.get(subtag.upper()) if len(subtag) == 2 else None
            if zones:
                return zones[0] if len(zones) == 1 and is_current_zone(zones[0]) else default
    return default


# --- reading a moment ---------------------------------------------------------------------


def _day_words(day: date, this_year: int) -> str:
    return dateformat.format(day, "D j M" if day.year == this_year else "D j M Y")


def _this_year(tz: tzinfo, now: datetime | None) -> int:
    return (now or timezone.now()).astimezone(tz).year


def format_when(
    value: datetime,
    *,
    end: datetime | None = None,
    zone: str | tzinfo | None = None,
    labelled: bool = False,
    now: datetime | None = None,
) -> str:
    """A moment (or a span) with its weekday, so 23:30 and 00:30 never leave the day in doubt.

    "Tue 4 May, 23:30"; a span "Tue 4 May, 22:30–23:30", or across midnight
    "Tue 4 May, 23:30 – Wed 5 May, 00:30"; the year only when it is not this year; with
    `labelled`, the zone's short name after it: "Tue 4 May, 23:30 (India)". `zone` is a name
    or tzinfo (default: the active zone, the viewer's).
    """
    if value is None or value == "":
        return ""
    tz = zone_info(zone)
    this_year = _this_year(tz, now)
    start = value.astimezone(tz)
    text = f"{_day_words(start, this_year)}, {format_clock(start, zone=tz)}"
    if end is not None:
        finish = end.astimezone(tz)
        if finish.date() == start.date():
            text += f"–{format_clock(finish, zone=tz)}"
        else:
            text += f" – {_day_words(finish, this_year)}, {format_clock(finish, zone=tz)}"
    if labelled:
        text += f" ({zone_short_name(getattr(tz, 'key', str(tz)))})"
    return text


def format_day(
    value: date | datetime, *, zone: str | tzinfo | None = None, now: datetime | None = None
) -> str:
    """The day alone, in `format_when`'s words: "Tue 4 May", "Tue 4 May 2027" outside this
    year. For what is due, ends or happened on a day (a due date, an order, a page's last
    update). A moment is read in `zone` (default: the active zone); a date is taken as it is."""
    if value is None or value == "":
        return ""
    tz = zone_info(zone)
    day = value.astimezone(tz).date() if isinstance(value, datetime) else value
    return _day_words(day, _this_year(tz, now))


def format_clock(value: datetime, *, zone: str | tzinfo | None = None) -> str:
    """The time of day alone, "23:30", as `format_when` writes it: for a list of times under a
    day already named (a day's free times)."""
    if value is None or value == "":
        return ""
    return f"{value.astimezone(zone_info(zone)):%H:%M}"


def format_on_record(value: datetime, zone: str, *, time: bool = True) -> str:
    """A moment for a record kept for years (a receipt): the year always, and with a time the
    zone's short name, in that zone: "Thu 3 Dec 2026, 13:49 (India)"; with `time=False` the
    date alone, "3 Dec 2026"."""
    tz = zone_info(zone)
    moment = value.astimezone(tz)
    if not time:
        return dateformat.format(moment, "j M Y")
    return (
        f"{dateformat.format(moment, 'D j M Y, H:i')} ({zone_short_name(getattr(tz, 'key', UTC))})"
    )


# Night in the viewer's own zone: a time starting then is marked in the slot picker, so nobody
# books 02:00 by mistake for a session across the world.
NIGHT_STARTS = time(23)
NIGHT_ENDS = time(6)


def is_night(local: datetime) -> bool:
    """Whether a wall-clock time (already in the viewer's zone) falls in 23:00–06:00."""
    return not NIGHT_ENDS <= local.time() < NIGHT_STARTS
