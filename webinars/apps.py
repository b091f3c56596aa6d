from django.apps import AppConfig


class WebinarsConfig(AppConfig):
    """Live webinars: seats and a waitlist, members' or free audiences, hosts' pages,
    recordings, reminders. Its tables keep the names they had inside `members`."""

    name = "webinars"
    verbose_name = "Webinars"
    default_auto_field = "django.db.models.BigAutoField"
