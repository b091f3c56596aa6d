"""django-q2 entry points for webinars: each safe to run twice and safe to run late."""

from members import webinar_services


def send_reminders() -> int:
    return webinar_services.webinar_registrations_send_reminders()
