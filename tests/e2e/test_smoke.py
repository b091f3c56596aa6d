import pytest

from tests.e2e.conftest import serious_accessibility_violations

pytestmark = pytest.mark.django_db(transaction=True)


def test_unknown_address_shows_the_site_404_page(page):
    response = page.goto("/no-such-page/")
    assert response.status == 404
    assert "We couldn’t find that page" in page.content()
    assert serious_accessibility_violations(page) == []
