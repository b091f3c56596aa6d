"""django-q2 entry points for webinars: each safe to run twice and safe to run late."""

from core.schedules import recurring
from webinars import services as webinar_services


@recurring("send-webinar-reminders", minutes=5)
def send_reminders() -> int:
    return webinar_services.webinar_registrations_send_reminders()
