"""Request hygiene and response headers for every URL, in one place instead of view by view.

`RejectBadInputMiddleware` runs first: a NUL byte is never valid anywhere on this site, and
PostgreSQL refuses it in text (psycopg raises, which would be a 500), so a request carrying one
is answered 400 before any view, form or query sees it. The same goes for a form body that
cannot be parsed (a multipart body without a boundary, too many fields).

`ContentSecurityPolicyMiddleware` is django-csp's, with the admin sites' looser policy.
`SecurityHeadersMiddleware` adds what Django has no setting for: `Permissions-Policy`, and
`Cache-Control: private, no-store` on responses with personal data.
Why each rule exists: docs/security.md.
"""

import logging
import re

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.core.exceptions import BadRequest, SuspiciousOperation
from django.http import HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.cache import patch_cache_control

logger = logging.getLogger(__name__)

NUL = "\x00"
FORM_TYPES = {"multipart/form-data", "application/x-www-form-urlencoded"}
# Bodies that are files by their type (a recorded answer's parts): NUL bytes are content there,
# and the view that takes them checks what they are by their first bytes.
BINARY_TYPES = {"multipart/form-data", "application/octet-stream"}
# A JSON string escape for NUL; an escaped backslash before it (`\\u0000`) is plain text.
JSON_NUL_ESCAPE = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000", re.IGNORECASE)


def _is_api(request) -> bool:
    return request.path_info.startswith("/api/")


def bad_request(request, detail: str) -> HttpResponse:
    """A 400 with a reason: JSON in the API's error shape under /api/, plain text elsewhere."""
    if _is_api(request):
        return JsonResponse({"code": "invalid", "detail": detail}, status=400)
    return HttpResponse(
        f"Bad request: {detail}\n", status=400, content_type="text/plain; charset=utf-8"
    )


def _has_nul(pairs) -> bool:
    return any(NUL in key or NUL in value for key, values in pairs for value in values)


class RejectBadInputMiddleware:
    """Answer 400 to a NUL byte in the path, query, cookies or body, and to unparseable forms."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        too_large = self.too_large(request)
        if too_large:
            return too_large
        try:
            problem = self.problem(request)
        except (MultiPartParserError, SuspiciousOperation, BadRequest) as error:
            # Django would answer these 400 too, but only once a view reads the form; the API
            # reads bodies itself and would show a traceback instead.
            logger.warning("Unreadable request on %s: %s", request.path_info, error)
            problem = "the request could not be read (malformed or too large)."
        if problem:
            return bad_request(request, problem)
        return self.get_response(request)

    @staticmethod
    def too_large(request) -> HttpResponse | None:
        """413 before a byte of an over-long body is read (the largest form, a document
        review's five 10 MB files, fits under `MAX_REQUEST_BODY_BYTES`)."""
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return bad_request(request, "the Content-Length header is not a number.")
        limit = settings.MAX_REQUEST_BODY_BYTES
        if length <= limit:
            return None
        detail = f"the request is larger than {limit // (1024 * 1024)} MB; nothing was saved."
        response = bad_request(request, detail)
        response.status_code = 413
        return response

    @staticmethod
    def problem(request) -> str | None:
        where = None
        if NUL in request.path_info:
            where = "address"
        elif NUL in request.META.get("QUERY_STRING", "") or _has_nul(request.GET.lists()):
            where = "query string"
        elif any(NUL in key or NUL in value for key, value in request.COOKIES.items()):
            where = "cookies"
        elif request.method == "POST" and request.content_type in FORM_TYPES:
            if request.content_type == "multipart/form-data":
                _keep_small_body_readable(request)
            # Upload file names need no check: Django drops non-printable characters from them.
            if _has_nul(request.POST.lists()) or any(NUL in key for key in request.FILES):
                where = "form"
        elif not _may_hold_nul(request) and _body_has_nul(request):
            where = "request body"
        if where:
            return f"the {where} contains a NUL character (\\u0000), which is never valid."
        return None


def _may_hold_nul(request) -> bool:
    # The API parses JSON whatever type a request claims, so it never takes a binary body.
    return request.content_type in BINARY_TYPES and not _is_api(request)


def _keep_small_body_readable(request) -> None:
    """Read a small multipart body into memory first so that views may still read `request.body`.

    Parsing a form from the stream consumes it; for bodies under Django's in-memory limit we
    read the bytes once and let Django parse the copy (as it does when a view touched
    `request.body` first). Large uploads are parsed from the stream as before.
    """
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if limit is not None and length <= limit:
        request.body  # noqa: B018 (reading caches the bytes)


def _body_has_nul(request) -> bool:
    body = request.body
    if not body:
        return False
    if b"\x00" in body or JSON_NUL_ESCAPE.search(body):
        return True
    if request.content_type == "application/x-www-form-urlencoded":
        return b"%00" in body
    return False


# The Wagtail admin (and its page previews) and the Django admin render inline scripts and styles.
ADMIN_PREFIXES = ("/admin/", "/django-admin/")


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """`CONTENT_SECURITY_POLICY` for the site; `MEDPATH_ADMIN_CSP` under the admin prefixes."""

    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if (
            not report_only
            and parts.config is None
            and request.path_info.startswith(ADMIN_PREFIXES)
        ):
            parts.config = settings.MEDPATH_ADMIN_CSP
        return parts


class SecurityHeadersMiddleware:
    """Permissions-Policy everywhere; no caching of responses that carry personal data."""

    PRIVATE_PREFIXES = ("/dashboard/", "/coach/", "/accounts/", "/checkout/", "/book/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", self.permissions_policy(response))
        if "Cache-Control" not in response and self.is_private(request, response):
            patch_cache_control(response, private=True, no_store=True)
        return response

    @staticmethod
    def permissions_policy(response) -> str:
        # Recording a practice answer is the only feature that needs the microphone and the
        # camera: the page that records marks its response (`records_media`); no other may.
        media = "(self)" if getattr(response, "records_media", False) else "()"
        return f"microphone={media}, camera={media}, geolocation=()"

    def is_private(self, request, response) -> bool:
        if request.path_info.startswith(self.PRIVATE_PREFIXES):
            return True
        user = getattr(request, "user", None)
        return bool(user is not None and user.is_authenticated)
