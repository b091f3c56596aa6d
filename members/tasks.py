"""django-q2 entry points for members: each safe to run twice and safe to run late."""

from members import services


def send_expiry_notices() -> int:
    return services.entitlements_send_expiry_notices()
