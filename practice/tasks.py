"""django-q2 entry points for practice: each safe to run twice and safe to run late."""

from core.schedules import recurring
from practice import services


@recurring("close-overdue-practice", minutes=1)
def close_overdue() -> int:
    return services.attempts_close_overdue()


@recurring("delete-expired-recordings", minutes=24 * 60)
def delete_expired_recordings() -> int:
    return services.recordings_delete_expired()
