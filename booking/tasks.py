"""django-q2 entry points for scheduling: each safe to run twice and safe to run late."""

from booking import services


def expire_stale_holds() -> int:
    return services.bookings_expire_stale_holds()


def send_reminders() -> int:
    return services.bookings_send_reminders()
