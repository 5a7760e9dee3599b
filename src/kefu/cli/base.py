"""What every command shares: one clear error, and its async work run to the end."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any


class CliError(Exception):
    pass


def run(coro: Coroutine[Any, Any, Any]) -> None:
    asyncio.run(coro)


async def tenant_of(slug: str) -> Any:
    """The tenant of a --tenant SLUG, or CliError."""
    from kefu.tenancy.tables import Tenant

    tenant = await Tenant.objects().where(Tenant.slug == slug).first()
    if tenant is None:
        raise CliError(f"no tenant {slug!r}")
    return tenant
