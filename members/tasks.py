"""django-q2 entry points for members: each safe to run twice and safe to run late."""

from core.schedules import recurring
from members import services


@recurring("send-perk-expiry-notices", minutes=60)
def send_expiry_notices() -> int:
    return services.entitlements_send_expiry_notices()
