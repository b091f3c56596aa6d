"""Secrets kept encrypted at rest: coaches' calendar addresses and app passwords.

`seal(text)` encrypts with the newest key and `unseal(token)` decrypts with any key still
listed, so keys rotate without a migration: put the new key first in `FIELD_ENCRYPTION_KEYS`,
keep the old ones after it until `reseal` (or re-saving) has moved every value to the new key,
then drop them. The keys are Fernet keys (the `cryptography` package: AES-128-CBC with an
HMAC-SHA256, authenticated, with a timestamp); nothing here is home-made crypto.

With no key configured (a development checkout, `make run`) one key is derived from
`SECRET_KEY` with HKDF, so the demo works unset; production sets its own keys (README), since
a changed `SECRET_KEY` would otherwise make every sealed value unreadable.

`SealedTextField` is a model field whose Python value is the plain text and whose database
value is the token; plain text never reaches the database, a query log or a dump.
"""

from __future__ import annotations

import base64
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db import models


class SealError(ValueError):
    """A token no configured key opens (tampered with, or sealed with a key since dropped)."""


def derived_key(secret_key: str) -> bytes:
    """The Fernet key a checkout without `FIELD_ENCRYPTION_KEYS` uses, derived from its
    `SECRET_KEY` (HKDF-SHA256 with a purpose label): the same secret always gives the same key."""
    material = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"medpath sealed fields"
    ).derive(secret_key.encode())
    return base64.urlsafe_b64encode(material)


@lru_cache(maxsize=8)
def _keys(configured: tuple[str, ...], secret_key: str) -> MultiFernet:
    keys = [key.encode() for key in configured if key] or [derived_key(secret_key)]
    return MultiFernet([Fernet(key) for key in keys])


def _fernet() -> MultiFernet:
    configured = tuple(getattr(settings, "FIELD_ENCRYPTION_KEYS", ()) or ())
    return _keys(configured, settings.SECRET_KEY)


def seal(text: str) -> str:
    """`text` encrypted with the newest key, as URL-safe text."""
    return _fernet().encrypt(text.encode()).decode()


def unseal(token: str) -> str:
    """The text a token holds, opened with any configured key; `SealError` if none opens it."""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except (InvalidToken, ValueError, TypeError) as error:
        raise SealError("This value cannot be decrypted with the configured keys.") from error


def reseal(token: str) -> str:
    """The same text sealed with the newest key (key rotation); `SealError` as `unseal`."""
    try:
        return _fernet().rotate(token.encode()).decode()
    except (InvalidToken, ValueError, TypeError) as error:
        raise SealError("This value cannot be decrypted with the configured keys.") from error


class SealedTextField(models.TextField):
    """Text stored sealed (see the module): the attribute is the plain text, the column the
    token. Empty text is stored as empty (nothing to hide). Not searchable or orderable by
    meaning, by design."""

    description = "Text encrypted at rest"

    def from_db_value(self, value, expression, connection):
        if not value:
            return value
        return unseal(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if not value:
            return value
        return seal(value)
