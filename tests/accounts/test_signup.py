import re

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from medpath.accounts.models import User
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

SIGNUP = {
    "email": "amal@example.com",
    "display_name": "Amal Haddad",
    "time_zone": "Asia/Kolkata",
    "password1": "a-long-Unusual-passphrase-7",
    "password2": "a-long-Unusual-passphrase-7",
}


def confirmation_path(message) -> str:
    match = re.search(r"http://testserver(/accounts/confirm-email/[^/\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_signup_saves_name_and_zone_and_emails_a_confirmation_link(client, mailoutbox):
    response = client.post(reverse("account_signup"), SIGNUP)

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get(email="amal@example.com")
    assert (user.display_name, user.time_zone) == ("Amal Haddad", "Asia/Kolkata")
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["amal@example.com"]
    assert mailoutbox[0].subject == "[MedPath] Confirm your email address"
    assert "/accounts/confirm-email/" in mailoutbox[0].body
    assert "_auth_user_id" not in client.session


def test_following_the_confirmation_link_verifies_the_address_and_logs_in(client, mailoutbox):
    client.post(reverse("account_signup"), SIGNUP)
    path = confirmation_path(mailoutbox[0])

    page = client.get(path)
    assert page.status_code == 200
    assert b"amal@example.com" in page.content
    # A GET must not confirm (mail scanners follow links): the POST does.
    assert not EmailAddress.objects.get(email="amal@example.com").verified

    response = client.post(path)

    assert response.status_code == 302
    assert response["Location"] == "/dashboard/"
    assert EmailAddress.objects.get(email="amal@example.com").verified
    assert client.get("/dashboard/").status_code == 200


def test_confirmed_account_can_log_in_from_another_browser(client, mailoutbox):
    client.post(reverse("account_signup"), SIGNUP)
    client.post(confirmation_path(mailoutbox[0]))
    client.logout()

    response = client.post(
        reverse("account_login"),
        {"login": "amal@example.com", "password": SIGNUP["password1"]},
    )

    assert response.status_code == 302
    assert response["Location"] == "/dashboard/"


def test_an_invalid_confirmation_link_explains_what_to_do(client):
    response = client.get("/accounts/confirm-email/not-a-real-key/")

    assert response.status_code == 200
    assert b"expired or is not valid" in response.content


def test_signup_rejects_an_unknown_time_zone_with_a_clear_error(client, mailoutbox):
    response = client.post(reverse("account_signup"), {**SIGNUP, "time_zone": "Mars/Olympus"})

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["time_zone"] == [
        "“Mars/Olympus” is not a time zone we know. Pick a zone such as America/Toronto."
    ]
    assert "is not a time zone we know" in response.content.decode()
    assert not User.objects.exists()
    assert mailoutbox == []


@pytest.mark.parametrize("spelling", ["amal@example.com", "AMAL@Example.COM"])
def test_signup_with_an_address_already_in_use_creates_no_second_account(
    client, mailoutbox, spelling
):
    owner = UserFactory(email="amal@example.com", verified=True)

    response = client.post(reverse("account_signup"), {**SIGNUP, "email": spelling})

    # allauth prevents account enumeration: the page looks like a normal signup, and the
    # owner is told by email that someone tried to sign up with their address.
    assert response.status_code == 302
    assert User.objects.get() == owner
    assert EmailAddress.objects.filter(email__iexact="amal@example.com").count() == 1
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["amal@example.com"]
    assert mailoutbox[0].subject == "[MedPath] You already have a MedPath account"
    assert "/accounts/password/reset/" in mailoutbox[0].body


def test_signup_page_offers_the_browser_zone_through_the_time_zone_script(client):
    response = client.get(reverse("account_signup"))
    html = response.content.decode()

    assert '<select name="time_zone"' in html
    assert "data-timezone-suggest" in html
    assert 'src="/static/medpath/js/timezone-suggest.js"' in html
    assert '<option value="America/Toronto" selected>' in html
    assert '<option value="Asia/Kathmandu">' in html
