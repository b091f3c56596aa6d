"""Opaque public ids for anything whose id appears in a URL (bookings, orders, reviews, ...)."""

import secrets


def new_public_id() -> str:
    """22 URL-safe characters (about 131 bits) from the OS random source: unguessable."""
    return secrets.token_urlsafe(16)[:22]


def new_secret_token() -> str:
    """A longer secret for capability URLs such as a coach's calendar feed."""
    return secrets.token_urlsafe(32)
