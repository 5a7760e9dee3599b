"""argon2id password hashing (argon2-cffi's defaults follow RFC 9106's recommendations)."""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError

from kefu.settings import get_settings

MIN_LENGTH = 10
MAX_LENGTH = 200


@cache
def _hasher_for(env: str) -> tuple[PasswordHasher, str]:
    """The hasher, and a hash verified against when the email is unknown (both paths then cost
    the same: no enumeration). The test settings keep argon2id but take its cheapest parameters:
    at the default cost each hash or check spends ~0.1 s of CPU, a third of the suite's time."""
    hasher = PasswordHasher.from_parameters(profiles.CHEAPEST) if env == "test" else PasswordHasher()
    return hasher, hasher.hash("kefu-timing-equaliser")


def _hasher() -> tuple[PasswordHasher, str]:
    return _hasher_for(get_settings().env)


def hash_password(password: str) -> str:
    return _hasher()[0].hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    hasher, dummy = _hasher()
    try:
        return hasher.verify(password_hash or dummy, password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher()[0].check_needs_rehash(password_hash)


def password_problem(password: str) -> str | None:
    """A msgid describing what is wrong with a new password, or None."""
    if len(password) < MIN_LENGTH:
        return "The password must be at least %(min)s characters long."
    if len(password) > MAX_LENGTH:
        return "The password must be at most %(max)s characters long."
    return None
