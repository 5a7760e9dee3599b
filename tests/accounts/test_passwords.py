"""Password hashing: argon2id at RFC 9106's cost in every real environment; the test settings
take argon2id's cheapest parameters (the suite signs in thousands of times)."""

from __future__ import annotations

import dataclasses

import pytest

from kefu import settings as settings_module
from kefu.accounts.passwords import hash_password, needs_rehash, verify_password


def test_the_test_settings_hash_with_argon2id_and_check_like_production():
    stored = hash_password("correct-horse-battery")
    assert stored.startswith("$argon2id$v=19$m=8,t=1,p=1$")
    assert verify_password(stored, "correct-horse-battery")
    assert not verify_password(stored, "correct-horse-batterz")
    assert not verify_password(None, "correct-horse-battery")  # no account: checked, and refused
    assert not verify_password("not a hash", "correct-horse-battery")


@pytest.mark.parametrize("env", ["production", "development"])
def test_real_environments_pay_rfc_9106s_cost_and_upgrade_cheap_hashes(monkeypatch, env):
    base = settings_module.get_settings()
    cheap = hash_password("correct-horse-battery")
    monkeypatch.setattr(settings_module, "_settings", dataclasses.replace(base, env=env))
    stored = hash_password("correct-horse-battery")
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert verify_password(stored, "correct-horse-battery")
    assert verify_password(cheap, "correct-horse-battery")  # the parameters travel with the hash
    assert needs_rehash(cheap) and not needs_rehash(stored)  # sign-in upgrades a cheap one
