"""The slot picker for visitors without an account: free times are public, nothing is held,
and the chosen time survives logging in or signing up (email verification included) in the
browser where it was chosen; elsewhere the picker says it was not kept.
"""

import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from booking.models import Booking
from booking.views import PENDING_CHOICE
from tests.accounts.factories import USER_PASSWORD, UserFactory
from tests.booking.factories import CreditFactory

pytestmark = pytest.mark.django_db

START = "2027-03-03T20:30:00+05:30"  # 10:00 in Toronto, a free time of `coach`
PICKER_BACK = "/book/?service=strategy&resume=1"
PASSWORD = "a-long-Unusual-passphrase-7"


def keep_choice(client, **fields):
    return client.post(
        reverse("booking:continue"), {"service": "strategy", "coach": "", "start": START, **fields}
    )


def pending_on_page(response) -> dict | None:
    match = re.search(
        r'<script id="pending-choice" type="application/json">(.*?)</script>',
        response.content.decode(),
    )
    return json.loads(match.group(1)) if match else None


# --- what a visitor may read --------------------------------------------------------------


def test_visitors_read_services_coaches_and_free_times(client, coach, now):
    assert client.get("/api/v1/services").status_code == 200
    assert [c["slug"] for c in client.get("/api/v1/coaches?service=strategy").json()] == ["priya"]
    response = client.get(
        "/api/v1/slots",
        {"service": "strategy", "start": "2027-03-03", "end": "2027-03-03", "tz": "Asia/Kolkata"},
    )
    assert response.status_code == 200
    assert START in [slot["start"] for day in response.json()["days"] for slot in day["slots"]]


def test_visitors_can_neither_book_nor_hold(coach, now):
    client = Client(enforce_csrf_checks=True)
    client.get("/book/")
    token = client.cookies["csrftoken"].value
    for path, body in [
        ("/api/v1/bookings", {"service": "strategy", "start": START}),
        ("/api/v1/checkout/session", {"service": "strategy", "coach": "", "start": START}),
    ]:
        response = client.post(path, body, content_type="application/json", HTTP_X_CSRFTOKEN=token)
        assert response.status_code == 401, path
    assert not Booking.objects.exists()


# --- keeping the choice while logging in ----------------------------------------------------


def test_the_confirm_step_sends_a_visitor_to_log_in_with_the_way_back(client, coach, now):
    response = keep_choice(client, coach="priya")
    assert response.status_code == 302
    login = urlsplit(response["Location"])
    assert login.path == reverse("account_login")
    query = parse_qs(login.query)
    assert query["reason"] == ["book"]
    assert query["next"] == ["/book/?service=strategy&coach=priya&resume=1"]
    # Kept in the session only; nothing held.
    assert client.session[PENDING_CHOICE] == {
        "service": "strategy",
        "coach": "priya",
        "start": "2027-03-03T20:30:00+05:30",
    }
    assert not Booking.objects.exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"start": "soon"}, "start"),
        ({"service": "nope"}, "cannot be booked"),
    ],
)
def test_a_choice_that_cannot_be_read_goes_back_to_the_picker_with_a_reason(
    client, coach, now, fields, message
):
    response = keep_choice(client, **fields)
    assert response.status_code == 302
    assert response["Location"] == reverse("booking:book")
    assert PENDING_CHOICE not in client.session
    assert message in client.get(response["Location"]).content.decode()


def test_after_logging_in_the_picker_offers_the_kept_time_once(client, coach, service, now):
    person = UserFactory(email="amal@example.com", verified=True)
    CreditFactory(applicant=person, service=service)
    keep_choice(client)
    response = client.post(
        reverse("account_login"),
        {"login": "amal@example.com", "password": USER_PASSWORD, "next": PICKER_BACK},
    )
    assert response.status_code == 302
    assert response["Location"] == PICKER_BACK

    page = client.get(PICKER_BACK)
    assert pending_on_page(page) == {"service": "strategy", "coach": "", "start": START}
    assert "Book with 1 credit" in page.content.decode()
    # Offered once: a second visit shows the times without it (and without a warning).
    again = client.get(PICKER_BACK)
    assert pending_on_page(again) is None
    assert PENDING_CHOICE not in client.session


def signup(client, *, email: str, next_url: str):
    # One address per test: allauth limits confirmation mails per address (its cache outlives
    # a test, and the clock is frozen).
    return client.post(
        reverse("account_signup"),
        {
            "email": email,
            "display_name": "Nadia",
            "time_zone": "Asia/Kolkata",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "next": next_url,
        },
    )


def confirmation_link(message) -> str:
    match = re.search(r"http://testserver(/accounts/confirm-email/\S+)", message.body)
    assert match, message.body
    return match.group(1)


def test_the_kept_time_survives_signing_up_and_confirming_the_email(client, coach, now, mailoutbox):
    keep_choice(client)
    signup(client, email="nadia@example.com", next_url=PICKER_BACK)
    link = confirmation_link(mailoutbox[-1])
    assert "next=" in link  # the way back travels with the link

    confirm_page = client.get(link)
    response = client.post(link, {"next": confirm_page.context["redirect_field_value"]})
    assert response.status_code == 302
    assert response["Location"] == PICKER_BACK
    page = client.get(PICKER_BACK)
    assert page.context["user"].email == "nadia@example.com"
    assert pending_on_page(page)["start"] == START
    assert "was not kept" not in page.content.decode()


def test_a_confirmation_link_opened_on_another_device_says_the_time_was_not_kept(
    client, coach, now, mailoutbox
):
    keep_choice(client)
    signup(client, email="omar@example.com", next_url=PICKER_BACK)
    link = confirmation_link(mailoutbox[-1])

    other_device = Client()
    confirm_page = other_device.get(link)
    response = other_device.post(link, {"next": confirm_page.context["redirect_field_value"]})
    assert response["Location"] == PICKER_BACK  # back to the picker, though not logged in

    page = other_device.get(PICKER_BACK)
    assert page.status_code == 200
    assert pending_on_page(page) is None
    assert "The time you chose was not kept" in page.content.decode()


def test_the_picker_opens_on_the_chosen_session_with_the_times_first(client, coach, service, now):
    person = UserFactory()
    CreditFactory(applicant=person, service=service)
    client.force_login(person)
    html = client.get("/book/?service=strategy").content.decode()
    # The session folds into one line (with its radio checked), the long intro is gone.
    assert 'class="picker-fold"' in html
    assert 'value="strategy" checked' in html
    assert "Choose a session, then a time" not in html
    assert html.index('id="step-service"') < html.index('id="step-time"')


def test_the_pay_step_names_what_paying_agrees_to(client, coach, service, now):
    """The picker's Pay button (a single session without a credit) carries the same terms line
    as every other Pay and Buy button."""
    client.force_login(UserFactory())
    html = client.get("/book/?service=strategy").content.decode()
    note = html[html.index("<div data-pay-note hidden>") :]
    note = note[: note.index("</div>")]
    assert "By paying you agree to our" in note
    assert "Refund policy" in note
