"""django-q2 entry points for payments: each safe to run twice and safe to run late."""

from payments.reconcile import orders_reconcile


def reconcile_orders() -> dict[str, int]:
    return orders_reconcile()
