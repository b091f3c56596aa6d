"""Staff views in the Wagtail admin: the orders listing (filters, search, CSV) and the order
page with its lines, payment, refunds, events, credits and bookings, and the refund form with
its confirmation step."""

import django_filters
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from wagtail import hooks
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from coaching.models import Package
from core.admin_policies import ReadOnlyModelPolicy
from core.duties import can_handle_money
from core.errors import errors_shown_on
from core.history import register_actions, timeline
from core.money import dollars_to_cents
from core.spreadsheets import SafeCsvExportMixin
from core.timezones import in_active_zone
from payments import selectors, services
from payments.forms import RefundConfirmForm, RefundForm
from payments.history import OrderAction
from payments.models import Order, OrderStatus

# Orders change only through their services (never in an admin form).
register_permission_policy(Order, ReadOnlyModelPolicy(Order))


class OrderFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(choices=OrderStatus.choices, label="Status")
    created_at = django_filters.DateFromToRangeFilter(label="Placed", widget=DateRangePickerWidget)
    package = django_filters.ModelChoiceFilter(
        field_name="lines__package", queryset=Package.objects.all(), label="Package", distinct=True
    )
    needs_attention = django_filters.BooleanFilter(label="Needs attention")

    class Meta:
        model = Order
        fields = []


class OrderIndexView(SafeCsvExportMixin, IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("buyer").prefetch_related("lines")


class OrderInspectView(InspectView):
    template_name = "payments/admin/order_inspect.html"

    def get_object(self, queryset=None):
        return get_object_or_404(Order.objects.select_related("buyer"), pk=self.pk)

    def get_page_subtitle(self):
        return f"Order {self.object.reference}"

    def can_refund(self) -> bool:
        return can_handle_money(self.request.user) and (self.object.refundable_cents > 0)

    def get_context_data(self, refund_form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        order = self.object
        entitlements = selectors.order_entitlements(order)
        context.update(
            order=order,
            lines=order.lines.select_related("booking"),
            refunds=order.refunds.select_related("created_by"),
            events=order.events.order_by("received_at"),
            credits=selectors.order_credits(order),
            entitlements=entitlements,
            history=timeline(order, *entitlements, staff=True),
            bookings=selectors.order_bookings(order),
            can_refund=self.can_refund(),
            refund_form=refund_form or (RefundForm(order=order) if self.can_refund() else None),
        )
        return context

    def post(self, request, *args, **kwargs):
        """Two steps: the refund form is reviewed on a confirmation page that states the amount
        and what a full refund also takes back; only that page's form, posted back with
        `step=confirm`, refunds. Anything invalid shows the order page again and changes nothing."""
        if not can_handle_money(request.user):
            raise PermissionDenied
        confirming = request.POST.get("step") == "confirm"
        form_class = RefundConfirmForm if confirming else RefundForm
        form = form_class(request.POST, order=self.object)
        if form.is_valid() and not confirming:
            return self.render_confirmation(RefundConfirmForm.stating(form))
        if form.is_valid():
            with errors_shown_on(form):
                refund = services.order_refund(
                    order=self.object,
                    amount_cents=form.cleaned_data["amount"],
                    reason=form.cleaned_data["reason"],
                    actor=request.user,
                    idempotency_token=form.cleaned_data["token"],
                )
                messages.success(
                    request,
                    f"Refunded {self.object.money(refund.amount_cents)} "
                    f"on order {self.object.reference}.",
                )
                return redirect(request.path)
        self.object.refresh_from_db()
        return self.render_to_response(
            self.get_context_data(refund_form=self.form_to_show_again(form)), status=400
        )

    def form_to_show_again(self, form: RefundForm) -> RefundForm:
        """A failed confirmation goes back to the editable form, with its errors and values."""
        if not isinstance(form, RefundConfirmForm):
            return form
        again = RefundForm(form.data, order=self.object)
        again.is_valid()
        for error in form.non_field_errors():
            again.add_error(None, error)
        return again

    def render_confirmation(self, form: RefundConfirmForm):
        amount = dollars_to_cents(form.initial["amount"])
        context = self.get_context_data()
        context.update(
            confirm_form=form,
            amount=self.object.money(amount),
            remaining_after=self.object.money(self.object.refundable_cents - amount),
            reason=form.initial["reason"],
            is_full=form.initial["full"],
            effects=selectors.order_full_refund_effects(self.object)
            if form.initial["full"]
            else None,
        )
        return TemplateResponse(self.request, "payments/admin/order_refund_confirm.html", context)


class OrderViewSet(ModelViewSet):
    model = Order
    icon = "list-ul"
    menu_label = "Orders"
    menu_order = 250
    add_to_admin_menu = True
    inspect_view_enabled = True
    copy_view_enabled = False
    index_view_class = OrderIndexView
    inspect_view_class = OrderInspectView
    form_fields = ["attention_note"]  # required by ModelViewSet; editing is denied by the policy
    list_display = [
        "reference",
        Column("buyer", label="Buyer", accessor="buyer"),
        Column("summary", label="Items", accessor="summary"),
        StatusTagColumn("status", label="Status", accessor="get_status_display", primary=False),
        Column("total", label="Total", accessor=lambda order: order.money(order.total_cents)),
        Column(
            "refunded", label="Refunded", accessor=lambda order: order.money(order.refunded_cents)
        ),
        DateColumn("created_at", label=in_active_zone("Placed")),
    ]
    filterset_class = OrderFilterSet
    search_fields = [
        "public_id",
        "buyer__email",
        "buyer__display_name",
        "stripe_checkout_session_id",
        "stripe_payment_intent_id",
    ]
    search_backend_name = None
    list_export = [
        "public_id",
        "created_at",
        "paid_at",
        "buyer.email",
        "summary",
        "status",
        "currency",
        "subtotal_cents",
        "discount_cents",
        "tax_cents",
        "total_cents",
        "refunded_cents",
        "promotion_code",
        "stripe_checkout_session_id",
        "stripe_payment_intent_id",
        "needs_attention",
    ]
    export_headings = {
        "public_id": "Order id",
        "created_at": "Placed (UTC)",
        "paid_at": "Paid (UTC)",
        "buyer.email": "Buyer email",
        "summary": "Items",
        "subtotal_cents": "Subtotal (cents)",
        "discount_cents": "Discount (cents)",
        "tax_cents": "Tax (cents)",
        "total_cents": "Total (cents)",
        "refunded_cents": "Refunded (cents)",
        "stripe_checkout_session_id": "Stripe Checkout Session",
        "stripe_payment_intent_id": "Stripe PaymentIntent",
    }
    export_filename = "medpath-orders"


order_viewset = OrderViewSet("orders")


@hooks.register("register_admin_viewset")
def register_order_viewset():
    return order_viewset


@hooks.register("register_log_actions")
def register_history_actions(actions):
    """What can happen to an order, as actions of the one history (core.history)."""
    register_actions(actions, OrderAction)
