"""django-q2 entry points for scheduling: each safe to run twice and safe to run late."""

from booking import services
from core.schedules import recurring


@recurring("expire-stale-holds", minutes=1)
def expire_stale_holds() -> int:
    return services.bookings_expire_stale_holds()


@recurring("send-booking-reminders", minutes=5)
def send_reminders() -> int:
    return services.bookings_send_reminders()
