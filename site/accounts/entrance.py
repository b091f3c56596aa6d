"""Why someone reached the log-in or sign-up page, when another page sent them there.

Pages that need an account link to `/accounts/login/?next=<path back>&reason=buy` (a Buy
button) or `reason=book` (the booking picker's confirm step). The log-in and sign-up pages
then say why, put the sign-up first for newcomers, and keep `next` and `reason` on the links
between them. Only the known reasons below are ever shown or passed on; any other value is
ignored. `next` itself stays allauth's business, which follows it only when it is a path on
this site (`core.redirects`, through the account adapter's `is_safe_url`).
"""

from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.http import HttpRequest

REASON_FIELD = "reason"


@dataclass(frozen=True)
class EntranceReason:
    key: str
    login_heading: str
    login_lead: str
    signup_heading: str
    signup_lead: str
    newcomer_text: str


REASONS = {
    reason.key: reason
    for reason in (
        EntranceReason(
            key="buy",
            login_heading="Create a free account or log in to buy this package",
            login_lead="Your account keeps your order, receipt and session credits together, "
            "so you can book your sessions straight after paying.",
            signup_heading="Create a free account to buy this package",
            signup_lead="It takes a minute. We email you a link to confirm your address, then "
            "bring you back to the package to pay.",
            newcomer_text="Create a free account, confirm your email address, and we bring you "
            "back to this package to pay.",
        ),
        EntranceReason(
            key="book",
            login_heading="Create a free account or log in to book this time",
            login_lead="Your choice is kept: you come back to confirm it as soon as you are "
            "logged in. The time is not held for you until then.",
            signup_heading="Create a free account to book this time",
            signup_lead="Your choice is kept. We email you a link to confirm your address, then "
            "bring you back to confirm the time; it is not held for you until then.",
            newcomer_text="Create a free account, confirm your email address, and we bring you "
            "back to confirm your time.",
        ),
    )
}


def entrance_reason(request: HttpRequest | None) -> EntranceReason | None:
    """The known reason in the query string (or the re-posted form), else None."""
    if request is None:
        return None
    value = request.GET.get(REASON_FIELD) or request.POST.get(REASON_FIELD) or ""
    return REASONS.get(value)


def with_reason(url: str, reason: EntranceReason | None) -> str:
    """`url` with `reason=<key>` added to its query string (unchanged without a reason)."""
    if reason is None:
        return url
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != REASON_FIELD]
    query.append((REASON_FIELD, reason.key))
    return urlunsplit(parts._replace(query=urlencode(query)))
