"""django-q2 entry points for practice: each safe to run twice and safe to run late."""

from practice import services


def close_overdue() -> int:
    return services.attempts_close_overdue()


def delete_expired_recordings() -> int:
    return services.recordings_delete_expired()
