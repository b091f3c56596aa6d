import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from tests.accounts.factories import USER_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_adding_an_email_address_sends_a_confirmation_and_lists_it_unconfirmed(client, mailoutbox):
    user = UserFactory(email="amal@example.com", verified=True)
    client.force_login(user)

    response = client.post(
        reverse("account_email"), {"action_add": "", "email": "amal.work@example.com"}
    )

    assert response.status_code == 302
    assert EmailAddress.objects.get(email="amal.work@example.com", user=user).verified is False
    assert [message.to for message in mailoutbox] == [["amal.work@example.com"]]
    html = client.get(reverse("account_email")).content.decode()
    assert "amal.work@example.com" in html
    assert '<span class="badge badge--warning">Not confirmed</span>' in html
    assert '<span class="badge">Primary</span>' in html


def test_the_primary_address_cannot_be_removed(client):
    user = UserFactory(email="amal@example.com", verified=True)
    client.force_login(user)

    response = client.post(
        reverse("account_email"), {"action_remove": "", "email": "amal@example.com"}, follow=True
    )

    assert EmailAddress.objects.filter(email="amal@example.com").exists()
    assert "is your primary address, so it can’t be removed" in response.content.decode()


def test_changing_the_password_needs_the_current_one(client):
    user = UserFactory(verified=True)
    client.force_login(user)
    new = {"password1": "another-Long-passphrase-9", "password2": "another-Long-passphrase-9"}

    wrong = client.post(reverse("account_change_password"), {"oldpassword": "nope", **new})
    assert wrong.status_code == 200
    assert wrong.context["form"].errors["oldpassword"]

    right = client.post(reverse("account_change_password"), {"oldpassword": USER_PASSWORD, **new})
    assert right.status_code == 302
    user.refresh_from_db()
    assert user.check_password("another-Long-passphrase-9")
