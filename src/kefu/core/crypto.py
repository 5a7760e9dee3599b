"""Secrets kept at rest (an identity provider's client secret, an SMS provider's AccessKey secret): Fernet (AES-128-CBC with
HMAC-SHA256) under a key from settings — KEFU_ENCRYPTION_KEY (a Fernet key) when set, else
derived from KEFU_SECRET_KEY with HKDF, so changing the secret key makes stored secrets
unreadable (they are then entered again)."""

from __future__ import annotations

import base64
from functools import cache

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from kefu.settings import get_settings


class UnreadableSecret(Exception):
    """A stored secret that the current key cannot decrypt."""


@cache
def _fernet(secret_key: str, encryption_key: str | None) -> Fernet:
    if encryption_key:
        return Fernet(encryption_key.encode())
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"kefu stored secrets").derive(
        secret_key.encode()
    )
    return Fernet(base64.urlsafe_b64encode(derived))


def _current() -> Fernet:
    settings = get_settings()
    return _fernet(settings.secret_key, settings.encryption_key)


def encrypt(plain: str) -> str:
    return _current().encrypt(plain.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _current().decrypt(token.encode()).decode()
    except (InvalidToken, ValueError) as exc:
        raise UnreadableSecret() from exc
