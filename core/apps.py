from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The bottom layer: shared by every app, importing none of them."""

    name = "core"
    verbose_name = "Core"

    def ready(self):
        from django.urls import register_converter

        from core.ids import PublicIdConverter

        # `<public_id:...>` in any URLconf: ids of URL-safe characters only (core.ids).
        register_converter(PublicIdConverter, "public_id")
