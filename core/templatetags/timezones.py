"""`{% load timezones %}`: times and zones as people read them (see `core.timezones`).

- `{{ booking.start|when }}` → "Tue 4 May, 23:30" in the page's zone (the viewer's, said once
  on the page); `{{ booking.start|when:zone }}` → "Tue 4 May, 23:30 (India)" in `zone`.
- `{{ order.created_at|day }}` → "Tue 4 May" (the year when not this year), the day in the
  page's zone; `|day:zone` in `zone`; a date (a page's "last updated") as it is.
- `{{ start|clock }}` → "23:30": a time of day in a list under a day already named.
- `{% when_span booking.start booking.end %}` / `{% when_span start end zone %}` → "Tue 4 May,
  22:30–23:30", across midnight "Tue 4 May, 23:30 – Wed 5 May, 00:30".
- `{% when_time start end %}` → the same text in a `<time>` element; for a visitor who chose
  no zone (shown UTC), marked `data-local-time` so the browser shows it in the device's zone
  (`medpath/js/local-times.js`, loaded with `{% local_times_script %}`).
- `{{ user.time_zone|zone_label }}` → "India (Kolkata) · GMT+5:30"; `|zone_place` → "India
  (Kolkata)"; `|zone_short` → "India".
"""

from django import template
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html

from core import timezones

register = template.Library()


@register.filter
def when(value, zone=None):
    return timezones.format_when(value, zone=zone, labelled=bool(zone))


@register.filter
def day(value, zone=None):
    return timezones.format_day(value, zone=zone)


@register.filter
def clock(value, zone=None):
    return timezones.format_clock(value, zone=zone)


@register.simple_tag
def when_span(start, end, zone=None):
    return timezones.format_when(start, end=end, zone=zone, labelled=bool(zone))


def _zone_from_device(context) -> bool:
    """True when the page shows the default zone because the viewer chose none (an anonymous
    visitor without a zone in the session: `UserTimezoneMiddleware` sets `zone_chosen`)."""
    request = context.get("request")
    return request is not None and getattr(request, "zone_chosen", True) is False


@register.simple_tag(takes_context=True)
def when_time(context, start, end=None, zone=None):
    """`start` (to `end`) as `when_span` words in a `<time datetime>` element. Shown in the
    page's zone (named when `zone` is given, as `when_span` does), the element is marked for
    the device's zone when the viewer chose none."""
    if not start:
        return ""
    text = timezones.format_when(start, end=end, zone=zone, labelled=bool(zone))
    in_page_zone = zone is None or str(zone) == timezones.active_zone_name()
    if in_page_zone and _zone_from_device(context):
        return format_html(
            '<time datetime="{}" data-local-time data-end="{}">{}</time>',
            start.isoformat(),
            end.isoformat() if end else "",
            text,
        )
    return format_html('<time datetime="{}">{}</time>', start.isoformat(), text)


@register.simple_tag(takes_context=True)
def local_times_script(context):
    """The module that shows marked times in the device's zone, only where they are marked."""
    if not _zone_from_device(context):
        return ""
    return format_html(
        '<script type="module" src="{}" data-local-times data-resolve-url="{}"></script>',
        static("medpath/js/local-times.js"),
        reverse("api:resolve_time_zone"),
    )


@register.filter
def zone_label(name):
    return timezones.zone_label(name) if name else ""


@register.filter
def zone_place(name):
    return timezones.zone_place(name) if name else ""


@register.filter
def zone_short(name):
    return timezones.zone_short_name(name) if name else ""
