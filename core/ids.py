"""Opaque public ids for anything whose id appears in a URL (bookings, orders, reviews, ...)."""

import secrets


def new_public_id() -> str:
    """22 URL-safe characters (about 131 bits) from the OS random source: unguessable."""
    return secrets.token_urlsafe(16)[:22]


def new_secret_token() -> str:
    """A longer secret for capability URLs such as a coach's calendar feed."""
    return secrets.token_urlsafe(32)


class PublicIdConverter:
    """URL converter for public ids and tokens: URL-safe base64 characters only, so a NUL byte
    or other junk in a URL is a 404 before it reaches the database (PostgreSQL refuses NUL in
    text and would answer with an error)."""

    regex = r"[A-Za-z0-9_-]{1,64}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value
