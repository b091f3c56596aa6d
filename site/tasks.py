"""Project-wide background tasks (django-q2 entry points)."""

from django.core.management import call_command

from core.schedules import recurring
from medpath import background


@recurring("clear-expired-sessions", minutes=24 * 60)
def clear_expired_sessions() -> None:
    """Drop expired database sessions; safe to run twice or late."""
    call_command("clearsessions")


@recurring("heartbeat", minutes=1)
def heartbeat() -> int:
    """Tell the web processes the worker is alive; log jobs that turned late or failing."""
    return background.worker_heartbeat()
