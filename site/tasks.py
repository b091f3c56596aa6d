"""Project-wide background tasks (django-q2 entry points)."""

from django.core.management import call_command


def clear_expired_sessions() -> None:
    """Drop expired database sessions; safe to run twice or late."""
    call_command("clearsessions")
