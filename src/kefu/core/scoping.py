"""Tenant-scoped reads. Every query of a tenant-owned table outside this module goes through
`scoped()` or `get_in_tenant()`, so another tenant's id behaves exactly like a missing one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from litestar.exceptions import NotFoundException
from piccolo.columns import ForeignKey, Selectable, Serial
from piccolo.query import Objects, Select
from piccolo.query.methods.count import Count
from piccolo.table import Table

T = TypeVar("T", bound=Table)
MAX_ID = 2**31 - 1


class TenantScoped:
    """Marks a table as tenant-owned (a `tenant` column naming its tenant). The tenancy module's
    TenantOwned mixin, which holds that column, derives from it; core cannot import that mixin."""

    if TYPE_CHECKING:  # declared by TenantOwned and by Piccolo (the serial primary key)
        id: Serial
        tenant: ForeignKey[Any]


def _tenant_column(table: type[Table]) -> ForeignKey[Any]:
    if not issubclass(table, TenantScoped):
        raise TypeError(f"{table.__name__} is not tenant-owned")
    return table.tenant


def scoped(table: type[T], tenant_id: int, *columns: Selectable | str) -> Select[T]:
    return table.select(*columns).where(_tenant_column(table) == tenant_id)


def scoped_objects(table: type[T], tenant_id: int) -> Objects[T]:
    return table.objects().where(_tenant_column(table) == tenant_id)


def scoped_count(table: type[T], tenant_id: int) -> Count:
    return table.count().where(_tenant_column(table) == tenant_id)


async def get_in_tenant(table: type[T], tenant_id: int, object_id: int) -> T:
    """The object, or the same 404 whether it is missing or another tenant's."""
    if not 1 <= object_id <= MAX_ID:  # an integer column; PostgreSQL would reject the value
        raise NotFoundException()
    row = await scoped_objects(table, tenant_id).where(table._meta.primary_key == object_id).first()
    if row is None:
        raise NotFoundException()
    return row
