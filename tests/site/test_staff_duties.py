"""Staff duties (`core/duties.py`): every page that shows applicants' work, bookings, webinars'
host pages or money × every kind of person.

One coach owns the items (claimed the attempt, reviews the review, hosts the webinar, runs the
session); another coach reviews the same service but owns none of them. Staff come as the
Django admin's flag alone (`staff`: no duty), an editor (content), coaching staff, finance and
a superuser. Each cell is the status that person gets; after every request nothing changed
unless the person was allowed to change it.
"""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone

from booking.models import BookingStatus
from core.duties import can_edit_content, can_handle_coaching, can_handle_money
from medpath.accounts.models import User
from payments.models import OrderStatus
from reviews.models import ReviewStatus
from tests.accounts.factories import BuyerFactory, UserFactory
from tests.booking.factories import BookingFactory, ServiceFactory
from tests.coaching.factories import CoachFactory
from tests.members.area import SchoolFactory
from tests.members.factories import EntitlementFactory
from tests.payments.factories import OrderFactory
from tests.practice.factories import claimed
from tests.reviews.factories import ReviewFactory, ReviewFileFactory
from tests.webinars.factories import WebinarFactory
from webinars.models import RegistrationStatus

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "applicant",
    "own_coach",
    "other_coach",
    "staff",
    "editor",
    "coaching_staff",
    "finance",
    "superuser",
]


@pytest.fixture
def world():
    attempt, coach = claimed()
    review = ReviewFactory(service=ServiceFactory(review=True), reviewer=coach, in_review=True)
    coach.services.add(review.service)
    file = ReviewFileFactory(review=review)
    other_coach = CoachFactory(services=[review.service, attempt.practice_set.service])
    webinar = WebinarFactory(host=coach)
    seat = webinar.registrations.create(
        member=EntitlementFactory().member, status=RegistrationStatus.REGISTERED
    )
    selection = ServiceFactory(slug="school-selection", name="School selection")
    booking = BookingFactory(service=selection, coach=coach)
    SchoolFactory()
    order = OrderFactory(paid=True)
    people = {
        "anonymous": None,
        "applicant": BuyerFactory(),
        "own_coach": coach.user,
        "other_coach": other_coach.user,
        "staff": UserFactory(staff=True),
        "editor": UserFactory(editor=True),
        "coaching_staff": UserFactory(coaching_staff=True),
        "finance": UserFactory(finance=True),
        "superuser": UserFactory(is_staff=True, is_superuser=True),
    }
    ids = {
        "attempt": attempt.public_id,
        "review": review.public_id,
        "file": file.public_id,
        "webinar": webinar.public_id,
        "booking": booking.public_id,
        "order": order.pk,
        "seat": seat.pk,
    }
    things = {
        "booking": booking,
        "seat": seat,
        "order": order,
        "review": review,
        "webinar": webinar,
    }
    return people, ids, things


COACHING = {"coaching_staff", "superuser"}
MONEY = {"finance", "superuser"}
OWN = {"own_coach"}

# (name, url, who gets the page, what everyone else logged in gets)
PAGES = [
    # Applicants' work: the item's own coach and coaching staff; for everyone else it does not
    # exist (404), so ids cannot be probed.
    ("practice answers", "/practice/coach/attempts/{attempt}/", OWN | COACHING, 404),
    ("review", "/reviews/{review}/", OWN | COACHING, 404),
    ("review file", "/reviews/{review}/files/{file}/", OWN | COACHING, 404),
    ("session shortlist", "/coach/sessions/{booking}/shortlist/", OWN | COACHING, 404),
    # Webinar host pages: its hosts and coaching staff.
    ("webinar host page", "/webinars/host/{webinar}/", OWN | COACHING, 403),
    ("hosted webinars", "/webinars/host/", OWN | {"other_coach"} | COACHING, 403),
    # The admin: each group its own part (Wagtail sends the rest back to the admin's home;
    # people without the admin at all go to their own start page).
    ("bookings list", "/admin/bookings/", COACHING, 302),
    ("booking manage page", "/admin/booking-staff/{booking}/", COACHING, 302),
    ("reviews list", "/admin/review_admin/", COACHING, 302),
    ("review turnaround", "/admin/reviews-turnaround/", COACHING, 302),
    ("webinars list", "/admin/webinars_admin/", COACHING, 302),
    ("webinar staff page", "/admin/webinar-staff/{webinar}/", COACHING, 302),
    ("webinar attendees", "/admin/webinar-staff/{webinar}/attendees.csv", COACHING, 302),
    ("orders list", "/admin/orders/", MONEY, 302),
    ("order page", "/admin/orders/inspect/{order}/", MONEY, 302),
    ("entitlements", "/admin/entitlement/", MONEY, 302),
    # Practice sets are content; coaching staff may read them (what an attempt answered).
    (
        "practice sets",
        "/admin/snippets/practice/practiceset/",
        {"editor", "coaching_staff", "superuser"},
        302,
    ),
    ("school guide", "/admin/snippets/members/school/", {"editor", "superuser"}, 302),
    # Whether background work runs: every duty.
    (
        "background jobs",
        "/admin/background-jobs/",
        {"editor", "coaching_staff", "finance", "superuser"},
        302,
    ),
]


def _as(client, user):
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "url", "allowed", "denied"), PAGES, ids=[p[0] for p in PAGES])
def test_each_page_answers_each_person_by_their_duty(
    client, world, role, name, url, allowed, denied
):
    people, ids, _ = world
    response = _as(client, people[role]).get(url.format(**ids))

    if role == "anonymous":
        assert response.status_code == 302
        assert "login" in response["Location"]
    elif role in allowed:
        assert response.status_code == 200
    else:
        assert response.status_code == denied


