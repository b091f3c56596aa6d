"""Conventions the templates keep: one badge per booking status, links by name, one way to
name partials, times shown through the one formatter (core/timezones.py)."""

import re
from pathlib import Path

import pytest
from django.template.loader import render_to_string

from booking.models import Booking, BookingStatus

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


@pytest.mark.parametrize(
    ("status", "modifier", "label"),
    [
        (BookingStatus.HELD, "badge--warning", "Awaiting payment"),
        (BookingStatus.CONFIRMED, "badge--success", "Confirmed"),
        (BookingStatus.COMPLETED, "badge--success", "Completed"),
        (BookingStatus.NO_SHOW, "badge--warning", "No-show"),
        (BookingStatus.CANCELLED, "badge--muted", "Cancelled"),
        (BookingStatus.EXPIRED, "badge--muted", "Expired"),
    ],
)
def test_booking_status_badge_has_one_colour_and_label_per_status(status, modifier, label):
    html = render_to_string("includes/booking_status.html", {"booking": Booking(status=status)})
    assert f'<span class="badge {modifier}">{label}</span>' in html


# An address written out in a template: `href="/…"`, `action="/…"`, or `{{ site_url }}/…` in emails.
LITERAL_PATH = re.compile(r'(?:href|action|src)="/|\{\{ site_url \}\}/')
# Django renders 500.html when the URLconf itself may be what failed, so it cannot reverse.
LITERAL_PATHS_ALLOWED = {"500.html"}


def test_templates_link_by_url_name_not_by_written_out_path():
    written_out = [
        f"{path.relative_to(TEMPLATES)}:{text[: match.start()].count(chr(10)) + 1}"
        for path in sorted(TEMPLATES.rglob("*"))
        if path.suffix in {".html", ".txt"}
        and str(path.relative_to(TEMPLATES)) not in LITERAL_PATHS_ALLOWED
        for text in [path.read_text(encoding="utf-8")]
        for match in LITERAL_PATH.finditer(text)
    ]
    assert written_out == []


def test_a_booking_links_to_its_session_page():
    assert Booking(public_id="abc123").get_absolute_url() == "/book/bookings/abc123/"


INCLUDE = re.compile(r"""\{% include ["']([^"']+)["']""")
# allauth includes these by name; our files override them, so they keep allauth's names.
ALLAUTH_PARTIALS = "account/snippets/"


def test_partials_live_in_includes_folders():
    templates = sorted(p for p in TEMPLATES.rglob("*") if p.suffix in {".html", ".txt"})
    included = {
        name for path in templates for name in INCLUDE.findall(path.read_text(encoding="utf-8"))
    }
    elsewhere = sorted(
        name
        for name in included
        if not re.fullmatch(r"(\w+/)*includes/[\w.]+", name)
        and not name.startswith(ALLAUTH_PARTIALS)
    )
    underscored = sorted(str(p.relative_to(TEMPLATES)) for p in templates if p.name.startswith("_"))
    assert elsewhere == []
    assert underscored == []
    assert all((TEMPLATES / name).exists() for name in included)


# --- times shown to people go through core.timezones -------------------------------------

# `{% timezone %}` / `{% localtime %}` blocks, and `{{ …|date… }}` / `{{ …|time… }}` anywhere in
# a variable or a tag: each writes a time in a format of its own instead of format_when's.
ZONE_BLOCK = re.compile(r"\{%-?\s*(?:timezone|localtime)\b")
TEMPLATE_CODE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)
TIME_FILTER = re.compile(
    r"""\|\s*(?P<name>date|time)\b(?:\s*:\s*(?P<q>["'])(?P<format>.*?)(?P=q))?"""
)
TEMPLATE_COMMENT = re.compile(r"\{#.*?#\}|\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}", re.S)
# The one use left to `|date`: a value for machines, ISO 8601 ("c") or a bare date
# ("Y-m-d"), as the whole value of an HTML attribute: `<time datetime="{{ x|date:'c' }}">`.
MACHINE_FORMATS = {"c", "Y-m-d"}


