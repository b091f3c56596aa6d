"""The Buy include's interim behaviour: a link to the package page's buy panel.

Payments replaces the include with a checkout form; this file is the one to update then.
"""

import pytest
from django.template.loader import render_to_string

from tests.factories import PackageFactory


@pytest.mark.django_db
def test_buy_button_links_to_the_package_pages_buy_panel():
    package = PackageFactory(slug="casper-ready", name="CASPer Ready")
    html = render_to_string("coaching/includes/buy_button.html", {"package": package})
    assert 'href="/packages/casper-ready/#buy"' in html
    assert "CASPer Ready" in html
