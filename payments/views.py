"""Checkout, webhook, offline checkout and the buyer's order pages. Thin: parse, call a
service, render. Domain errors become messages; the JSON way to buy a session is the API's
(`payments/api.py`, `POST /api/v1/checkout/session`)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from booking.policy import paid_session_terms
from coaching.models import Package, Service
from core.errors import DomainError
from core.money import format_money
from core.redirects import back_to
from payments import selectors, services
from payments.errors import EmailNotVerified
from payments.forms import session_choice
from payments.gateway import GatewayError, WebhookSignatureInvalid, is_offline
from payments.models import Order, OrderLine, OrderStatus
from payments.offline import OfflineGateway, applied_promotion, offline_pay
from payments.receipts import receipt_for
from payments.tax import tax_label, tax_name
from payments.webhooks import event_receive

logger = logging.getLogger(__name__)


def _base_url(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _to_login(next_path: str, *, reason: str) -> HttpResponseRedirect:
    """To the log-in page, saying why (`reason`: buy or book) and where to come back to."""
    query = urlencode({"next": next_path, "reason": reason})
    return HttpResponseRedirect(f"{reverse('account_login')}?{query}")


def _redirect_303(url: str) -> HttpResponseRedirect:
    response = HttpResponseRedirect(url)
    response.status_code = 303  # after a POST, the browser follows with a GET
    return response


# --- starting a checkout ------------------------------------------------------------------


def _to_checkout(request, start, *, back: str):
    """Start a checkout with `start()` and send the buyer to pay; a domain error goes back to
    `back` (or `next`) with a message, an unverified address to the email page."""
    try:
        order = start()
    except EmailNotVerified as exc:
        messages.error(request, exc.message)
        return _redirect_303(reverse("account_email"))
    except DomainError as exc:
        messages.error(request, exc.message)
        return _redirect_303(back_to(request, default=back))
    return _redirect_303(order.checkout_url)


@require_POST
def checkout_package(request, slug: str):
    """Buy a package: a pending order and a Checkout Session, then off to pay."""
    package_url = reverse("coaching:package_detail", kwargs={"slug": slug})
    if not request.user.is_authenticated:
        return _to_login(package_url, reason="buy")
    package = get_object_or_404(Package.objects.active(), slug=slug)
    return _to_checkout(
        request,
        lambda: services.checkout_start_package(
            buyer=request.user, package=package, base_url=_base_url(request)
        ),
        back=package_url,
    )


@require_POST
def checkout_review(request, slug: str):
    """Buy one document review on its own: a credit once paid, spent on /reviews/new/."""
    review_url = f"{reverse('reviews:new')}?{urlencode({'service': slug})}"
    if not request.user.is_authenticated:
        return _to_login(review_url, reason="buy")
    service = get_object_or_404(Service.objects.active(), slug=slug)
    return _to_checkout(
        request,
        lambda: services.checkout_start_review(
            buyer=request.user, service=service, base_url=_base_url(request)
        ),
        back=review_url,
    )


@require_POST
def checkout_session(request):
    """Buy one session from a form post: hold the slot for as long as the Checkout Session
    lives, then off to pay (or back to `next`, or /book/, with a message).

    Fields: `service` (slug), `coach` (slug; empty for "any coach"), `start` (ISO 8601 with an offset).
    """
    if not request.user.is_authenticated:
        # Back to the slot picker (this address takes only posts).
        return _to_login(reverse("booking:book"), reason="book")
    try:
        choice = session_choice(
            service=request.POST.get("service", ""),
            coach=request.POST.get("coach", ""),
            start=request.POST.get("start", ""),
        )
        order = services.checkout_start_session(
            buyer=request.user,
            service=choice.service,
            coach=choice.coach,
            start=choice.start,
            base_url=_base_url(request),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return _redirect_303(back_to(request, default="/book/"))
    return _redirect_303(order.checkout_url)


# --- coming back from Stripe ----------------------------------------------------------------


@require_GET
@login_required
def checkout_success(request):
    """Stripe's success_url. Fulfils at once if the webhook has not arrived yet (idempotent)."""
    session_id = request.GET.get("session_id", "")
    order = get_object_or_404(
        Order, stripe_checkout_session_id=session_id or None, buyer=request.user
    )
    if order.status in (OrderStatus.PENDING, OrderStatus.EXPIRED, OrderStatus.FAILED):
        try:
            order = services.order_fulfil(session_id=session_id) or order
        except (GatewayError, DomainError):
            logger.warning("success page could not confirm order %s yet", order.public_id)
        order.refresh_from_db()
    return render(
        request,
        "payments/checkout_success.html",
        {"order": order, "receipt": receipt_for(order), "refresh": order.status == "pending"},
    )


@require_GET
@login_required
def checkout_cancel(request, public_id: str):
    """Stripe's cancel_url: end the Checkout Session now so a held slot is free again."""
    order = get_object_or_404(Order, public_id=public_id, buyer=request.user)
    try:
        order = services.order_cancel_checkout(order=order)
    except (GatewayError, DomainError):
        logger.warning("could not cancel the checkout of order %s now", order.public_id)
        messages.warning(
            request,
            "We could not reach our payment provider; your checkout will lapse on its own "
            "within 30 minutes.",
        )
    line = order.lines.select_related("package", "service").first()
    return render(request, "payments/checkout_cancelled.html", {"order": order, "line": line})


