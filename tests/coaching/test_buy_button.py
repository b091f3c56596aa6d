"""The one Buy include: a form posting to the package's checkout for a logged-in buyer, a link
to log in (and back to the package) for anyone else; the package and price are announced, and
the terms a buyer agrees to are linked beside the form."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string

from tests.accounts.factories import BuyerFactory
from tests.coaching.factories import PackageFactory


@pytest.mark.django_db
def test_buy_button_posts_to_the_packages_checkout_for_a_logged_in_buyer():
    package = PackageFactory(slug="casper-ready", name="CASPer Ready", price_cents=34500)
    html = render_to_string(
        "coaching/includes/buy_button.html", {"package": package, "user": BuyerFactory()}
    )
    assert 'method="post"' in html
    assert 'action="/checkout/package/casper-ready/"' in html
    assert "CASPer Ready, CA$345.00" in html


@pytest.mark.django_db
def test_anonymous_buy_is_a_link_to_log_in_and_come_back_to_the_package():
    package = PackageFactory(slug="casper-ready", name="CASPer Ready", price_cents=34500)
    html = render_to_string(
        "coaching/includes/buy_button.html", {"package": package, "user": AnonymousUser()}
    )
    assert "<form" not in html
    assert 'href="/accounts/login/?next=/packages/casper-ready/&amp;reason=buy"' in html
    assert "CASPer Ready, CA$345.00" in html


@pytest.mark.django_db
def test_the_buy_form_is_followed_by_the_terms_buying_agrees_to():
    package = PackageFactory()
    html = render_to_string(
        "coaching/includes/buy_button.html", {"package": package, "user": BuyerFactory()}
    )
    assert "By buying you agree to our Terms of service and Refund policy." in html
    # Anonymous visitors are not buying yet: they log in first and come back to this form.
    anonymous = render_to_string(
        "coaching/includes/buy_button.html", {"package": package, "user": AnonymousUser()}
    )
    assert "By buying you agree" not in anonymous
