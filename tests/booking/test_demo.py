from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from booking.models import Booking, BookingStatus, Credit, DateOverride, TimeOff, WeeklyHours
from booking.slots import find_slots
from coaching.models import Coach, Service


def _counts():
    return tuple(
        model.objects.count() for model in (WeeklyHours, DateOverride, TimeOff, Credit, Booking)
    ) + (tuple(Credit.objects.order_by("pk").values_list("remaining", flat=True)),)


@pytest.mark.django_db
def test_demo_schedule_loads_twice_without_changing_anything(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", force=True, quiet_logins=True)
    first = _counts()
    call_command("load_demo", force=True, quiet_logins=True)
    assert _counts() == first
    for coach in Coach.objects.all():
        assert coach.weekly_hours.exists()
        assert coach.date_overrides.filter(date__gte=timezone.now().date()).count() == 1
        assert coach.time_off.filter(end__gte=timezone.now()).count() == 1
    booking = Booking.objects.get()
    assert booking.status == BookingStatus.CONFIRMED
    assert booking.applicant.email == "applicant@example.com"
    assert booking.start > timezone.now()
    # The demo's own grants; the demo order (payments) adds the credits of a bought package.
    assert (
        Credit.objects.filter(applicant=booking.applicant, source__startswith="demo:").count() == 4
    )


@pytest.mark.django_db
def test_demo_always_has_future_slots():
    call_command("load_demo", force=True, quiet_logins=True)
    now = timezone.now()
    service = Service.objects.get(slug="mock-interview-mmi")
    assert len(find_slots(service=service, start=now, end=now + timedelta(days=14))) > 20
