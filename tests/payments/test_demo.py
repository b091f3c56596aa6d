import pytest

from booking.models import Credit
from coaching import demo as coaching_demo
from medpath.accounts import demo as accounts_demo
from payments import demo as payments_demo
from payments.models import Order, OrderStatus


@pytest.mark.django_db
def test_demo_gives_the_applicant_one_paid_order_and_running_it_twice_changes_nothing(offline):
    accounts_demo.load()
    coaching_demo.load()
    payments_demo.load()
    order = Order.objects.get()
    assert order.status == OrderStatus.PAID
    assert order.buyer.email == "applicant@example.com"
    assert order.discount_cents > 0
    credits = Credit.objects.count()
    assert credits >= 1

    payments_demo.load()
    assert Order.objects.count() == 1
    assert Credit.objects.count() == credits


@pytest.mark.django_db
def test_demo_order_is_skipped_with_real_stripe_keys(settings):
    settings.STRIPE_SECRET_KEY = "sk_test_x"
    accounts_demo.load()
    coaching_demo.load()
    payments_demo.load()
    assert not Order.objects.exists()