def _whole_attribute_value(source: str, start: int, end: int) -> bool:
    quote = source[end : end + 1]
    return quote in {'"', "'"} and source[start - 2 : start] == f"={quote}"


def hand_formatted_times(source: str) -> list[tuple[int, str]]:
    """(line, code) of each place that formats a time for people by hand, not with `|when`,
    `{% when_time %}`, `{% when_span %}`, `|day` or `|clock`; comments are skipped."""
    source = TEMPLATE_COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), source)
    found = [(match.start(), match.group(0)) for match in ZONE_BLOCK.finditer(source)]
    for code in TEMPLATE_CODE.finditer(source):
        for time_filter in TIME_FILTER.finditer(code.group(0)):
            machine = (
                time_filter["name"] == "date"
                and time_filter["format"] in MACHINE_FORMATS
                and code.group(0).startswith("{{")
                and _whole_attribute_value(source, code.start(), code.end())
            )
            if not machine:
                found.append((code.start(), code.group(0)))
    return sorted((source.count("\n", 0, at) + 1, text) for at, text in found)


def test_times_are_shown_through_the_one_formatter():
    """Every time people read has format_when's words (core/timezones.py); a `{% timezone %}`
    block or a `|date:"…"` format would bring back a second way of writing them."""
    templates = sorted(p for p in TEMPLATES.rglob("*") if p.is_file())
    assert len(templates) > 100  # the walk really reaches the templates, emails included
    by_hand = [
        f"templates/{path.relative_to(TEMPLATES)}:{line} {code}"
        for path in templates
        for line, code in hand_formatted_times(path.read_text(encoding="utf-8"))
    ]
    assert by_hand == [], (
        "Show times with {% load timezones %}: {{ x|when }} or {{ x|when:zone }} (another "
        "zone than the viewer's), {% when_time start end %}, {% when_span start end zone %}, "
        "{{ x|day }} for a day alone, {{ x|clock }} for a time under a named day. |date is "
        'left only for machines: "c" or "Y-m-d" as a whole attribute value.\n' + "\n".join(by_hand)
    )


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("<p>\n{% timezone coach_zone %}{{ x|when }}{% endtimezone %}", [2]),
        ("{% localtime off %}{{ x }}{% endlocaltime %}", [1]),
        ('{{ booking.start|date:"l j F, H:i" }}', [1]),
        ("{{ booking.start|date }}", [1]),
        ("{{ booking.start | time:'H:i' }}", [1]),
        ('{{ booking.start|date:"c" }}', [1]),  # machine format, but shown as text
        ("<time datetime=\"{{ x|date:'c' }} \">", [1]),  # not the whole value
        ("<time title=\"{{ x|date:'j M' }}\">", [1]),  # an attribute people read
        ('{% with day=x|date:"j M" %}{{ day }}{% endwith %}', [1]),
    ],
)
def test_the_time_check_reports_a_time_formatted_by_hand(source, expected):
    assert [line for line, _ in hand_formatted_times(source)] == expected


@pytest.mark.parametrize(
    "source",
    [
        "<time datetime=\"{{ x|date:'c' }}\">{{ x|when }}</time>",
        "<time datetime=\"{{ page.last_updated|date:'Y-m-d' }}\">{{ page.last_updated|day }}</time>",
        "<li data-start='{{ x|date:\"c\" }}'>{% when_span x y zone %}</li>",
        '{# {% timezone x %} and |date:"j M" in a comment #}{{ x|day }} {{ x|clock }}',
        '{% comment %}{{ x|date:"D" }}{% endcomment %}{% when_time x %}',
        "{{ review.updated_by }} {{ x|datetime_label }}",  # other filters are not |date
    ],
)
def test_the_time_check_allows_the_formatter_and_machine_values(source):
    assert hand_formatted_times(source) == []
