"""Conventions the templates keep: one badge per booking status, links by name, one way to
name partials."""

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
