"""The identity tests' fixtures: a real OpenID provider (tests/identity/provider.py) for the
session, and tenants whose slugs the provider's static clients know."""

from __future__ import annotations

import os
import uuid

import pytest

from tests.identity.provider import ProviderUnavailable, RunningProvider, StaticClient

SLUG_POOL = 40


@pytest.fixture(scope="session")
def oidc_provider():
    slugs = [f"idp-{uuid.uuid4().hex[:8]}-{i}" for i in range(SLUG_POOL)]
    provider = RunningProvider(slugs, {"a": StaticClient("kefu-a"), "b": StaticClient("kefu-b")})
    try:
        provider.start()
    except ProviderUnavailable as exc:
        if os.environ.get("KEFU_CI") == "1":
            pytest.fail(f"the test OpenID provider cannot run: {exc}")
        pytest.skip(f"the test OpenID provider cannot run: {exc}")
    yield provider
    provider.stop()
