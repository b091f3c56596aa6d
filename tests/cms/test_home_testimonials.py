"""Testimonials on the home page: a few, general ones first, in the editors' order."""

import re

import pytest

from coaching.selectors import TESTIMONIALS_SHOWN
from tests.coaching.factories import PackageFactory, TestimonialFactory

pytestmark = pytest.mark.django_db


def _names(html: str) -> list[str]:
    return re.findall(r'<span class="testimonial__name">([^<]+)</span>', html)


def test_home_page_shows_only_active_testimonials(client, home):
    TestimonialFactory(name="Hidden.", inactive=True)
    TestimonialFactory(name="Shown.")

    assert _names(client.get(home.url).content.decode()) == ["Shown."]


def test_home_page_without_testimonials_has_no_section(client, home):
    assert "What applicants say" not in client.get(home.url).content.decode()


def test_home_page_shows_a_few_testimonials_general_first_in_the_editors_order(client, home):
    package = PackageFactory(name="Interview Ready")
    TestimonialFactory(name="About a package.", package=package, sort_order=0)
    TestimonialFactory(name="General late.", sort_order=5)
    TestimonialFactory(name="General early.", sort_order=1)
    for n in range(TESTIMONIALS_SHOWN):
        TestimonialFactory(name=f"Extra {n}.", package=package, sort_order=20 + n)

    html = client.get(home.url).content.decode()

    assert _names(html) == ["General early.", "General late.", "About a package."]
    assert f'href="{package.get_absolute_url()}">About Interview Ready</a>' in html
