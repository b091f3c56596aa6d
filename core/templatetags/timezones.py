"""`{% load timezones %}`: times and zones as people read them (see `core.timezones`).

- `{{ booking.start|when }}` → "Tue 4 May, 23:30" in the page's zone (the viewer's, said once
  on the page); `{{ booking.start|when:zone }}` → "Tue 4 May, 23:30 (India)" in `zone`.
- `{% when_span booking.start booking.end %}` / `{% when_span start end zone %}` → "Tue 4 May,
  22:30–23:30", across midnight "Tue 4 May, 23:30 – Wed 5 May, 00:30".
- `{{ user.time_zone|zone_label }}` → "India (Kolkata) · GMT+5:30"; `|zone_place` → "India
  (Kolkata)"; `|zone_short` → "India".
"""

from django import template

from core import timezones

register = template.Library()


@register.filter
def when(value, zone=None):
    return timezones.format_when(value, zone=zone, labelled=bool(zone))


@register.simple_tag
def when_span(start, end, zone=None):
    return timezones.format_when(start, end=end, zone=zone, labelled=bool(zone))


@register.filter
def zone_label(name):
    return timezones.zone_label(name) if name else ""


@register.filter
def zone_place(name):
    return timezones.zone_place(name) if name else ""


@register.filter
def zone_short(name):
    return timezones.zone_short_name(name) if name else ""
