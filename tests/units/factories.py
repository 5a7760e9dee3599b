"""Buildings, units and imports inserted directly, for tests and for the isolation sweep.

ID_FACTORIES has the sweep's shape ({path parameter: async (tenant, marker=…) -> id}): the
marker is the unit's notes (shown on its page) or the import's file name.
"""

from __future__ import annotations

import itertools
from decimal import Decimal

from kefu.db import transaction
from kefu.units import policy
from kefu.units.tables import Building, Move, MoveItem, Residency, Unit, UnitImport
from tests import factories

_rooms = itertools.count(101)


async def building(tenant, name: str = "1栋") -> Building:
    async with transaction(tenant.id):
        from kefu.units.services import building_for

        return await building_for(tenant.id, name)


async def unit(tenant, building_name: str = "1栋", room: str | None = None, *, entrance: str = "",
               use: str = "residential", area: str | None = "89.50", notes: str = "",
               occupancy: str = "vacant") -> Unit:
    b = await building(tenant, building_name)
    room = room or str(next(_rooms))
    row = Unit(
        tenant=tenant.id, building=b.id, entrance=policy.entrance_code(entrance),
        room=policy.room_code(room).upper(), floor=policy.floor_of(room),
        address_key=policy.address_key(building_name, entrance, room),
        area=Decimal(area) if area else None, use=use, notes=notes, occupancy=occupancy,
    )
    async with transaction(tenant.id):
        await row.save()
    return row


async def unit_import(tenant, filename: str | None = None, *, rows=None, errors=None) -> UnitImport:
    rows = rows if rows is not None else [{"row": 2, "values": {"building": "1栋", "room": "101"}}]
    errors = errors or []
    row = UnitImport(
        tenant=tenant.id, filename=filename or f"{factories.unique('units')}.csv", rows=rows,
        errors=errors, row_count=len(rows), error_count=len(errors),
    )
    async with transaction(tenant.id):
        await row.save()
    return row


async def residency(tenant, unit_row: Unit | None = None, name: str | None = None, *,
                    role: str = "owner", phone: str = "13800000000") -> Residency:
    from tests.customers import factories as customer_factories

    unit_row = unit_row or await unit(tenant)
    c = await customer_factories.customer(tenant, name, kind="owner", phone=phone)
    row = Residency(tenant=tenant.id, unit=unit_row.id, customer=c.id, role=role,
                    phone_tail=policy.phone_tail(phone))
    async with transaction(tenant.id):
        await row.save()
    return row


async def move(tenant, unit_row: Unit | None = None, *, kind: str = "move_out", note: str = "") -> Move:
    unit_row = unit_row or await unit(tenant, occupancy="let" if kind == "move_out" else "vacant")
    row = Move(tenant=tenant.id, unit=unit_row.id, kind=kind)
    async with transaction(tenant.id):
        await row.save()
        codes = [c.code for c in getattr(policy.units_pack("property"), kind)]
        for code in codes:
            await MoveItem(tenant=tenant.id, move=row.id, code=code, note=note).save()
    return row


async def _move_id(tenant, marker: str) -> int:
    return (await move(tenant, note=marker)).id


async def _residency_id(tenant, marker: str) -> int:
    return (await residency(tenant, name=marker)).id


async def _unit_id(tenant, marker: str) -> int:
    return (await unit(tenant, "9栋", notes=marker)).id


async def _import_id(tenant, marker: str) -> int:
    return (await unit_import(tenant, f"{marker}.xlsx")).id


ID_FACTORIES = {"unit_id": _unit_id, "residency_id": _residency_id, "move_id": _move_id, ("/t/{slug:str}/units/import", "import_id"): _import_id}
