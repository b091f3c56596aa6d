"""The `|money` filter: integer cents shown in a currency, the one way templates show money."""

import pytest
from django.template import Context, Template
from django.template.loader import render_to_string

from coaching.models import Package


def render(source: str, **context) -> str:
    return Template("{% load money %}" + source).render(Context(context))


def test_cents_are_shown_in_canadian_dollars_by_default():
    assert render("{{ cents|money }}", cents=31050) == "CA$310.50"


def test_the_currency_argument_chooses_the_symbol():
    assert render("{{ cents|money:currency }}", cents=189500, currency="USD") == "US$1,895.00"
    assert render("{{ cents|money:'eur' }}", cents=5) == "EUR 0.05"


def test_an_empty_currency_falls_back_to_canadian_dollars():
    assert render("{{ cents|money:currency }}", cents=100, currency="") == "CA$1.00"


@pytest.mark.parametrize("cents", [None, ""])
def test_no_amount_shows_nothing(cents):
    assert render("[{{ cents|money }}]", cents=cents) == "[]"


def test_zero_and_negative_amounts_are_shown():
    assert render("{{ zero|money }} {{ minus|money }}", zero=0, minus=-2550) == "CA$0.00 -CA$25.50"


def test_package_price_include_shows_the_price_through_the_filter():
    package = Package(price_cents=34500, taxable=True)
    html = render_to_string(
        "coaching/includes/price.html", {"package": package, "sales_tax_name": "HST"}
    )
    assert "CA$345.00" in html
    assert "+ HST" in html
