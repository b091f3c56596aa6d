import pytest
from django.core.management import call_command

from booking.models import Credit
from payments.models import Order, OrderStatus


@pytest.mark.django_db
def test_demo_gives_the_applicant_one_paid_order_and_running_it_twice_changes_nothing(
    settings, offline
):
    settings.DEBUG = True
    call_command("load_demo", "--quiet-logins")
    order = Order.objects.get()
    assert order.status == OrderStatus.PAID
    assert order.buyer.email == "applicant@example.com"
    assert order.discount_cents > 0
    credits = Credit.objects.count()
    assert credits >= 1

    call_command("load_demo", "--quiet-logins")
    assert Order.objects.count() == 1
    assert Credit.objects.count() == credits
