"""The one Buy include posts to the package's checkout; the package and price are announced."""

import pytest
from django.template.loader import render_to_string

from tests.coaching.factories import PackageFactory


@pytest.mark.django_db
def test_buy_button_posts_to_the_packages_checkout():
    package = PackageFactory(slug="casper-ready", name="CASPer Ready", price_cents=34500)
    html = render_to_string("coaching/includes/buy_button.html", {"package": package})
    assert 'method="post"' in html
    assert 'action="/checkout/package/casper-ready/"' in html
    assert "CASPer Ready, CA$345.00" in html
