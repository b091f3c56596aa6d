from django.apps import AppConfig
from django.db.models.signals import post_migrate


class MedpathConfig(AppConfig):
    """The project package itself: demo loader, health checks, schedules, shared template tags."""

    name = "medpath"
    verbose_name = "MedPath"

    def ready(self):
        from django_q.signals import post_execute

        from medpath.background import record_task_outcome
        from medpath.page_cache import connect_purge_signals
        from medpath.schedules import sync_schedules

        connect_purge_signals()
        # Sent for this app because it has a models module (medpath.models): every `migrate`
        # registers every recurring job.
        post_migrate.connect(sync_schedules, sender=self, dispatch_uid="medpath-sync-schedules")
        # In the worker, after each task is saved: a scheduled job's last success or failure.
        post_execute.connect(record_task_outcome, dispatch_uid="medpath-record-task-outcome")
