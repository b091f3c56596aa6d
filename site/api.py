"""The project's JSON API at /api/v1/ (django-ninja), OpenAPI schema at /api/v1/openapi.json.

Session authentication with CSRF for writes (ninja's `django_auth` checks the CSRF token on
unsafe methods). Every error is JSON `{"code": ..., "detail": ...}` with a 4xx status: domain
errors carry their own code and status, bad input is 400, never a 500 with a traceback.
Apps add their routers below.
"""

from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from core.errors import DomainError

api = NinjaAPI(
    title="MedPath API",
    version="1",
    urls_namespace="api",
    description="Services, coaches, free slots and bookings.",
)


def _error(request, code: str, detail, status: int):
    return api.create_response(request, {"code": code, "detail": detail}, status=status)


@api.exception_handler(DomainError)
def domain_error(request, exc: DomainError):
    return _error(request, exc.code, exc.message, exc.status)


@api.exception_handler(ValidationError)
def validation_error(request, exc: ValidationError):
    problems = [
        f"{'.'.join(str(part) for part in error.get('loc', ())[1:]) or 'request'}: {error.get('msg')}"
        for error in exc.errors
    ]
    return _error(request, "invalid", "; ".join(problems) or "The request is not valid.", 400)


@api.exception_handler(AuthenticationError)
def not_authenticated(request, exc):
    return _error(request, "not_authenticated", "Log in first.", 401)


@api.exception_handler(Http404)
def not_found(request, exc):
    return _error(request, "not_found", "Not found.", 404)


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    return _error(request, "error", str(exc), exc.status_code)


# --- accounts (time zones) ---
from medpath.accounts.api import router as accounts_router  # noqa: E402

api.add_router("/", accounts_router)

# --- booking ---
from booking.api import router as booking_router  # noqa: E402

api.add_router("/", booking_router)

# --- payments ---
from payments.api import router as payments_router  # noqa: E402

api.add_router("/", payments_router)
