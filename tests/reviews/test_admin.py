"""Staff in the Wagtail admin: the review list with overdue ones filtered, a review's page,
reassigning, the turnaround report; editors see none of it."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.utils import timezone

from reviews import selectors
from reviews.models import ReviewStatus
from tests.accounts.factories import UserFactory
from tests.coaching.factories import CoachFactory
from tests.reviews.factories import ReviewFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def editor_client(client):
    editor = UserFactory(is_staff=True)
    editor.groups.add(*Group.objects.filter(name__in=["Editors", "Moderators"]))
    client.force_login(editor)
    return client


def test_staff_filter_overdue_reviews(staff_client, review_service):
    late = ReviewFactory(
        service=review_service, assigned=True, due_at=timezone.now() - timedelta(hours=3)
    )
    on_time = ReviewFactory(service=review_service, assigned=True)
    html = staff_client.get("/admin/review_admin/?overdue=true").content.decode()
    assert late.reference in html and on_time.reference not in html


def test_staff_reassign_from_the_review_page(staff_client, review_service):
    review = ReviewFactory(service=review_service, in_review=True)
    other = CoachFactory(services=[review_service], display_name="Dr. Other")
    url = f"/admin/review_admin/inspect/{review.pk}/"
    page = staff_client.get(url)
    assert page.status_code == 200 and "Reassign" in page.content.decode()
    response = staff_client.post(url, {"coach": other.pk, "reason": "Away this week"})
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.reviewer == other and review.status == ReviewStatus.IN_REVIEW
    # a coach who does not review the service is not offered (form error, nothing changes)
    outsider = CoachFactory()
    response = staff_client.post(url, {"coach": outsider.pk})
    assert response.status_code == 400
    review.refresh_from_db()
    assert review.reviewer == other


def test_editors_cannot_see_reviews(editor_client, review_service):
    review = ReviewFactory(service=review_service)
    assert editor_client.get("/admin/review_admin/").status_code in (302, 403)
    assert editor_client.get(f"/admin/review_admin/inspect/{review.pk}/").status_code in (302, 403)
    assert editor_client.get("/admin/reviews-turnaround/").status_code in (302, 403)


def test_turnaround_report_counts_on_time_and_median_working_days(staff_client, review_service):
    coach = CoachFactory(services=[review_service], display_name="Dr. Priya Raman")
    # sent Monday 2 March 2026 10:00 Toronto, due Friday 17:00
    sent = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
    due = datetime(2026, 3, 6, 22, 0, tzinfo=UTC)
    for returned in (
        datetime(2026, 3, 3, 15, 0, tzinfo=UTC),  # day 2, on time
        datetime(2026, 3, 6, 21, 0, tzinfo=UTC),  # day 5, on time
        datetime(2026, 3, 9, 15, 0, tzinfo=UTC),  # day 6, late
    ):
        review = ReviewFactory(
            service=review_service,
            reviewer=coach,
            returned=True,
            submitted_at=sent,
            due_at=due,
            returned_at=returned,
        )
        review.rounds.update(returned_at=returned, returned_by=coach)
    [row] = selectors.turnaround_report()
    assert (row.returned, row.on_time, row.on_time_percent, row.median_working_days) == (
        3,
        2,
        67,
        5,
    )

    with time_machine.travel(datetime(2026, 3, 20, tzinfo=UTC)):
        html = staff_client.get("/admin/reviews-turnaround/").content.decode()
    assert "Dr. Priya Raman" in html and "67%" in html
