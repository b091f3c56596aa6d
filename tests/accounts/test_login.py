import re

import pytest
from allauth.account import app_settings as allauth_settings
from django.urls import reverse

from tests.accounts.factories import USER_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def log_in(client, login, password=USER_PASSWORD):
    return client.post(reverse("account_login"), {"login": login, "password": password})


def test_verified_user_logs_in_and_lands_on_the_dashboard(client):
    UserFactory(email="amal@example.com", verified=True)

    response = log_in(client, "amal@example.com")

    assert response.status_code == 302
    assert response["Location"] == "/dashboard/"


def test_login_matches_the_email_address_in_any_case(client):
    user = UserFactory(email="amal@example.com", verified=True)

    response = log_in(client, "  AMAL@Example.COM ")

    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk


def test_unverified_user_is_sent_to_verification_instead_of_being_logged_in(client, mailoutbox):
    UserFactory(email="new@example.com")  # no verified EmailAddress

    response = log_in(client, "new@example.com")

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session
    assert [message.to for message in mailoutbox] == [["new@example.com"]]


def test_wrong_password_gets_a_form_error_not_a_login(client):
    UserFactory(email="amal@example.com", verified=True)

    response = log_in(client, "amal@example.com", "not-the-password")

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert b'class="errorlist nonfield"' in response.content
    assert "_auth_user_id" not in client.session


def test_rate_limits_are_on():
    # ACCOUNT_RATE_LIMITS = False would turn every one of these off.
    limits = allauth_settings.RATE_LIMITS
    assert limits["login_failed"]
    assert limits["signup"]
    assert limits["reset_password"]
    assert limits["confirm_email"]


def test_repeated_failed_logins_lock_the_address_even_for_the_right_password(client):
    UserFactory(email="amal@example.com", verified=True)
    for _ in range(5):
        assert log_in(client, "amal@example.com", "guess").status_code == 200

    response = log_in(client, "amal@example.com")

    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_password_reset_email_lets_the_user_choose_a_new_password_and_log_in(client, mailoutbox):
    UserFactory(email="amal@example.com", verified=True)

    response = client.post(reverse("account_reset_password"), {"email": "Amal@example.com"})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_done")
    assert len(mailoutbox) == 1
    assert mailoutbox[0].subject == "[MedPath] Reset your password"
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+/)", mailoutbox[0].body)
    assert link, mailoutbox[0].body

    # allauth swaps the key in the URL for one kept in the session, then shows the form.
    form_page = client.get(link.group(1), follow=True)
    assert form_page.status_code == 200
    assert b"Choose a new password" in form_page.content
    set_password_path = form_page.redirect_chain[-1][0]

    done = client.post(
        set_password_path,
        {"password1": "brand-New-passphrase-42", "password2": "brand-New-passphrase-42"},
    )
    assert done.status_code == 302
    assert done["Location"] == reverse("account_reset_password_from_key_done")

    client.logout()
    assert log_in(client, "amal@example.com").status_code == 200  # old password no longer works
    assert log_in(client, "amal@example.com", "brand-New-passphrase-42").status_code == 302


def test_a_used_or_forged_reset_link_says_so(client):
    user = UserFactory(email="amal@example.com", verified=True)

    response = client.get(f"/accounts/password/reset/key/{user.pk:x}-not-a-token/", follow=True)

    assert response.status_code == 200
    assert b"This reset link is not valid" in response.content


def test_password_reset_for_an_unknown_address_does_not_reveal_that_it_is_unknown(client):
    response = client.post(reverse("account_reset_password"), {"email": "nobody@example.com"})

    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_done")


def test_logout_is_a_post_and_ends_the_session(client):
    user = UserFactory(verified=True)
    client.force_login(user)

    confirm = client.get(reverse("account_logout"))
    assert confirm.status_code == 200
    assert "_auth_user_id" in client.session

    response = client.post(reverse("account_logout"))

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
