"""Fee items, bills and payments inserted directly, for tests and for the isolation sweep.

ID_FACTORIES has the sweep's shape ({path parameter: async (tenant, marker=…) -> id}): the
marker is the bill's unit's building name (shown on the bill, the unit's fees page and the
receipt) or a payment's reference.
"""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal

from kefu.db import transaction
from kefu.fees.tables import Bill, FeeItem, Payment
from tests.units import factories as unit_factories

_codes = itertools.count(1)


async def item(tenant, *, code: str | None = None, basis: str = "area", rate: str = "2.50",
               uses: str = "residential,shop", valid_from: date = date(2020, 1, 1),
               valid_until: date | None = None, name: str = "物业管理费") -> FeeItem:
    row = FeeItem(tenant=tenant.id, code=code or f"i{next(_codes)}", name=name, basis=basis,
                  rate=Decimal(rate), uses=uses, valid_from=valid_from, valid_until=valid_until)
    async with transaction(tenant.id):
        await row.save()
    return row


async def bill(tenant, *, unit_row=None, item_row=None, amount: str = "200.00", paid: str = "0",
               period: date = date(2026, 11, 1), due_on: date | None = None, building: str = "1栋") -> Bill:
    unit_row = unit_row or await unit_factories.unit(tenant, building)
    item_row = item_row or await item(tenant)
    row = Bill(tenant=tenant.id, unit=unit_row.id, item=item_row.id, period=period, days=30,
               quantity=Decimal(1), amount=Decimal(amount), paid=Decimal(paid),
               due_on=due_on or period.replace(day=15))
    async with transaction(tenant.id):
        await row.save()
    return row


async def payment(tenant, bill_row=None, *, amount: str = "50.00", reference: str = "",
                  receipt_no: str | None = None) -> Payment:
    bill_row = bill_row or await bill(tenant)
    row = Payment(tenant=tenant.id, bill=bill_row.id, amount=Decimal(amount), method="cash",
                  paid_on=date(2026, 11, 20), reference=reference,
                  receipt_no=receipt_no or f"T{next(_codes):08d}")
    async with transaction(tenant.id):
        await row.save()
    return row


async def _marked_bill(tenant, marker: str) -> Bill:
    return await bill(tenant, item_row=await item(tenant, name=marker[:50]))


async def _bill_id(tenant, marker: str) -> int:
    return (await _marked_bill(tenant, marker)).id


async def _payment_id(tenant, marker: str) -> int:
    return (await payment(tenant, await _marked_bill(tenant, marker), reference=marker[:100])).id


async def _item_id(tenant, marker: str) -> int:
    return (await item(tenant, name=marker[:50])).id


# item_id is also a duties meeting's action item: told apart by path.
ID_FACTORIES = {"bill_id": _bill_id, "payment_id": _payment_id, ("/t/{slug:str}/fees/items", "item_id"): _item_id}
