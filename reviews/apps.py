from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    """Document reviews: submissions paid with a credit, private files, rounds, returns."""

    name = "reviews"
    verbose_name = "Document reviews"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from coaching.work_queue import register_work_kind
        from reviews.models import Review
        from reviews.selectors import open_count_for

        # Open reviews count against the coach's one limit of open items (docs/architecture.md).
        register_work_kind(Review.work_kind, open_count_for=open_count_for)
