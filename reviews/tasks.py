"""django-q2 entry points for document reviews (listed in site/schedules.py); each calls one
service that is safe to run twice or late."""

from core.schedules import recurring
from reviews import services


@recurring("send-review-reminders", minutes=30)
def send_reminders() -> int:
    return services.reviews_send_reminders()


@recurring("send-review-overdue-notices", minutes=30)
def send_overdue_notices() -> int:
    return services.reviews_send_overdue_notices()


@recurring("auto-close-reviews", minutes=60)
def auto_close() -> int:
    return services.reviews_auto_close()


@recurring("purge-review-files", minutes=24 * 60)
def purge_files() -> int:
    return services.reviews_purge_files()
