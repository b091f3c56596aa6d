"""django-q2 entry points for document reviews (listed in site/schedules.py); each calls one
service that is safe to run twice or late."""

from reviews import services


def send_reminders() -> int:
    return services.reviews_send_reminders()


def send_overdue_notices() -> int:
    return services.reviews_send_overdue_notices()


def auto_close() -> int:
    return services.reviews_auto_close()


def purge_files() -> int:
    return services.reviews_purge_files()
