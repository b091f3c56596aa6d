from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The bottom layer: shared by every app, importing none of them."""

    name = "core"
    verbose_name = "Core"
