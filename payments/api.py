"""Payments API (django-ninja, mounted at /api/v1/ by `medpath.api`): buy one session.

Thin: read the choice, call the checkout service, shape JSON. Session auth with CSRF (ninja's
`django_auth`); domain errors become `{"code", "detail"}` with their 4xx/502 status through
the project API's handlers.
"""

from __future__ import annotations

from ninja import Router, Schema, Status
from ninja.security import django_auth

from payments import services
from payments.forms import session_choice

router = Router(tags=["payments"])


class SessionCheckoutIn(Schema):
    service: str
    coach: str = ""  # empty: "any coach", assigned when the slot is held
    start: str


class SessionCheckoutOut(Schema):
    order: str
    checkout_url: str
    expires_at: str
    booking: str | None


@router.post(
    "/checkout/session",
    auth=django_auth,
    response={201: SessionCheckoutOut},
    url_name="checkout_session",
    summary="Hold a slot and open the checkout that pays for it",
)
def start_session_checkout(request, payload: SessionCheckoutIn):
    """`start` is ISO 8601 with an offset. The slot is held for as long as the checkout lives;
    send the browser to `checkout_url`. The booking is confirmed when the payment succeeds."""
    choice = session_choice(service=payload.service, coach=payload.coach, start=payload.start)
    order = services.checkout_start_session(
        buyer=request.user,
        service=choice.service,
        coach=choice.coach,
        start=choice.start,
        base_url=request.build_absolute_uri("/").rstrip("/"),
    )
    line = order.lines.select_related("booking").first()
    return Status(
        201,
        {
            "order": order.public_id,
            "checkout_url": order.checkout_url,
            "expires_at": order.checkout_expires_at.isoformat(),
            "booking": line.booking.public_id if line and line.booking else None,
        },
    )
