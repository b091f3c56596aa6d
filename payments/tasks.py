"""django-q2 entry points for payments: each safe to run twice and safe to run late."""

from core.schedules import recurring
from payments.reconcile import orders_reconcile


@recurring("reconcile-orders", minutes=5)
def reconcile_orders() -> dict[str, int]:
    return orders_reconcile()
