"""Background tasks for the guidance CMS."""

from django.core.management import call_command

from core.schedules import recurring


@recurring("publish-scheduled-pages", minutes=1)
def publish_scheduled_pages() -> None:
    """Publish pages (and other drafts) whose go-live time has come, unpublish expired ones.

    Wagtail's own command is idempotent, so running late or twice is harmless.
    """
    call_command("publish_scheduled")
