"""Demo orders: the demo applicant has bought one package through the offline checkout (the
real flow: order, Checkout Session, payment, fulfilment), so the dashboard and the admin show
a paid order with its credits and every membership perk. Idempotent: nothing happens if the applicant has any order.
Skipped when real Stripe keys are configured."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, Q

from coaching.models import Package
from payments import services
from payments.gateway import is_offline
from payments.models import Order


def load() -> None:
    buyer = get_user_model().objects.filter(email__iexact="applicant@example.com").first()
    # The package with the most perk kinds (Complete MD Pathway has them all), so the demo
    # member can open every part of the members' area.
    package = (
        Package.objects.active()
        .filter(items__isnull=False)
        .annotate(kinds=Count("perks__kind", filter=~Q(perks__kind=""), distinct=True))
        .order_by("-kinds", "sort_order")
        .first()
    )
    if not is_offline() or buyer is None or package is None:
        return
    if Order.objects.filter(buyer=buyer).exists():
        return
    from payments.offline import OfflineGateway

    order = services.checkout_start_package(
        buyer=buyer, package=package, base_url=settings.SITE_URL
    )
    gateway = OfflineGateway()
    gateway.apply_promotion_code(order.stripe_checkout_session_id, "WELCOME10")
    gateway.pay(order.stripe_checkout_session_id)
    services.order_fulfil(session_id=order.stripe_checkout_session_id)
