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


def admin_profile_in_step(*, user: User):
    """Wagtail's admin profile for `user`, made if missing, with the account's zone.

    Wagtail runs every admin view in its profile's `current_time_zone` (UTC without a
    profile), so the go-live time an editor types is read, and every admin time shown, in
    that zone. The account's `time_zone` (/accounts/profile/) is the one truth; Wagtail's own
    zone picker is hidden (`WAGTAIL_USER_TIME_ZONES = []`). Costs one query when nothing
    changed, the one Wagtail would make to read the profile anyway.
    """
    from wagtail.users.models import UserProfile

    profile, _ = UserProfile.objects.get_or_create(
        user=user, defaults={"current_time_zone": user.time_zone}
    )
    if profile.current_time_zone != user.time_zone:
        profile.current_time_zone = user.time_zone
        profile.save(update_fields=["current_time_zone"])
    return profile
