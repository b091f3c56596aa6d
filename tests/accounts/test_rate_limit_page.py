"""allauth's rate limit answers in the site's layout, saying what happened and what to do."""

import pytest
from django.core.cache import cache


@pytest.mark.django_db
def test_too_many_log_in_attempts_get_a_429_page_that_says_to_wait(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {"login": "1/m/ip"}
    cache.clear()
    form = {"login": "nobody@example.com", "password": "wrong-password"}
    client.post("/accounts/login/", form)
    response = client.post("/accounts/login/", form)
    assert response.status_code == 429
    html = response.content.decode()
    assert "Too many attempts in a short time" in html
    assert "wait a few minutes" in html
    assert 'class="site-footer' in html  # the site's own layout, not a bare page
