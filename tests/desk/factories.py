"""Desk rows inserted directly, for tests and for the isolation sweep.

ID_FACTORIES has the sweep's shape ({path parameter: async (tenant, marker=…) -> id}): the
marker is an order's notes, a renovation's contractor or an enquiry's question (each shown on
its page).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from kefu.core.scoping import get_in_tenant, scoped_objects
from kefu.db import transaction
from kefu.desk.tables import Enquiry, Inspection, Renovation, ServiceOrder
from tests.units import factories as unit_factories


async def order(tenant, *, unit_row=None, service: str = "cleaning", quantity: int = 2, price: str = "50.00",
                state: str = "open", notes: str = "", assignee: int | None = None) -> ServiceOrder:
    unit_row = unit_row or await unit_factories.unit(tenant)
    row = ServiceOrder(tenant=tenant.id, unit=unit_row.id, service=service, quantity=quantity,
                       price=Decimal(price), amount=Decimal(price) * quantity, state=state, notes=notes,
                       assignee=assignee)
    async with transaction(tenant.id):
        await row.save()
    return row


async def renovation(tenant, *, unit_row=None, contractor: str = "好家装饰", deposit: str = "2000.00",
                     state: str = "applied", prior: str = "") -> Renovation:
    unit_row = unit_row or await unit_factories.unit(tenant)
    row = Renovation(tenant=tenant.id, unit=unit_row.id, applicant="张三", contractor=contractor,
                     starts_on=date(2026, 12, 10), ends_on=date(2027, 2, 10), deposit=Decimal(deposit),
                     state=state, prior_occupancy=prior)
    async with transaction(tenant.id):
        await row.save()
    return row


async def inspection(tenant, renovation_row, *, result: str = "pass", on: date = date(2026, 12, 20)) -> Inspection:
    row = Inspection(tenant=tenant.id, renovation=renovation_row.id, department="engineering",
                     inspected_on=on, result=result)
    async with transaction(tenant.id):
        await row.save()
    return row


async def enquiry(tenant, *, question: str = "停车卡怎么办理？", topic: str = "parking", state: str = "open",
                  unit_row=None) -> Enquiry:
    row = Enquiry(tenant=tenant.id, unit=unit_row.id if unit_row else None, topic=topic, question=question,
                  state=state)
    async with transaction(tenant.id):
        await row.save()
    return row


async def reload(tenant, table, row_id: int):
    async with transaction(tenant.id, write=False):
        return await get_in_tenant(table, tenant.id, row_id)


async def rows(tenant, table) -> list:
    async with transaction(tenant.id, write=False):
        return await scoped_objects(table, tenant.id).order_by(table.id)


async def _order_id(tenant, marker: str) -> int:
    return (await order(tenant, notes=marker)).id


async def _renovation_id(tenant, marker: str) -> int:
    return (await renovation(tenant, contractor=marker[:100])).id


async def _enquiry_id(tenant, marker: str) -> int:
    return (await enquiry(tenant, question=marker)).id


ID_FACTORIES = {"order_id": _order_id, "renovation_id": _renovation_id, "enquiry_id": _enquiry_id}
