import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.utils import timezone

from core.timezones import (
    current_zone_name,
    current_zones,
    format_clock,
    format_day,
    format_when,
    grouped_zone_choices,
    validate_time_zone,
    zone_from_languages,
    zone_label,
    zone_short_name,
)

JANUARY = dt.datetime(2026, 1, 15, 12, 0, tzinfo=dt.UTC)
JULY = dt.datetime(2026, 7, 15, 12, 0, tzinfo=dt.UTC)


def test_zone_label_names_country_city_and_half_hour_offset():
    assert zone_label("Asia/Kolkata", JANUARY) == "India (Kolkata) · GMT+5:30"


def test_zone_label_shows_a_quarter_hour_offset():
    assert zone_label("Asia/Kathmandu", JANUARY) == "Nepal (Kathmandu) · GMT+5:45"


def test_zone_label_of_a_dst_zone_follows_the_date():
    # A real minus sign (U+2212), as in print.
    assert zone_label("America/Toronto", JANUARY) == "Canada (Toronto) · GMT\u22125"
    assert zone_label("America/Toronto", JULY) == "Canada (Toronto) · GMT\u22124"
    assert zone_label("Europe/London", JANUARY) == "United Kingdom (London) · GMT"
    assert zone_label("Europe/London", JULY) == "United Kingdom (London) · GMT+1"


def test_zone_label_of_a_city_state_and_of_utc():
    assert zone_label("Asia/Singapore", JANUARY) == "Singapore · GMT+8"
    assert zone_label("UTC", JANUARY) == "UTC"


def test_old_and_deprecated_names_are_not_offered():
    offered = {zone for _group, items in grouped_zone_choices()[1:] for zone, _label in items}
    offered.add(grouped_zone_choices()[0][0])
    assert offered == set(current_zones())
    for old_name in (
        "Asia/Calcutta",
        "Asia/Katmandu",
        "US/Eastern",
        "Europe/Kiev",
        "EST5EDT",
        "Etc/GMT+5",
        "GMT",
        "Canada/Eastern",
        "America/Buenos_Aires",
    ):
        assert old_name not in offered
    assert {"Asia/Kolkata", "Europe/Kyiv", "America/New_York", "UTC"} <= offered


def test_choices_are_grouped_by_region_and_ordered_by_label():
    groups = dict(grouped_zone_choices(at=JANUARY)[1:])
    assert ("Asia/Kolkata", "India (Kolkata) · GMT+5:30") in groups["Asia"]
    assert ("America/Toronto", "Canada (Toronto) · GMT\u22125") in groups["Americas"]
    labels = [label for _zone, label in groups["Europe"]]
    assert labels == sorted(labels)


def test_old_names_map_to_the_name_that_replaced_them():
    assert current_zone_name("Asia/Calcutta") == "Asia/Kolkata"
    assert current_zone_name("US/Eastern") == "America/New_York"
    assert current_zone_name("Europe/Kiev") == "Europe/Kyiv"
    assert current_zone_name("Etc/UTC") == "UTC"
    assert current_zone_name("Asia/Kolkata") == "Asia/Kolkata"
    assert current_zone_name("Mars/Olympus") is None
    assert zone_label("Asia/Calcutta", JANUARY) == "India (Kolkata) · GMT+5:30"


def test_validation_accepts_current_names_only_and_names_the_replacement():
    validate_time_zone("Asia/Kolkata")
    with pytest.raises(ValidationError, match="old name for Asia/Kolkata"):
        validate_time_zone("Asia/Calcutta")
    with pytest.raises(ValidationError, match="not a time zone we know"):
        validate_time_zone("Mars/Olympus")


def test_short_name_is_the_country_when_it_has_one_zone_else_the_city():
    assert zone_short_name("Asia/Kolkata") == "India"
    assert zone_short_name("America/Toronto") == "Toronto"


def test_zone_from_languages_uses_a_single_zone_country_else_the_default():
    assert zone_from_languages("en-IN,en;q=0.9", "America/Toronto") == "Asia/Kolkata"
    assert zone_from_languages("en-NP", "America/Toronto") == "Asia/Kathmandu"
    assert zone_from_languages("en-US,en;q=0.9", "America/Toronto") == "America/Toronto"
    assert zone_from_languages("en", "America/Toronto") == "America/Toronto"
    assert zone_from_languages("", "America/Toronto") == "America/Toronto"


# --- reading a moment ---------------------------------------------------------------------

