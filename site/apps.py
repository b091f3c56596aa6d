from django.apps import AppConfig
from django.db.models.signals import post_migrate


class MedpathConfig(AppConfig):
    """The project package itself: demo loader, health checks, schedules, shared template tags."""

    name = "medpath"
    verbose_name = "MedPath"

    def ready(self):
        from medpath.page_cache import connect_purge_signals
        from medpath.schedules import sync_schedules

        connect_purge_signals()
        post_migrate.connect(sync_schedules, sender=self, dispatch_uid="medpath-sync-schedules")