# --- what each duty may change ------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_attendance_is_marked_by_the_host_and_coaching_staff_only(
    client, world, role, time_machine
):
    people, ids, things = world
    time_machine.move_to(timezone.now() + timedelta(days=7, minutes=30), tick=False)
    response = _as(client, people[role]).post(
        f"/webinars/host/{ids['webinar']}/attendance/", {"attended": [str(ids["seat"])]}
    )
    things["seat"].refresh_from_db()
    if role in OWN | COACHING:
        assert response.status_code == 302
        assert things["seat"].attended
    else:
        assert response.status_code == (302 if role == "anonymous" else 403)
        assert not things["seat"].attended


@pytest.mark.parametrize("role", ROLES)
def test_only_coaching_staff_cancel_a_webinar(client, world, role):
    people, ids, things = world
    response = _as(client, people[role]).post(
        f"/admin/webinar-staff/{ids['webinar']}/", {"reason": "Host ill"}
    )
    things["webinar"].refresh_from_db()
    assert response.status_code == 302
    assert things["webinar"].is_cancelled == (role in COACHING)


@pytest.mark.parametrize("role", ROLES)
def test_only_coaching_staff_cancel_a_booking_in_the_admin(client, world, role):
    people, ids, things = world
    response = _as(client, people[role]).post(
        f"/admin/booking-staff/{ids['booking']}/", {"cancel": "1", "cancel-reason": "Coach ill"}
    )
    things["booking"].refresh_from_db()
    assert response.status_code == 302
    cancelled = things["booking"].status == BookingStatus.CANCELLED
    assert cancelled == (role in COACHING)


@pytest.mark.parametrize("role", ROLES)
def test_only_finance_is_offered_and_may_post_a_refund(client, world, role):
    people, ids, things = world
    order = things["order"]
    client = _as(client, people[role])
    page = client.get(f"/admin/orders/inspect/{order.pk}/")
    response = client.post(
        f"/admin/orders/inspect/{order.pk}/",
        {"step": "confirm", "amount": "10.00", "reason": "Goodwill", "token": "t1"},
    )
    order.refresh_from_db()
    assert order.refunded_cents == 0 and order.status == OrderStatus.PAID
    if role in MONEY:
        assert 'name="amount"' in page.content.decode()  # the refund form
        # The form answers (here: its errors); refunding itself is tests/payments/test_admin.py's.
        assert response.status_code in (200, 400)
    else:
        assert response.status_code in (302, 403)
        assert page.status_code == 302


@pytest.mark.parametrize("role", ROLES)
def test_only_coaching_staff_reassign_a_review(world, role):
    from reviews import services as review_services
    from reviews.errors import ReviewForbidden

    people, _, things = world
    review = things["review"]
    other = User.objects.get(pk=people["other_coach"].pk).coach
    if role in COACHING:
        review_services.review_reassign(review=review, to_coach=other, actor=people[role])
        review.refresh_from_db()
        assert review.reviewer == other
    else:
        with pytest.raises(ReviewForbidden):
            review_services.review_reassign(review=review, to_coach=other, actor=people[role])
        review.refresh_from_db()
        assert review.reviewer.user == people["own_coach"]
        assert review.status == ReviewStatus.IN_REVIEW


# --- the duty functions themselves ----------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "content", "coaching", "money"),
    [
        ("staff", False, False, False),
        ("editor", True, False, False),
        ("coaching_staff", False, True, False),
        ("finance", False, False, True),
        ("superuser", True, True, True),
        ("applicant", False, False, False),
        ("own_coach", False, False, False),
    ],
)
def test_each_duty_is_held_by_its_group_and_superusers(world, role, content, coaching, money):
    people, _, _ = world
    user = people[role]
    assert (can_edit_content(user), can_handle_coaching(user), can_handle_money(user)) == (
        content,
        coaching,
        money,
    )


def test_nobody_anonymous_or_inactive_holds_a_duty(world):
    people, _, _ = world
    boss = people["superuser"]
    boss.is_active = False
    for user in (None, boss):
        assert not (can_edit_content(user) or can_handle_coaching(user) or can_handle_money(user))


def test_a_duty_asks_the_database_once_per_user_object(world, django_assert_num_queries):
    people, _, _ = world
    user = User.objects.get(pk=people["coaching_staff"].pk)
    with django_assert_num_queries(1):
        for _ in range(3):
            assert can_handle_coaching(user) and not can_handle_money(user)


def test_the_groups_come_from_the_migrations_with_their_admin_rights():
    rights = {
        group.name: set(group.permissions.values_list("codename", flat=True))
        for group in Group.objects.filter(name__in=["Coaching staff", "Finance", "Editors"])
    }
    assert {"access_admin", "view_booking", "view_review", "change_webinar"} <= rights[
        "Coaching staff"
    ]
    assert {"access_admin", "view_order", "refund_order", "end_entitlement"} <= rights["Finance"]
    assert not rights["Coaching staff"] & {"view_order", "refund_order", "add_page"}
    assert not rights["Finance"] & {"view_review", "view_booking", "view_attempt"}
    assert not rights["Editors"] & {"view_review", "view_booking", "view_order", "view_attempt"}


def test_the_demo_has_one_account_per_duty():
    call_command("load_demo", force=True, quiet_logins=True)
    by_email = {user.email: user for user in User.objects.filter(email__endswith="@example.com")}

    assert can_edit_content(by_email["editor@example.com"])
    assert not can_handle_coaching(by_email["editor@example.com"])
    coaching = by_email["coaching.staff@example.com"]
    assert can_handle_coaching(coaching) and not can_handle_money(coaching)
    assert not coaching.is_superuser
    finance = by_email["finance@example.com"]
    assert can_handle_money(finance) and not can_handle_coaching(finance)
    assert not finance.is_superuser
