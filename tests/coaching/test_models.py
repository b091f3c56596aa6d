from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError

from coaching.models import Coach, Service, ServiceKind
from core.money import cents_to_dollars, dollars_to_cents, format_money
from tests.coaching.factories import CoachFactory, PackageFactory

# Model validation runs the check constraints, which asks the database.
pytestmark = pytest.mark.django_db


def _live(minutes):
    return Service(
        name="Session",
        slug="session",
        kind=ServiceKind.LIVE,
        duration_minutes=minutes,
        short_description="A session.",
    )


@pytest.mark.parametrize("minutes", [15, 60, 480])
def test_live_service_accepts_durations_from_15_to_480_in_steps_of_5(minutes):
    _live(minutes).full_clean(validate_unique=False)


@pytest.mark.parametrize("minutes", [10, 485, 62, None])
def test_live_service_refuses_durations_out_of_range_or_off_step(minutes):
    with pytest.raises(ValidationError) as error:
        _live(minutes).full_clean(validate_unique=False)
    assert "duration_minutes" in error.value.message_dict


def test_review_without_turnaround_is_refused_with_a_field_error():
    review = Service(
        name="Review", slug="review", kind=ServiceKind.REVIEW, short_description="A review."
    )
    with pytest.raises(ValidationError) as error:
        review.full_clean(validate_unique=False)
    assert error.value.message_dict["turnaround_days"] == ["Say how many days a review takes."]


def test_review_with_a_duration_is_refused():
    review = Service(
        name="Review",
        slug="review",
        kind=ServiceKind.REVIEW,
        duration_minutes=60,
        turnaround_days=5,
        short_description="A review.",
    )
    with pytest.raises(ValidationError) as error:
        review.full_clean(validate_unique=False)
    assert "duration_minutes" in error.value.message_dict


def test_coach_with_a_made_up_time_zone_is_refused_with_a_clear_message():
    coach = CoachFactory.build(user=CoachFactory().user, slug="new", time_zone="Mars/Olympus")
    with pytest.raises(ValidationError) as error:
        coach.full_clean(exclude=["user"])
    assert "is not a time zone we know" in error.value.message_dict["time_zone"][0]


def test_service_used_in_a_package_cannot_be_deleted():
    package = PackageFactory(items=1)
    service = package.items.get().service
    with pytest.raises(ProtectedError):
        service.delete()
    assert Service.objects.filter(pk=service.pk).exists()


def test_deactivating_a_package_keeps_its_items_and_services():
    package = PackageFactory(items=2)
    package.active = False
    package.save()
    package.refresh_from_db()
    assert package.items.count() == 2
    assert all(item.service.active for item in package.items.all())


@pytest.mark.parametrize(
    ("amount", "cents"),
    [("345", 34500), ("345.5", 34550), ("0.01", 1), ("1895.00", 189500), ("19.999", 2000)],
)
def test_dollars_convert_to_integer_cents(amount, cents):
    assert dollars_to_cents(Decimal(amount)) == cents


def test_cents_show_as_dollars_with_two_places():
    assert cents_to_dollars(34550) == Decimal("345.50")
    assert format_money(189500) == "CA$1,895.00"


@pytest.mark.parametrize(
    ("name", "initials"),
    [
        ("Dr. Priya Raman", "PR"),
        ("Tom", "T"),
        ("Dr. Ana María de la Cruz", "AC"),
        ("Prof Lee", "L"),
    ],
)
def test_coach_initials_skip_titles(name, initials):
    assert Coach(display_name=name).initials == initials


@pytest.mark.parametrize(
    ("typed", "label"),
    [
        ("", ""),
        ("English", "English"),
        ("English, French", "English and French"),
        (" English ,French,, Tamil ", "English, French and Tamil"),
    ],
)
def test_coach_languages_read_as_a_sentence(typed, label):
    assert Coach(languages=typed).languages_label == label


def test_coach_place_falls_back_to_the_zone_city():
    assert Coach(time_zone="America/St_Johns").place_label == "St Johns"
    assert Coach(time_zone="Europe/London", location="London (UK)").place_label == "London (UK)"


def test_package_validity_label_reads_naturally():
    assert PackageFactory.build(validity_months=12).validity_label == "Credits valid 12 months"
    assert PackageFactory.build(validity_months=1).validity_label == "Credits valid 1 month"
