"""Secrets sealed at rest (core/sealed.py): a round trip, key rotation without losing old
values, tampering refused, a development key derived from SECRET_KEY."""

import pytest
from cryptography.fernet import Fernet

from core.sealed import SealedTextField, SealError, derived_key, reseal, seal, unseal

ADDRESS = "https://calendar.example/private-9f2c41/basic.ics"


def test_a_sealed_value_opens_and_does_not_show_the_text(settings):
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    token = seal(ADDRESS)
    assert "9f2c41" not in token and "calendar.example" not in token
    assert unseal(token) == ADDRESS
    assert seal(ADDRESS) != token  # a fresh IV every time


def test_keys_rotate_without_losing_old_values(settings):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [old]
    token = seal(ADDRESS)
    settings.FIELD_ENCRYPTION_KEYS = [new, old]  # the new key first, the old one kept
    assert unseal(token) == ADDRESS
    moved = reseal(token)
    settings.FIELD_ENCRYPTION_KEYS = [new]  # the old key dropped after resealing
    assert unseal(moved) == ADDRESS
    with pytest.raises(SealError):
        unseal(token)


@pytest.mark.parametrize("token", ["", "not a token", "gAAAAA" + "x" * 80, "\x00"])
def test_a_tampered_or_foreign_token_is_refused(settings, token):
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(SealError):
        unseal(token)


def test_without_keys_a_key_is_derived_from_the_secret_key(settings):
    settings.FIELD_ENCRYPTION_KEYS = []
    settings.SECRET_KEY = "one secret"
    token = seal(ADDRESS)
    assert unseal(token) == ADDRESS
    assert derived_key("one secret") == derived_key("one secret") != derived_key("another")
    settings.SECRET_KEY = "another"
    with pytest.raises(SealError):
        unseal(token)


def test_the_field_stores_the_token_and_gives_back_the_text(settings):
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    field = SealedTextField()
    stored = field.get_prep_value(ADDRESS)
    assert stored != ADDRESS and unseal(stored) == ADDRESS
    assert field.from_db_value(stored, None, None) == ADDRESS
    assert field.get_prep_value("") == "" and field.from_db_value("", None, None) == ""