# --- webhook --------------------------------------------------------------------------------


@csrf_exempt
@require_POST
def stripe_webhook(request):
    """Verify, store once, process; always 200 for a verified event (errors are recorded)."""
    try:
        event, created = event_receive(request.body, request.headers.get("Stripe-Signature"))
    except WebhookSignatureInvalid:
        logger.warning("rejected a webhook with a missing, wrong or stale signature")
        return JsonResponse(
            {"error": "invalid_signature", "detail": "Missing, wrong or stale Stripe-Signature."},
            status=400,
        )
    return JsonResponse({"received": True, "duplicate": not created, "event": event.event_id})


# --- the offline checkout ---------------------------------------------------------------


def _offline_summary(session: dict) -> dict:
    """What the offline page shows of a session: its lines and amounts, as Stripe's page would."""
    currency = session["currency"].upper()
    details = session["total_details"]
    promotion = applied_promotion(session)
    return {
        "lines": [
            {
                "name": item["price_data"]["product_data"]["name"],
                "description": item["price_data"]["product_data"].get("description", ""),
                "quantity": item.get("quantity", 1),
                "amount": format_money(
                    int(item["price_data"]["unit_amount"]) * int(item.get("quantity", 1)),
                    currency,
                ),
            }
            for item in session["line_items"]
        ],
        "subtotal": format_money(session["amount_subtotal"], currency),
        "promotion": promotion,
        "discount": format_money(-details["amount_discount"], currency),
        "tax_label": tax_label(session["tax_mode"]) if tax_name(session["tax_mode"]) else "",
        "tax": format_money(details["amount_tax"], currency),
        "total": format_money(session["amount_total"], currency),
        "total_cents": session["amount_total"],
    }


def _session_terms(session_id: str) -> list[dict]:
    """For each single session being paid for: the booking and what cancelling it will give
    back once paid (asked of the booking policy, never restated here)."""
    lines = OrderLine.objects.filter(
        order__stripe_checkout_session_id=session_id, booking__isnull=False
    ).select_related("booking__service", "booking__coach")
    return [{"booking": line.booking, "terms": paid_session_terms(line.booking)} for line in lines]


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return -1  # unreadable: never equal to a total, so nothing is charged


@require_http_methods(["GET", "POST"])
def offline_checkout(request, session_id: str):
    """The local stand-in for Stripe's hosted page. Unreachable when real keys are set.

    Apply (a promotion code) and Remove recompute the session's amounts and show the page again;
    Pay charges the amounts the page showed (`expected_total` is compared, never charged).
    """
    if not is_offline():
        raise Http404("The offline checkout is off.")
    gateway = OfflineGateway()
    try:
        session = gateway.raw_session(session_id)
    except GatewayError as exc:
        raise Http404("No such checkout.") from exc
    page_url = reverse("payments:offline_checkout", args=[session_id])
    code_error = pay_error = ""
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "cancel":
                return _redirect_303(session["cancel_url"])
            if action == "apply":
                gateway.apply_promotion_code(session_id, request.POST.get("promotion_code", ""))
                return _redirect_303(page_url)
            if action == "remove_code":
                gateway.remove_promotion_code(session_id)
                return _redirect_303(page_url)
            if action == "pay":
                offline_pay(
                    session_id, expected_total=_int_or_none(request.POST.get("expected_total"))
                )
                return _redirect_303(
                    session["success_url"].replace("{CHECKOUT_SESSION_ID}", session_id)
                )
            pay_error = "Choose Pay, Apply or Cancel."
        except GatewayError as exc:
            if action == "apply":
                code_error = exc.message
            else:
                pay_error = exc.message
        session = gateway.raw_session(session_id)  # as it stands now (a code may have gone)
    context = {
        **_offline_summary(session),
        "session": session,
        "sessions": _session_terms(session_id),
        "expires_at": datetime.fromtimestamp(session["expires_at"], tz=UTC),
        "is_open": session["status"] == "open",
        "code_error": code_error,
        "pay_error": pay_error,
        "entered_code": request.POST.get("promotion_code", "") if code_error else "",
    }
    status = 400 if code_error or pay_error else 200
    return render(request, "payments/offline_checkout.html", context, status=status)


# --- the buyer's orders -----------------------------------------------------------------


@require_GET
@login_required
def order_list(request):
    orders = selectors.orders_for(request.user)
    return render(request, "payments/order_list.html", {"orders": orders})


@require_GET
@login_required
def order_detail(request, public_id: str):
    """One order, for its buyer only (anyone else gets a 404, not a 403: ids are secrets)."""
    order = get_object_or_404(Order, public_id=public_id, buyer=request.user)
    return render(
        request,
        "payments/order_detail.html",
        {
            "order": order,
            "receipt": receipt_for(order),
            "credits": selectors.order_credits(order),
            "bookings": selectors.order_bookings(order),
        },
    )
