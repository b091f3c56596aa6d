"""Project-level views: health checks for load balancers and orchestrators."""

import logging

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import Http404, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.static import serve as static_serve

from medpath.background import heartbeat_of, job_statuses

logger = logging.getLogger(__name__)


@never_cache
@require_GET
def healthz(request):
    """Liveness: the process answers. Touches nothing external."""
    return JsonResponse({"status": "ok"})


def _check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _check_cache():
    cache.set("readyz", "1", 5)
    if cache.get("readyz") != "1":
        raise RuntimeError("cache did not return what was stored")


def _check_broker():
    from django_q.brokers import get_broker

    if not get_broker().ping():
        raise RuntimeError("broker did not answer")


@never_cache
@require_GET
def readyz(request):
    """Readiness: the database, the cache and the task broker all answer."""
    checks = {}
    for name, check in (
        ("database", _check_database),
        ("cache", _check_cache),
        ("broker", _check_broker),
    ):
        try:
            check()
        except Exception:
            logger.exception("readiness check %s failed", name)
            checks[name] = "failing"
        else:
            checks[name] = "ok"
    ready = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if ready else "failing", "checks": checks, "background": _background()},
        status=200 if ready else 503,
    )


def _background() -> dict:
    """The worker's heartbeat and the recurring jobs that are late or failing: information for
    whoever watches, never a reason to take a web process out of rotation (a stuck worker is
    not fixed by restarting the web)."""
    try:
        statuses = job_statuses()
    except Exception:
        logger.exception("readiness: could not read the background jobs' state")
        return {"state": "unknown"}
    beat = heartbeat_of(statuses).last_success_at
    return {
        "heartbeat": beat.isoformat() if beat else None,
        "late": [status.job.name for status in statuses if status.late],
        "failing": [status.job.name for status in statuses if status.failing],
    }


@require_GET
def public_media(request, path: str):
    """One uploaded public file from `MEDIA_ROOT` (with `SERVE_MEDIA`, no bucket configured).

    Django's static view refuses paths that leave `MEDIA_ROOT` (404) and never lists folders;
    only images live there (private files are in their own storage outside it). The response
    is never sniffed as another type, runs nothing if opened directly, and may be cached: a
    changed image gets a new name from Wagtail.
    """
    if not (settings.DEBUG or settings.SERVE_MEDIA):
        raise Http404("Media files are not served by this site.")
    response = static_serve(request, path, document_root=settings.MEDIA_ROOT)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "public, max-age=86400"
    return response
