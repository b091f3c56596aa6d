"""Where a session happens: its own video room, or the coach's fixed link.

Every booking gets an unguessable room name when it is confirmed (`Booking.meeting_room`,
kept across reschedules); before that (a hold waiting for payment) it has no link. Once
confirmed, the link people join is, in this order:
1. the coach's own fixed link (`Coach.meeting_url`) when the coach has one: a coach who set
   a link of their own has chosen it for every session;
2. else the booking's room on `MEETING_BASE_URL` (a Jitsi server: https://meet.jit.si/ by
   default, or a self-hosted one);
3. else nothing (no base URL configured and no fixed link).

Only the applicant, the coach and staff are shown a booking, so only they see its link.
"""

from __future__ import annotations

import secrets
import string

from django.conf import settings

# Jitsi folds room names to lower case, so the randomness is counted in lower-case letters
# and digits: 36^20 is about 2^103 names.
ROOM_ALPHABET = string.ascii_lowercase + string.digits
ROOM_LENGTH = 20
ROOM_PREFIX = "medpath-"


def new_room_name() -> str:
    """A fresh, unguessable room name, e.g. `medpath-k3v9q0x2...`."""
    return ROOM_PREFIX + "".join(secrets.choice(ROOM_ALPHABET) for _ in range(ROOM_LENGTH))


def meeting_link(*, own_link: str, room: str) -> str:
    """The link to join: none before confirmation (no room yet), then the coach's own link if
    set, else the room on the video server."""
    if not room:
        return ""
    if own_link:
        return own_link
    base = settings.MEETING_BASE_URL
    if base:
        return f"{base.rstrip('/')}/{room}"
    return ""
