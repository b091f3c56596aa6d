"""Testimonials on package pages: the package's own first, then general ones (the home page's
are in tests/cms/test_home_testimonials.py)."""

import re

import pytest

from tests.coaching.factories import PackageFactory, TestimonialFactory

pytestmark = pytest.mark.django_db


def _names(html: str) -> list[str]:
    return re.findall(r'<span class="testimonial__name">([^<]+)</span>', html)


def test_package_page_shows_its_own_testimonials_first_then_general_ones(client):
    package = PackageFactory()
    other = PackageFactory()
    TestimonialFactory(name="General A.", sort_order=0)
    TestimonialFactory(name="Own late.", package=package, sort_order=9)
    TestimonialFactory(name="Own early.", package=package, sort_order=1)
    TestimonialFactory(name="Other package.", package=other, sort_order=0)

    html = client.get(package.get_absolute_url()).content.decode()

    assert "What applicants say" in html
    assert _names(html) == ["Own early.", "Own late.", "General A."]


def test_inactive_testimonials_are_not_shown_on_package_pages(client):
    package = PackageFactory()
    TestimonialFactory(name="Hidden own.", package=package, inactive=True)
    TestimonialFactory(name="Hidden general.", inactive=True)
    TestimonialFactory(name="Shown.")

    assert _names(client.get(package.get_absolute_url()).content.decode()) == ["Shown."]


def test_package_without_testimonials_has_no_section(client):
    package = PackageFactory()

    assert "What applicants say" not in client.get(package.get_absolute_url()).content.decode()


def test_package_without_its_own_testimonials_shows_general_ones_only(client):
    package = PackageFactory()
    TestimonialFactory(name="General B.", sort_order=2)
    TestimonialFactory(name="General A.", sort_order=1)
    TestimonialFactory(name="Other package.", package=PackageFactory())

    html = client.get(package.get_absolute_url()).content.decode()

    assert _names(html) == ["General A.", "General B."]


def test_testimonial_text_is_escaped_and_keeps_its_line_breaks(client):
    package = PackageFactory()
    TestimonialFactory(package=package, quote="First line <b>bold?</b>\nSecond line")

    html = client.get(package.get_absolute_url()).content.decode()

    assert "First line &lt;b&gt;bold?&lt;/b&gt;<br>Second line" in html
