"""Orders, their lines, refunds and the Stripe events that moved them.

Money is integer cents in one currency (CAD). An order's lines snapshot the catalogue (name,
unit price, what the line grants) when it is placed, so editing a package never rewrites an
order. Totals start as our own estimate and are overwritten by what Stripe reports when the
payment completes (promotion codes and automatic tax are only known then).

The offline checkout (no Stripe keys) keeps its pretend Checkout Sessions and refunds in the
`Offline…` tables below, so the same fulfilment code runs without a network.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from core.ids import new_public_id
from core.money import DEFAULT_CURRENCY, format_money
from core.states import TransitionGuardMixin
from members.services import entitlement_source
from payments.errors import OrderStateError, RefundStateError


class OrderStatus(models.TextChoices):
    PENDING = "pending", "Awaiting payment"
    PAID = "paid", "Paid"
    PARTIALLY_REFUNDED = "partially_refunded", "Partially refunded"
    REFUNDED = "refunded", "Refunded"
    EXPIRED = "expired", "Expired"
    FAILED = "failed", "Failed"


# The only moves an order may make; repeating a move that already happened is a no-op.
ORDER_TRANSITIONS: dict[str, set[str]] = {
    OrderStatus.PENDING: {OrderStatus.PAID, OrderStatus.EXPIRED, OrderStatus.FAILED},
    OrderStatus.PAID: {OrderStatus.PARTIALLY_REFUNDED, OrderStatus.REFUNDED},
    OrderStatus.PARTIALLY_REFUNDED: {OrderStatus.REFUNDED},
    OrderStatus.REFUNDED: set(),
    # Stripe is the source of truth for money: a payment that completes after we gave up on
    # the order locally is honoured (and refunded automatically if its slot is gone).
    OrderStatus.EXPIRED: {OrderStatus.PAID},
    OrderStatus.FAILED: {OrderStatus.PAID},
}

PAID_STATUSES = (OrderStatus.PAID, OrderStatus.PARTIALLY_REFUNDED, OrderStatus.REFUNDED)


class TaxMode(models.TextChoices):
    NONE = "none", "No tax"
    RATE = "rate", "Fixed tax rate"
    AUTOMATIC = "automatic", "Stripe Tax"


class OrderQuerySet(models.QuerySet):
    def for_buyer(self, user):
        return self.filter(buyer=user)

    def pending(self):
        return self.filter(status=OrderStatus.PENDING)


class Order(TransitionGuardMixin, models.Model):
    """One purchase by one buyer, paid through one Stripe Checkout Session."""

    TRANSITIONS = ORDER_TRANSITIONS
    state_error = OrderStateError
    state_noun = "order"

    public_id = models.CharField(max_length=22, unique=True, default=new_public_id, editable=False)
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="orders"
    )
    status = models.CharField(
        max_length=20, choices=OrderStatus.choices, default=OrderStatus.PENDING, db_index=True
    )
    currency = models.CharField(max_length=3, default=DEFAULT_CURRENCY)
    tax_mode = models.CharField(max_length=10, choices=TaxMode.choices, default=TaxMode.NONE)
    subtotal_cents = models.PositiveIntegerField(default=0)
    discount_cents = models.PositiveIntegerField(default=0)
    tax_cents = models.PositiveIntegerField(default=0)
    total_cents = models.PositiveIntegerField(default=0)
    refunded_cents = models.PositiveIntegerField(default=0)
    promotion_code = models.CharField(max_length=80, blank=True)
    stripe_checkout_session_id = models.CharField(
        max_length=255, unique=True, null=True, blank=True, editable=False
    )
    stripe_payment_intent_id = models.CharField(
        max_length=255, unique=True, null=True, blank=True, editable=False
    )
    checkout_url = models.URLField(max_length=1000, blank=True, editable=False)
    checkout_expires_at = models.DateTimeField(null=True, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    fulfilled_at = models.DateTimeField(null=True, blank=True)
    failure_reason = models.CharField(max_length=300, blank=True)
    # Set when a paid single session lost its slot: the money goes back automatically.
    auto_refund_due = models.BooleanField(default=False)
    needs_attention = models.BooleanField(
        default=False, help_text="A dispute or an automatic refund that staff should look at."
    )
    attention_note = models.CharField(max_length=500, blank=True)
    disputed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrderQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        permissions = [("refund_order", "Can refund orders")]
        constraints = [
            models.CheckConstraint(
                name="payments_order_refund_within_total",
                condition=Q(refunded_cents__lte=models.F("total_cents")),
            ),
        ]

    def __str__(self):
        return f"Order {self.public_id}"

    def get_absolute_url(self):
        return reverse("payments:order_detail", args=[self.public_id])

    @property
    def reference(self) -> str:
        """The short reference shown to people (receipts, admin): first 8 characters."""
        return self.public_id[:8].upper()

    @property
    def history_label(self) -> str:
        """How the order's history entries name it (`core.history`): its reference."""
        return f"Order {self.reference}"

    reference.fget.short_description = "Order"

    @property
    def refundable_cents(self) -> int:
        return self.total_cents - self.refunded_cents if self.status in PAID_STATUSES else 0

    @property
    def status_badge(self) -> str:
        """The design system's badge modifier for this status."""
        return {
            OrderStatus.PAID: "success",
            OrderStatus.PENDING: "warning",
            OrderStatus.PARTIALLY_REFUNDED: "warning",
            OrderStatus.FAILED: "danger",
        }.get(self.status, "muted")

    @property
    def is_paid(self) -> bool:
        return self.status in PAID_STATUSES

    def money(self, cents: int) -> str:
        return format_money(cents, self.currency)

    @property
    def summary(self) -> str:
        return ", ".join(line.name for line in self.lines.all())


