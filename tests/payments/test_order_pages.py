"""The buyer's order pages: their own orders only, ids that cannot be guessed."""

import pytest

from payments import selectors
from payments.models import OrderStatus
from tests.accounts.factories import BuyerFactory
from tests.payments.factories import OrderFactory


@pytest.mark.django_db
def test_buyer_sees_their_order_with_lines_and_totals(client):
    order = OrderFactory(paid=True)
    client.force_login(order.buyer)
    page = client.get(f"/dashboard/orders/{order.public_id}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert order.reference in html
    assert order.lines.get().name in html
    assert "CA$345.00" in html


@pytest.mark.django_db
def test_someone_elses_order_is_404(client):
    order = OrderFactory(paid=True)
    client.force_login(BuyerFactory())
    assert client.get(f"/dashboard/orders/{order.public_id}/").status_code == 404


@pytest.mark.django_db
def test_order_pages_need_a_login(client):
    order = OrderFactory(paid=True)
    response = client.get(f"/dashboard/orders/{order.public_id}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert client.get("/dashboard/orders/").status_code == 302


@pytest.mark.django_db
def test_guessing_by_database_id_finds_nothing(client):
    order = OrderFactory(paid=True)
    client.force_login(order.buyer)
    assert client.get(f"/dashboard/orders/{order.pk}/").status_code == 404


@pytest.mark.django_db
def test_order_list_shows_only_my_orders(client, django_assert_max_num_queries):
    mine = [OrderFactory(paid=True), OrderFactory()]
    mine[1].buyer = mine[0].buyer
    mine[1].save()
    theirs = OrderFactory(paid=True)
    client.force_login(mine[0].buyer)

    # The page itself plus the site menu and footer (two queries each).
    with django_assert_max_num_queries(12):
        page = client.get("/dashboard/orders/")

    assert page.status_code == 200
    html = page.content.decode()
    assert all(order.reference in html for order in mine)
    assert theirs.reference not in html


@pytest.mark.django_db
def test_order_list_queries_stay_constant_as_orders_grow(client, django_assert_num_queries):
    buyer = BuyerFactory()
    client.force_login(buyer)
    OrderFactory(buyer=buyer, paid=True)
    assert client.get("/dashboard/orders/").status_code == 200  # warm up session and caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert client.get("/dashboard/orders/").status_code == 200
    for _ in range(5):
        OrderFactory(buyer=buyer, paid=True)
    with django_assert_num_queries(len(few)):
        page = client.get("/dashboard/orders/")
    assert page.status_code == 200
    html = page.content.decode()
    assert all(order.reference in html for order in selectors.orders_for(buyer))


@pytest.mark.django_db
def test_orders_page_and_dashboard_list_orders_through_one_selector(client):
    buyer = BuyerFactory()
    paid = OrderFactory(buyer=buyer, paid=True)
    pending = OrderFactory(buyer=buyer)
    expired = OrderFactory(buyer=buyer, status=OrderStatus.EXPIRED)
    failed = OrderFactory(buyer=buyer, status=OrderStatus.FAILED)
    OrderFactory(paid=True)  # someone else's

    assert list(selectors.orders_for(buyer)) == [expired, pending, paid]
    assert list(selectors.orders_for(buyer, include_expired=False)) == [pending, paid]

    client.force_login(buyer)
    orders_page = client.get("/dashboard/orders/")
    dashboard = client.get("/dashboard/")
    assert (orders_page.status_code, dashboard.status_code) == (200, 200)
    orders_html, dashboard_html = orders_page.content.decode(), dashboard.content.decode()
    assert all(o.reference in orders_html for o in (paid, pending, expired))
    assert failed.reference not in orders_html
    assert all(o.reference in dashboard_html for o in (paid, pending))
    assert expired.reference not in dashboard_html and failed.reference not in dashboard_html
