from django.apps import AppConfig


class MembersConfig(AppConfig):
    """Entitlements (what a package's perks unlock, until when) and, on top of them, the
    members' area."""

    name = "members"
    verbose_name = "Members"
    default_auto_field = "django.db.models.BigAutoField"