class LineKind(models.TextChoices):
    PACKAGE = "package", "Package"
    SESSION = "session", "Single session"


class OrderLine(models.Model):
    """What was bought, frozen at the time of the order: a package or one held session."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    kind = models.CharField(max_length=10, choices=LineKind.choices)
    package = models.ForeignKey(
        "coaching.Package", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    service = models.ForeignKey(
        "coaching.Service", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    booking = models.ForeignKey(
        "booking.Booking",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="order_lines",
        help_text="Single sessions: the held (then confirmed) booking this line pays for.",
    )
    name = models.CharField(max_length=200)
    unit_price_cents = models.PositiveIntegerField()
    quantity = models.PositiveSmallIntegerField(default=1)
    taxable = models.BooleanField(default=True)
    validity_months = models.PositiveSmallIntegerField(default=12)
    # [{"service_id": 3, "service_name": "...", "quantity": 2}, ...] for package lines.
    entitlements = models.JSONField(default=list, blank=True)
    # [{"kind": "school_guide", "text": "Canadian MD school guide"}, ...]: the perks with a kind
    # that the package included when bought; each grants an entitlement for the package term.
    perks = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                name="payments_line_has_what_it_sells",
                condition=Q(kind="package", package__isnull=False)
                | Q(kind="session", service__isnull=False),
            ),
        ]

    def __str__(self):
        return f"{self.quantity} × {self.name}"

    @property
    def total_cents(self) -> int:
        return self.unit_price_cents * self.quantity

    def credit_sources(self) -> list[str]:
        """The `Credit.source` of each credit this line grants (one per service it includes)."""
        return [self.credit_source(item["service_id"]) for item in self.entitlements]

    def credit_source(self, service_id: int) -> str:
        return f"order-line:{self.pk}:service:{service_id}"

    def entitlement_sources(self) -> list[str]:
        """The `Entitlement.source` of each perk this line grants."""
        return [entitlement_source(line_id=self.pk, perk=perk["kind"]) for perk in self.perks]


class RefundStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"
    CANCELED = "canceled", "Cancelled"
    REQUIRES_ACTION = "requires_action", "Requires action"


# Stripe's refund life cycle. A succeeded refund can still fail (the card was closed, say);
# failed and canceled are final.
REFUND_TRANSITIONS: dict[str, set[str]] = {
    RefundStatus.PENDING: {
        RefundStatus.SUCCEEDED,
        RefundStatus.FAILED,
        RefundStatus.CANCELED,
        RefundStatus.REQUIRES_ACTION,
    },
    RefundStatus.REQUIRES_ACTION: {
        RefundStatus.PENDING,
        RefundStatus.SUCCEEDED,
        RefundStatus.FAILED,
        RefundStatus.CANCELED,
    },
    RefundStatus.SUCCEEDED: {RefundStatus.FAILED},
    RefundStatus.FAILED: set(),
    RefundStatus.CANCELED: set(),
}

COUNTED_REFUND_STATUSES = (
    RefundStatus.PENDING,
    RefundStatus.SUCCEEDED,
    RefundStatus.REQUIRES_ACTION,
)


class Refund(TransitionGuardMixin, models.Model):
    """Money sent back on an order: by staff, automatically (slot lost) or from Stripe's dashboard."""

    TRANSITIONS = REFUND_TRANSITIONS
    state_error = RefundStateError
    state_noun = "refund"

    class Origin(models.TextChoices):
        STAFF = "staff", "Staff"
        AUTOMATIC = "automatic", "Automatic"
        STRIPE = "stripe", "Stripe dashboard"

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="refunds")
    stripe_refund_id = models.CharField(max_length=255, unique=True)
    amount_cents = models.PositiveIntegerField()
    status = models.CharField(
        max_length=20, choices=RefundStatus.choices, default=RefundStatus.PENDING
    )
    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.STAFF)
    reason = models.CharField(max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"Refund {self.stripe_refund_id} ({format_money(self.amount_cents)})"


class StripeEvent(models.Model):
    """Every webhook event we accepted, stored once by its id, with how processing went."""

    event_id = models.CharField(max_length=255, unique=True)
    type = models.CharField(max_length=100, db_index=True)
    livemode = models.BooleanField(default=False)
    payload = models.JSONField()
    order = models.ForeignKey(
        Order, null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    received_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["received_at", "id"]
        indexes = [
            models.Index(
                fields=["received_at"],
                name="payments_event_unprocessed_idx",
                condition=Q(processed_at__isnull=True),
            )
        ]

    def __str__(self):
        return f"{self.type} {self.event_id}"


# --- the offline checkout's pretend Stripe ---------------------------------------------------


class _OfflineRecord(models.Model):
    """What the offline checkout keeps of each object it makes: the object as Stripe would
    return it, under the idempotency key it was asked with."""

    idempotency_key = models.CharField(max_length=255, unique=True)
    data = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


class OfflineCheckoutSession(_OfflineRecord):
    """A Checkout Session of the offline checkout, stored as Stripe would return it."""

    session_id = models.CharField(max_length=80, unique=True)

    def __str__(self):
        return self.session_id


class OfflineRefund(_OfflineRecord):
    """A refund made through the offline checkout."""

    refund_id = models.CharField(max_length=80, unique=True)

    def __str__(self):
        return self.refund_id
