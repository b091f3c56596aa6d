"""Project-wide background tasks (django-q2 entry points)."""

from django.core.management import call_command

from core.schedules import recurring
from medpath import background


@recurring("clear-expired-sessions", minutes=24 * 60)
def clear_expired_sessions() -> None:
    """Drop expired database sessions; safe to run twice or late."""
    call_command("clearsessions")


@recurring(background.HEARTBEAT, minutes=1)
def heartbeat() -> int:
    """The worker's heartbeat (its recorded success); logs jobs that turned late or failing."""
    return background.worker_heartbeat()
