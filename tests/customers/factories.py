"""Customers and imports inserted directly, for tests and for the isolation sweep.

ID_FACTORIES has the sweep's shape ({path parameter: async (tenant, marker=…) -> id}): the
marker is the customer's name, or the import's file name (both shown on their pages).
"""

from __future__ import annotations

from kefu.customers import policy
from kefu.customers.tables import Customer, CustomerImport, CustomerTag
from kefu.db import transaction
from tests import factories


async def customer(tenant, name: str | None = None, *, tags: list[str] = (), **fields) -> Customer:
    kind = fields.pop("kind", policy.kinds_for(tenant.kind)[0])
    row = Customer(tenant=tenant.id, kind=kind, name=name or factories.unique("客户"), **fields)
    async with transaction(tenant.id):
        await row.save()
        row.household = policy.household_key(row.kind, row.building, row.unit, row.id)
        await row.save([Customer.household])
        for tag in tags:
            await CustomerTag(tenant=tenant.id, customer=row.id, tag=tag).save()
    return row


async def customer_import(tenant, filename: str | None = None, *, rows=None, errors=None) -> CustomerImport:
    rows = rows if rows is not None else [{"row": 2, "values": {"name": "导入客户"}}]
    errors = errors or []
    row = CustomerImport(
        tenant=tenant.id, filename=filename or f"{factories.unique('import')}.csv", rows=rows,
        errors=errors, row_count=len(rows), error_count=len(errors),
    )
    async with transaction(tenant.id):
        await row.save()
    return row


async def _customer_id(tenant, marker: str) -> int:
    return (await customer(tenant, marker)).id


async def _import_id(tenant, marker: str) -> int:
    return (await customer_import(tenant, f"{marker}.xlsx")).id


ID_FACTORIES = {"customer_id": _customer_id, "import_id": _import_id}
