"""Journey 3: one session bought on its own; a second buyer who abandons checkout frees the slot."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import go_to_first_free_week, log_in

pytestmark = pytest.mark.django_db(transaction=True)

SERVICE_LABEL = re.compile("Mock interview: panel and MPI")
SECOND_BUYER_PASSWORD = "Second-buyer-2027"


@pytest.fixture
def second_buyer(demo):
    from allauth.account.models import EmailAddress

    from medpath.accounts.models import User

    user = User.objects.create_user(
        email="li.wei@example.org",
        password=SECOND_BUYER_PASSWORD,
        display_name="Li Wei",
        time_zone="Asia/Kolkata",
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def open_paid_service(page):
    page.goto("/book/")
    page.get_by_label(SERVICE_LABEL).check()
    go_to_first_free_week(page)
    expect(page.get_by_role("button", name=re.compile(r"^Pay CA\$.* and book$"))).to_be_hidden()


def first_slot_text(page) -> str:
    return page.locator(".slot").first.inner_text()


def test_single_session_is_paid_then_confirmed(page, second_buyer):
    """A buyer with no credit for the service (the demo applicant holds credits for all)."""
    from booking.models import Booking

    log_in(page, second_buyer.email, SECOND_BUYER_PASSWORD)
    open_paid_service(page)
    page.locator(".slot").first.click()
    page.get_by_role("button", name=re.compile(r"^Pay CA\$.* and book$")).click()

    expect(page).to_have_url(re.compile("/checkout/offline/"))
    held = Booking.objects.get(applicant=second_buyer, service__slug__contains="panel")
    assert held.status == "held"
    page.get_by_role("button", name=re.compile(r"Pay .* \(test\)")).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you, your order is confirmed")
    held.refresh_from_db()
    assert held.status == "confirmed"
    page.get_by_role("link", name="Go to your dashboard").click()
    upcoming = page.locator("section", has=page.get_by_role("heading", name="Upcoming sessions"))
    expect(upcoming).to_contain_text("Mock interview: panel and MPI")


def test_abandoned_checkout_frees_the_slot_again(page, second_buyer):
    from booking.models import Booking

    log_in(page, second_buyer.email, SECOND_BUYER_PASSWORD)
    open_paid_service(page)
    wanted = first_slot_text(page)
    page.locator(".slot").first.click()
    page.get_by_role("button", name=re.compile(r"^Pay CA\$.* and book$")).click()
    expect(page).to_have_url(re.compile("/checkout/offline/"))
    hold = Booking.objects.get(applicant=second_buyer)
    assert hold.status == "held"

    # While it is held nobody else is offered that time.
    page.goto("/book/")
    page.get_by_label(SERVICE_LABEL).check()
    go_to_first_free_week(page)
    assert first_slot_text(page) != wanted
    page.go_back()

    page.get_by_role("button", name="Cancel and go back").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Checkout cancelled")
    expect(page.locator("main")).to_contain_text("The time we held for you is free again")
    hold.refresh_from_db()
    assert hold.status in {"cancelled", "expired"}

    page.get_by_role("link", name="Choose another time").click()
    page.get_by_label(SERVICE_LABEL).check()
    go_to_first_free_week(page)
    assert first_slot_text(page) == wanted
