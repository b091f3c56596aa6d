"""What can happen to an order, as entries of the one history (`core.history`)."""

from django.db import models


class OrderAction(models.TextChoices):
    CHECKOUT_OPENED = "order.checkout_opened", "Sent to Stripe Checkout"
    PAID = "order.paid", "Paid and fulfilled"
    FAILED = "order.failed", "Payment failed"
    EXPIRED = "order.expired", "Checkout expired"
    REFUNDED = "order.refunded", "Refund made"
    REFUND_REPORTED = "order.refund_reported", "Refund reported by Stripe"
    FULLY_REFUNDED = "order.fully_refunded", "Refunded in full: goods taken back"
    SLOT_LOST = "order.slot_lost", "Held time lost before payment"
    DISPUTED = "order.disputed", "Disputed"
