"""Writes to accounts. Views and forms call these; nothing else changes a user's profile."""

import logging

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction

from core.timezones import validate_time_zone

logger = logging.getLogger(__name__)

User = get_user_model()


@transaction.atomic
def user_update_profile(*, user: User, display_name: str, time_zone: str) -> User:
    """Set how we address the user and the zone their times are shown in.

    Raises `ValidationError` keyed by field (``{"time_zone": [...]}``) for a zone we don't know,
    so a form can show it next to the field.
    """
    try:
        validate_time_zone(time_zone)
    except ValidationError as error:
        raise ValidationError({"time_zone": error.error_list}) from error
    user.display_name = display_name.strip()
    user.time_zone = time_zone
    user.save(update_fields=["display_name", "time_zone"])
    logger.info("user %s updated their profile (time zone %s)", user.pk, time_zone)
    return user
