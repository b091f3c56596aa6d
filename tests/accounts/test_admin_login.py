"""Both admins log in through allauth: its rate limits and the verified-email rule apply."""

import pytest
from django.urls import reverse

from tests.factories import USER_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def allauth_login(client, email, password=USER_PASSWORD, next_url="/admin/"):
    return client.post(
        f"{reverse('account_login')}?next={next_url}", {"login": email, "password": password}
    )


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_wagtail_admin_login_hands_over_to_allauth_with_next(client):
    response = client.get("/admin/login/?next=/admin/pages/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/admin/pages/"


def test_the_admin_sends_anonymous_visitors_to_allauth(client):
    response = client.get("/admin/", follow=True)

    assert response.redirect_chain[-1][0] == "/accounts/login/?next=/admin/"


def test_wagtail_login_form_posts_log_nobody_in(client):
    # What Wagtail's own form would have accepted, for a superuser with no verified address.
    UserFactory(email="boss@example.com", is_staff=True, is_superuser=True)

    response = client.post(
        "/admin/login/", {"username": "boss@example.com", "password": USER_PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not logged_in(client)


def test_django_admin_login_form_posts_log_nobody_in(client):
    UserFactory(email="boss@example.com", is_staff=True, is_superuser=True)

    response = client.post(
        "/django-admin/login/?next=/django-admin/",
        {"username": "boss@example.com", "password": USER_PASSWORD},
    )

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fdjango-admin%2F"
    assert not logged_in(client)


@pytest.mark.parametrize("admin_url", ["/admin/", "/django-admin/"])
def test_an_unverified_superuser_gets_into_neither_admin(client, mailoutbox, admin_url):
    UserFactory(email="boss@example.com", is_staff=True, is_superuser=True)

    response = allauth_login(client, "boss@example.com", next_url=admin_url)

    assert response["Location"] == reverse("account_email_verification_sent")
    assert not logged_in(client)
    assert client.get(admin_url).status_code == 302


@pytest.mark.parametrize("admin_url", ["/admin/", "/django-admin/"])
def test_a_verified_superuser_logs_in_through_allauth_and_lands_in_the_admin(client, admin_url):
    UserFactory(email="boss@example.com", is_staff=True, is_superuser=True, verified=True)

    response = allauth_login(client, "boss@example.com", next_url=admin_url)

    assert response["Location"] == admin_url
    assert client.get(admin_url).status_code == 200


def test_a_logged_in_admin_visiting_the_admin_login_goes_to_next(client):
    boss = UserFactory(email="boss@example.com", is_superuser=True, verified=True)
    client.force_login(boss)

    response = client.get("/admin/login/?next=/admin/pages/")

    assert response["Location"] == "/admin/pages/"


def test_an_applicant_logging_in_for_the_admin_gets_no_admin(client):
    UserFactory(email="amal@example.com", verified=True)

    response = allauth_login(client, "amal@example.com", next_url="/admin/")
    assert response["Location"] == "/admin/"
    admin = client.get("/admin/", follow=True)

    assert logged_in(client)
    assert admin.redirect_chain[-1][0] == "/dashboard/"
    assert "You do not have permission to access the admin." in admin.content.decode()


def test_an_applicant_gets_no_django_admin(client):
    UserFactory(email="amal@example.com", verified=True)
    allauth_login(client, "amal@example.com", next_url="/django-admin/")

    response = client.get("/django-admin/", follow=True)

    assert response.status_code == 403


def test_failed_logins_lock_the_account_for_the_admin_too(client):
    # allauth's "login_failed" limit: 5 wrong passwords for one address in 5 minutes.
    UserFactory(email="boss@example.com", is_superuser=True, verified=True)
    for _ in range(5):
        assert allauth_login(client, "boss@example.com", "wrong").status_code == 200

    response = allauth_login(client, "boss@example.com")

    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()
    assert not logged_in(client)
    assert client.get("/admin/").status_code == 302


def test_wagtail_password_reset_is_off_allauths_is_used(client):
    assert client.get("/admin/password_reset/").status_code == 404
    assert client.get(reverse("account_reset_password")).status_code == 200
