from django.apps import AppConfig


class PracticeConfig(AppConfig):
    """Timed CASPer-style practice tests and MMI stations, and the coaches' scores."""

    name = "practice"
    verbose_name = "Practice tests"
    default_auto_field = "django.db.models.BigAutoField"
