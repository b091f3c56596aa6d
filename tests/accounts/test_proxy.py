"""Behind a load balancer, allauth's per-address limits count each visitor, not the balancer.

TRUSTED_PROXY_COUNT (ALLAUTH_TRUSTED_PROXY_COUNT) says how many proxies of ours append to
X-Forwarded-For; the address they saw is then the visitor's.
"""

import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

BALANCER = "10.0.0.5"
# Two failed logins per address per minute, and no per-email limit, to keep the test short.
TWO_FAILURES_PER_ADDRESS = {"login_failed": "2/m/ip"}


def fail_login(client, visitor: str, email: str):
    return client.post(
        "/accounts/login/",
        {"login": email, "password": "wrong"},
        REMOTE_ADDR=BALANCER,
        # A visitor may send their own X-Forwarded-For; the balancer appends what it saw.
        HTTP_X_FORWARDED_FOR=f"203.0.113.99, {visitor}",
    )


def limited(response) -> bool:
    return "Too many failed login attempts" in response.content.decode()


@pytest.fixture
def emails(db):
    return [UserFactory(verified=True).email for _ in range(4)]


def test_visitors_behind_one_proxy_are_limited_separately_with_the_count_set(
    client, settings, emails
):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    settings.ACCOUNT_RATE_LIMITS = TWO_FAILURES_PER_ADDRESS

    first = [fail_login(client, "198.51.100.1", email) for email in emails[:3]]
    other = fail_login(client, "198.51.100.2", emails[3])

    assert [limited(response) for response in first] == [False, False, True]
    assert not limited(other)


def test_without_the_count_everybody_behind_the_proxy_shares_one_limit(client, settings, emails):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    settings.ACCOUNT_RATE_LIMITS = TWO_FAILURES_PER_ADDRESS

    first = [fail_login(client, "198.51.100.1", email) for email in emails[:2]]
    other = fail_login(client, "198.51.100.2", emails[2])

    assert [limited(response) for response in first] == [False, False]
    assert limited(other)


def test_an_address_the_visitor_wrote_into_x_forwarded_for_is_not_trusted(client, settings, emails):
    # The spoofed first entry changes on every request; the balancer's entry does not.
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    settings.ACCOUNT_RATE_LIMITS = TWO_FAILURES_PER_ADDRESS

    responses = [
        client.post(
            "/accounts/login/",
            {"login": email, "password": "wrong"},
            REMOTE_ADDR=BALANCER,
            HTTP_X_FORWARDED_FOR=f"192.0.2.{number}, 198.51.100.1",
        )
        for number, email in enumerate(emails[:3])
    ]

    assert [limited(response) for response in responses] == [False, False, True]
