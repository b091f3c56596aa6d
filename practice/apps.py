from django.apps import AppConfig


class PracticeConfig(AppConfig):
    """Timed CASPer-style practice tests and MMI stations, and the coaches' scores."""

    name = "practice"
    verbose_name = "Practice tests"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from coaching.work_queue import register_work_kind
        from practice.models import Attempt
        from practice.selectors import open_count_for

        # Attempts being scored count against the coach's one limit of open items
        # (docs/architecture.md).
        register_work_kind(Attempt.work_kind, open_count_for=open_count_for)
