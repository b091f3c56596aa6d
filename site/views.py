"""Project-level views: health checks for load balancers and orchestrators."""

import logging

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

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
        {"status": "ok" if ready else "failing", "checks": checks}, status=200 if ready else 503
    )
