"""The log-in and sign-up pages reached from Buy or Book say why and put sign-up first."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from tests.accounts.factories import USER_PASSWORD, UserFactory
from tests.accounts.test_signup import SIGNUP, confirmation_path

pytestmark = pytest.mark.django_db

PACKAGE_PATH = "/packages/casper-ready/"
BOOK_PATH = "/book/?service=casper-preparation"


def login_page(client, **params):
    response = client.get(reverse("account_login"), params)
    assert response.status_code == 200
    return response.content.decode()


def link_query(html: str, link_text: str) -> dict[str, list[str]]:
    """The query string of the page's (not the header's) link whose text is `link_text`."""
    main = html[html.index('<main id="main"') :]
    match = re.search(rf'<a [^>]*href="([^"]*)"[^>]*>{re.escape(link_text)}</a>', main)
    assert match, f"no link {link_text!r}"
    href = match.group(1).replace("&amp;", "&")
    return parse_qs(urlsplit(href).query)


def test_from_buy_the_login_page_says_why_and_offers_sign_up_first(client):
    html = login_page(client, next=PACKAGE_PATH, reason="buy")

    assert "<h1>Create a free account or log in to buy this package</h1>" in html
    assert "Welcome back" not in html
    sign_up = html.index("Create a free account</a>")
    assert sign_up < html.index('<form class="form card" method="post"')
    assert sign_up < html.index('name="password"')
    assert link_query(html, "Create a free account") == {
        "next": [PACKAGE_PATH],
        "reason": ["buy"],
    }
    assert '<input type="hidden" name="reason" value="buy">' in html


def test_from_book_the_login_page_says_the_choice_is_kept(client):
    html = login_page(client, next=BOOK_PATH, reason="book")

    assert "<h1>Create a free account or log in to book this time</h1>" in html
    assert "Your choice is kept" in html
    assert "Welcome back" not in html
    assert link_query(html, "Create a free account") == {"next": [BOOK_PATH], "reason": ["book"]}


def test_without_a_reason_the_login_page_is_the_normal_one(client):
    html = login_page(client, next=PACKAGE_PATH)

    assert "<h1>Log in</h1>" in html and "Welcome back" in html
    assert "Create a free account" not in html
    assert link_query(html, "Create an account") == {"next": [PACKAGE_PATH]}


@pytest.mark.parametrize("reason", ["sell", "BUY", "<script>alert(1)</script>", "buy\x7f"])
def test_an_unknown_reason_is_ignored_and_never_echoed(client, reason):
    html = login_page(client, next=PACKAGE_PATH, reason=reason)

    assert "<h1>Log in</h1>" in html
    assert 'name="reason"' not in html
    assert "alert(1)" not in html
    assert "reason=" not in html


def test_a_foreign_next_is_dropped_from_the_sign_up_link_and_refused_at_login(client):
    UserFactory(email="amal@example.com", verified=True)
    evil = "https://evil.example/steal"

    html = login_page(client, next=evil, reason="buy")
    assert link_query(html, "Create a free account") == {"reason": ["buy"]}

    response = client.post(
        reverse("account_login"),
        {"login": "amal@example.com", "password": USER_PASSWORD, "next": evil, "reason": "buy"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/dashboard/"


def test_logging_in_from_buy_goes_back_to_the_package(client):
    UserFactory(email="amal@example.com", verified=True)

    response = client.post(
        reverse("account_login"),
        {
            "login": "amal@example.com",
            "password": USER_PASSWORD,
            "next": PACKAGE_PATH,
            "reason": "buy",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == PACKAGE_PATH


def test_a_wrong_password_keeps_the_reason_on_the_page(client):
    UserFactory(email="amal@example.com", verified=True)

    response = client.post(
        reverse("account_login"),
        {"login": "amal@example.com", "password": "wrong", "next": PACKAGE_PATH, "reason": "buy"},
    )

    html = response.content.decode()
    assert "errorlist nonfield" in html
    assert "<h1>Create a free account or log in to buy this package</h1>" in html
    assert link_query(html, "Create a free account") == {"next": [PACKAGE_PATH], "reason": ["buy"]}


def test_the_sign_up_page_says_why_and_its_login_link_keeps_next_and_reason(client):
    response = client.get(reverse("account_signup"), {"next": BOOK_PATH, "reason": "book"})
    html = response.content.decode()

    assert "<h1>Create a free account to book this time</h1>" in html
    assert '<input type="hidden" name="reason" value="book">' in html
    assert link_query(html, "Log in") == {"next": [BOOK_PATH], "reason": ["book"]}

    plain = client.get(reverse("account_signup")).content.decode()
    assert "<h1>Create your account</h1>" in plain
    assert 'name="reason"' not in plain


def test_signing_up_from_buy_and_confirming_the_email_comes_back_to_the_package(client, mailoutbox):
    client.post(reverse("account_signup"), {**SIGNUP, "next": PACKAGE_PATH, "reason": "buy"})

    response = client.post(confirmation_path(mailoutbox[0]))

    assert response.status_code == 302
    assert response["Location"] == PACKAGE_PATH