# 18:00 UTC on Monday 4 May 2026 is 23:30 in Kolkata and 14:00 in Toronto.
LATE_IN_INDIA = dt.datetime(2026, 5, 4, 18, 0, tzinfo=dt.UTC)


def test_a_time_near_midnight_carries_its_weekday_and_zone():
    assert (
        format_when(LATE_IN_INDIA, zone="Asia/Kolkata", labelled=True, now=JANUARY)
        == "Mon 4 May, 23:30 (India)"
    )
    assert format_when(LATE_IN_INDIA, zone="America/Toronto", now=JANUARY) == "Mon 4 May, 14:00"


def test_a_span_across_midnight_names_both_days():
    end = LATE_IN_INDIA + dt.timedelta(hours=1)
    assert (
        format_when(LATE_IN_INDIA, end=end, zone="Asia/Kolkata", now=JANUARY)
        == "Mon 4 May, 23:30 – Tue 5 May, 00:30"
    )
    assert (
        format_when(LATE_IN_INDIA, end=end, zone="America/Toronto", now=JANUARY)
        == "Mon 4 May, 14:00–15:00"
    )


def test_a_moment_just_after_midnight_is_on_the_next_day():
    just_after = dt.datetime(2026, 5, 4, 18, 45, tzinfo=dt.UTC)  # 00:15 in Kolkata
    assert format_when(just_after, zone="Asia/Kolkata", now=JANUARY) == "Tue 5 May, 00:15"


def test_the_year_appears_only_outside_this_year():
    next_year = dt.datetime(2027, 1, 4, 9, 0, tzinfo=dt.UTC)
    assert format_when(next_year, zone="UTC", now=JANUARY) == "Mon 4 Jan 2027, 09:00"


def render_in_toronto(source: str, **context) -> str:
    """`source` after `{% load timezones %}`, rendered with Toronto as the page's zone."""
    with timezone.override(zoneinfo.ZoneInfo("America/Toronto")):
        return Template("{% load timezones %}" + source).render(Context(context))


@time_machine.travel(JANUARY, tick=False)
def test_when_filter_uses_the_active_zone_and_labels_a_given_one():
    html = render_in_toronto(
        "{{ start|when }} | {{ start|when:zone }} | "
        "{% when_span start end zone %} | {{ zone|zone_label }}",
        start=LATE_IN_INDIA,
        end=LATE_IN_INDIA + dt.timedelta(hours=1),
        zone="Asia/Kolkata",
    )
    assert html == (
        "Mon 4 May, 14:00 | Mon 4 May, 23:30 (India) | "
        "Mon 4 May, 23:30 – Tue 5 May, 00:30 (India) | India (Kolkata) · GMT+5:30"
    )


def test_a_day_alone_reads_as_the_day_of_a_moment_and_takes_the_year_outside_this_year():
    assert format_day(LATE_IN_INDIA, zone="America/Toronto", now=JANUARY) == "Mon 4 May"
    # 18:45 UTC on 4 May is 00:15 on 5 May in Kolkata: the day is the zone's
    just_after = dt.datetime(2026, 5, 4, 18, 45, tzinfo=dt.UTC)
    assert format_day(just_after, zone="Asia/Kolkata", now=JANUARY) == "Tue 5 May"
    assert format_day(dt.date(2027, 1, 4), now=JANUARY) == "Mon 4 Jan 2027"
    assert format_day(None) == ""


def test_a_day_and_a_clock_are_the_parts_of_format_when():
    moment = format_when(LATE_IN_INDIA, zone="Asia/Kolkata", now=JANUARY)
    day = format_day(LATE_IN_INDIA, zone="Asia/Kolkata", now=JANUARY)
    assert moment == f"{day}, {format_clock(LATE_IN_INDIA, zone='Asia/Kolkata')}"
    assert format_clock(LATE_IN_INDIA, zone="Asia/Kolkata") == "23:30"


@time_machine.travel(JANUARY, tick=False)
def test_day_and_clock_filters_use_the_active_zone_or_a_given_one():
    html = render_in_toronto(
        "{{ start|day }} {{ start|clock }} | {{ start|day:zone }} {{ start|clock:zone }} | "
        "{{ updated|day }}",
        start=LATE_IN_INDIA + dt.timedelta(hours=1),
        zone="Asia/Kolkata",
        updated=dt.date(2025, 12, 31),
    )
    assert html == "Mon 4 May 15:00 | Tue 5 May 00:30 | Wed 31 Dec 2025"
