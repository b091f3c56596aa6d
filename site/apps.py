from django.apps import AppConfig


class MedpathConfig(AppConfig):
    """The project package itself: demo loader, health checks, shared template tags."""

    name = "medpath"
    verbose_name = "MedPath"
