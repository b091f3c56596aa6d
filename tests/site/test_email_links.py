"""Every link in every email uses the site's real address (SITE_URL), whatever host the request
that caused it came in on (the test client's is `testserver`)."""

import re
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from booking import services
from core.calendars import parse
from tests.accounts.factories import UserFactory
from tests.booking.factories import CreditFactory, utc
from tests.coaching.factories import CoachFactory, ServiceFactory

pytestmark = pytest.mark.django_db

SITE = "https://medpath.example"
URL = re.compile(r"""https?://[^\s"'<>]+""")
HREF = re.compile(r'href="([^"]*)"')
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE


def links(message) -> list[str]:
    """The links in both bodies: every href, and every URL written out in the text."""
    html = message.alternatives[0][0] if getattr(message, "alternatives", None) else ""
    return HREF.findall(html) + URL.findall(message.body)


def assert_links_on_site(message, *, elsewhere: tuple[str, ...] = ()) -> None:
    found = links(message)
    assert found, f"no links in {message.subject!r}"
    for link in found:
        if link.startswith("mailto:"):  # an address to write to, not a page of a site
            continue
        assert link.startswith(f"{SITE}/") or link in elsewhere, (message.subject, link)


# --- allauth's emails ---------------------------------------------------------------------


def test_signup_confirmation_links_to_site_url(client, mailoutbox):
    client.post(
        reverse("account_signup"),
        {
            "email": "amal@example.com",
            "display_name": "Amal",
            "time_zone": "Asia/Kolkata",
            "password1": "a-long-Unusual-passphrase-7",
            "password2": "a-long-Unusual-passphrase-7",
        },
    )
    (message,) = mailoutbox
    assert f"{SITE}/accounts/confirm-email/" in message.body
    assert "testserver" not in message.body
    assert_links_on_site(message)


@pytest.mark.parametrize("known", [True, False], ids=["account", "no-account"])
def test_password_reset_emails_link_to_site_url(client, mailoutbox, known):
    if known:
        UserFactory(email="amal@example.com", verified=True)
    client.post(reverse("account_reset_password"), {"email": "amal@example.com"})
    (message,) = mailoutbox
    expected = "/accounts/password/reset/key/" if known else "/accounts/signup/"
    assert f"{SITE}{expected}" in message.body
    assert "testserver" not in message.body
    assert_links_on_site(message)


def test_account_already_exists_email_links_to_site_url(client, mailoutbox):
    # Another address than the tests above: allauth limits how often one address is emailed.
    UserFactory(email="noor@example.com", verified=True)
    client.post(
        reverse("account_signup"),
        {
            "email": "noor@example.com",
            "display_name": "Amal",
            "time_zone": "Asia/Kolkata",
            "password1": "a-long-Unusual-passphrase-7",
            "password2": "a-long-Unusual-passphrase-7",
        },
    )
    (message,) = mailoutbox
    assert f"{SITE}/accounts/password/reset/" in message.body
    assert_links_on_site(message)


# --- MedPath's own emails -----------------------------------------------------------------


def test_booking_emails_and_their_invites_link_to_site_url(
    mailoutbox, django_capture_on_commit_callbacks, time_machine
):
    from tests.booking.factories import EVERY_DAY_9_TO_5

    time_machine.move_to(utc(2027, 3, 1, 12, 0), tick=False)
    service = ServiceFactory(duration_minutes=60)
    coach = CoachFactory(services=[service], hours=EVERY_DAY_9_TO_5, meeting_url="")
    applicant = UserFactory(time_zone="Asia/Kolkata")
    CreditFactory(applicant=applicant, service=service)
    start = utc(2027, 3, 3, 15, 0)
    with django_capture_on_commit_callbacks(execute=True):
        booking = services.booking_book_with_credit(
            applicant=applicant, service=service, start=start, coach=coach
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_reschedule(
            booking=booking, actor=applicant, new_start=start + timedelta(days=1)
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.bookings_send_reminders(now=start + timedelta(days=1, minutes=-50))
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_cancel(booking=booking, actor=applicant, reason="", by_staff=False)
    kinds = {m.subject.split(":")[0] for m in mailoutbox}
    assert kinds == {"Confirmed", "New time", "Reminder", "Cancelled"}
    booking.refresh_from_db()
    for message in mailoutbox:
        assert_links_on_site(message, elsewhere=(booking.meeting_url,))
        (event,) = parse(message.attachments[0][1]).walk("VEVENT")
        manage = str(event["description"]).split("Manage: ")[1]
        assert manage == f"{SITE}/book/bookings/{booking.public_id}/"


def test_payment_receipt_links_to_site_url(mailoutbox, django_capture_on_commit_callbacks):
    from payments.emails import queue_receipt
    from tests.payments.factories import OrderFactory

    order = OrderFactory(paid=True)
    with django_capture_on_commit_callbacks(execute=True):
        queue_receipt(order)
    (message,) = mailoutbox
    assert f"{SITE}{order.get_absolute_url()}" in message.body
    assert_links_on_site(message)


# Template variables that already hold a whole address (allauth's, the session's video room,
# the button include's `href` built as site_url|add:path).
ABSOLUTE = {"site_url", "href", "meeting_url", "activate_url", "password_reset_url", "signup_url"}


def test_no_email_template_writes_a_link_without_site_url():
    """Paths (`{% url %}`, `get_absolute_url`, `…_url`, `…_path`) in email templates always
    follow `{{ site_url }}`; hrefs are whole addresses (a `mailto:` is one)."""
    templates = [
        *sorted((ROOT / "templates" / "emails").rglob("*.*")),
        *sorted((ROOT / "templates" / "account" / "email").glob("*.txt")),
    ]
    assert len(templates) > 30
    problems = []
    for path in templates:
        text = path.read_text()
        for match in re.finditer(r"\{% url [^%]*%\}", text):
            stored = re.search(r" as \w+ %\}$", match.group(0))
            if not stored and not text[: match.start()].endswith("{{ site_url }}"):
                problems.append(f"{path.name}: {match.group(0)}")
        for match in re.finditer(r"\{\{ ?([\w.]+?(_url|_path|get_absolute_url)) ?\}\}", text):
            name = match.group(1).split(".")[-1]
            if name not in ABSOLUTE and not text[: match.start()].endswith("{{ site_url }}"):
                problems.append(f"{path.name}: {match.group(0)}")
        for match in HREF.finditer(text):
            if not match.group(1).startswith(
                ("{{ site_url", "{{ href", "{{ meeting_url", "mailto:")
            ):
                problems.append(f"{path.name}: {match.group(0)}")
    assert problems == []


# --- `make run` -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("environment", "expected"),
    [({"PORT": "8123"}, "http://127.0.0.1:8123"), ({"PORT": "8123", "SITE_URL": SITE}, SITE)],
    ids=["from-port", "kept"],
)
def test_bin_dev_sets_site_url_from_its_port_unless_set(tmp_path, environment, expected):
    """bin/dev run with a stand-in `python` that records the SITE_URL it is given."""
    seen = tmp_path / "site_url"
    fake = tmp_path / "python"
    fake.write_text(f'#!/bin/sh\necho "$SITE_URL" >> {seen}\n')
    fake.chmod(0o755)
    env = {"PATH": f"{tmp_path}:/usr/bin:/bin", **environment}
    subprocess.run(
        [str(ROOT / "bin" / "dev")], env=env, cwd=ROOT, check=True, capture_output=True, timeout=60
    )
    assert set(seen.read_text().split()) == {expected}
    assert settings.SITE_URL == SITE  # the test's own settings are untouched
