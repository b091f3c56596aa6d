"""What production needs to see: one log line per request, and errors sent to Sentry when asked.

`RequestLogMiddleware` runs outermost. It gives each request an id (the caller's `X-Request-ID`
when it is a sane token, so a load balancer's id follows the request through, otherwise a new
one), echoes it in the response's `X-Request-ID`, makes it available to every log record of the
request (`%(request_id)s`, through `RequestIdFilter`), and writes one line when the response
leaves:

    method=GET path=/packages/ status=200 duration_ms=3.1 user_id=- request_id=9f0c…

key=value rather than JSON because it reads well in a terminal and every log service parses it;
values that could hold spaces or quotes (the path) are quoted when they do. A hand-made
middleware of forty lines rather than django-structlog: that library brings structlog and
django-ipware, reconfigures logging as a whole and costs more per request than /healthz may
spend (docs/performance.md); we need one line and one id.

`init_error_reporting` turns on Sentry's SDK (with its Django integration) only when
`SENTRY_DSN` is set; without it nothing is imported. No personal data is sent by default
(`send_default_pii=False`: no user emails, cookies or IP addresses).
"""

import contextvars
import logging
import re
import time
import uuid

from django.conf import settings
from django.utils.functional import empty

logger = logging.getLogger("medpath.request")

REQUEST_ID_HEADER = "X-Request-ID"
# What we accept from outside: the ids load balancers and tracing proxies send (uuids, hex,
# base64url, "Root=1-…" style), short enough to log, nothing that could forge a log line.
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:=+/-]{0,127}")
UNQUOTED_VALUE = re.compile(r"[^\s\"\\=]+")

current_request_id: contextvars.ContextVar[str] = contextvars.ContextVar(
    "medpath_request_id", default="-"
)


def request_id_from(meta) -> str:
    """The caller's request id when it is sane, otherwise a new random one."""
    incoming = meta.get("HTTP_X_REQUEST_ID", "")
    if incoming and SANE_REQUEST_ID.fullmatch(incoming):
        return incoming
    return uuid.uuid4().hex


def _value(text: str) -> str:
    if UNQUOTED_VALUE.fullmatch(text):
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _user_id(request) -> str:
    """The user's id without costing a query the request did not already make: the lazy user
    is read only when something evaluated it or a session cookie says there may be one."""
    user = getattr(request, "user", None)
    if user is None:
        return "-"
    if getattr(user, "_wrapped", None) is empty and (
        settings.SESSION_COOKIE_NAME not in request.COOKIES
    ):
        return "-"
    return str(user.pk) if user.is_authenticated else "-"


class RequestLogMiddleware:
    """Request id in and out, and one key=value line per request on `medpath.request`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        request_id = request.request_id = request_id_from(request.META)
        # Not reset on the way out: Django logs a 4xx/5xx ("Internal Server Error: …") after the
        # middleware chain has returned, and that line must carry the id too. The next request
        # on this thread sets its own.
        current_request_id.set(request_id)
        response = self.get_response(request)
        response[REQUEST_ID_HEADER] = request_id
        if logger.isEnabledFor(logging.INFO):
            logger.info(
                "method=%s path=%s status=%s duration_ms=%.1f user_id=%s request_id=%s",
                request.method,
                _value(request.path),
                response.status_code,
                (time.perf_counter() - started) * 1000,
                _user_id(request),
                request_id,
            )
        return response


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record, "-" outside a request (the worker, commands)."""

    def filter(self, record):
        record.request_id = current_request_id.get()
        return True


def init_error_reporting(env) -> bool:
    """Sentry when `SENTRY_DSN` is set (nothing is imported otherwise). Returns whether it is on."""
    dsn = env.str("SENTRY_DSN", default="")
    if not dsn:
        return False
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        integrations=[DjangoIntegration()],
        environment=env.str("SENTRY_ENVIRONMENT", default="production"),
        release=env.str("SENTRY_RELEASE", default="") or None,
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
        send_default_pii=False,
    )
    return True
