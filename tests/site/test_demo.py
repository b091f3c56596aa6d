import pytest
from allauth.account.models import EmailAddress
from django.core.management import CommandError, call_command

from medpath.accounts.models import User


@pytest.mark.django_db
def test_demo_loader_refuses_to_run_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("load_demo")
    assert not User.objects.exists()


@pytest.mark.django_db
def test_demo_users_have_verified_emails_and_the_documented_password():
    call_command("load_demo", force=True, quiet_logins=True)
    for email in [
        "staff@example.com",
        "editor@example.com",
        "coach.toronto@example.com",
        "coach.london@example.com",
        "applicant@example.com",
    ]:
        user = User.objects.get(email=email)
        assert user.check_password("medpath-demo")
        assert EmailAddress.objects.get(user=user, email=email).verified
    assert User.objects.get(email="staff@example.com").is_superuser
    assert User.objects.get(email="editor@example.com").groups.filter(name="Editors").exists()


@pytest.mark.django_db
def test_every_demo_object_has_a_history_a_newcomer_can_read():
    """The demo's bookings, orders, reviews, attempts, registrations and perks were made through
    the services (or, for the past webinar, recorded as they happened), so each has a timeline."""
    from booking.models import Booking
    from core.history import entries_for
    from members.models import Entitlement
    from payments.models import Order
    from practice.models import Attempt, AttemptStatus
    from reviews.models import Review
    from webinars.models import WebinarRegistration

    call_command("load_demo", force=True, quiet_logins=True)
    for model in (Booking, Order, Review, Attempt, WebinarRegistration, Entitlement):
        rows = list(model.objects.all())
        assert rows, model
        silent = [row.pk for row in rows if not entries_for(row).exists()]
        assert not silent, f"{model.__name__} without history: {silent}"
    for scored in Attempt.objects.filter(status=AttemptStatus.SCORED):
        assert entries_for(scored).last().action == "attempt.returned"
