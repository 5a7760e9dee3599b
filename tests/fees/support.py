"""Helpers for the fee tests."""

from __future__ import annotations

import re

from kefu.core.scoping import get_in_tenant, scoped_count, scoped_objects
from kefu.db import transaction
from kefu.fees.tables import Bill


def field_invalid(html: str, name: str) -> bool:
    pattern = rf'name="{re.escape(name)}"[^>]*aria-invalid="true"'
    return bool(re.search(pattern, html)) and f'id="{name}-error"' in html


async def count(tenant, table=Bill) -> int:
    async with transaction(tenant.id, write=False):
        return await scoped_count(table, tenant.id)


async def rows(tenant, table=Bill) -> list:
    async with transaction(tenant.id, write=False):
        return await scoped_objects(table, tenant.id).order_by(table.id)


async def reload(tenant, bill_id: int) -> Bill:
    async with transaction(tenant.id, write=False):
        return await get_in_tenant(Bill, tenant.id, bill_id)


async def in_tx(tenant, coro_fn, *args):
    """A service called as a request calls it: inside the tenant's transaction."""
    async with transaction(tenant.id):
        return await coro_fn(*args)
