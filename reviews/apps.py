from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    """Document reviews: submissions paid with a credit, private files, rounds, returns."""

    name = "reviews"
    verbose_name = "Document reviews"
    default_auto_field = "django.db.models.BigAutoField"
