"""The demo has a review returned with a diff, one in review, one overdue, one unassigned;
loading it twice changes nothing."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from reviews.models import Review, ReviewFile, ReviewStatus

pytestmark = pytest.mark.django_db


def test_demo_reviews_load_once_in_each_state(client):
    call_command("load_demo", force=True, quiet_logins=True)
    first = (Review.objects.count(), ReviewFile.objects.count())
    call_command("load_demo", force=True, quiet_logins=True)
    assert (Review.objects.count(), ReviewFile.objects.count()) == first == (4, 2)

    now = timezone.now()
    statuses = sorted(Review.objects.values_list("status", flat=True))
    assert statuses == sorted(
        [
            ReviewStatus.RETURNED,
            ReviewStatus.IN_REVIEW,
            ReviewStatus.ASSIGNED,
            ReviewStatus.SUBMITTED,
        ]
    )
    assert Review.objects.overdue(now).filter(reviewer__isnull=False).count() >= 1
    returned = Review.objects.get(status=ReviewStatus.RETURNED)

    client.login(email="applicant@example.com", password="medpath-demo")
    html = client.get(returned.get_absolute_url()).content.decode()
    assert "<ins>" in html and "<del>" in html
    assert "ABS entries - comments.pdf" in html

    client.login(email="coach.london@example.com", password="medpath-demo")
    queue = client.get("/coach/reviews/")
    assert queue.status_code == 200
    assert "CaRMS personal letter and CV review" in queue.content.decode()
