"""Demo units for `kefu demo`: a property centre's 1栋–4栋 (entrances 1–3, floors 1–9, four
flats a floor: the flats the demo customers were registered with), shops and parking spaces;
the demo owners and residents linked to their flats, their flats occupied, one flat under
renovation. A kind whose pack has no units gets none; loading twice adds nothing.
"""

from __future__ import annotations

from decimal import Decimal

from kefu.core.scoping import scoped, scoped_count, scoped_objects
from kefu.core.tenancy import TenantRow
from kefu.db import transaction
from kefu.units import policy
from kefu.units.services.occupancy import record_change
from kefu.units.services.residents import link_customers
from kefu.units.services.units import building_for
from kefu.units.tables import Residency, Unit

REASON = "演示数据"


def demo_units() -> list[tuple[str, str, str, str, str]]:
    """(building, entrance, room, area, use) of every demo unit."""
    flats = [(f"{b}栋", str(e), f"{f}{r:02d}", str(Decimal("78.5") + 12 * r), "residential")
             for b in range(1, 5) for e in range(1, 4) for f in range(1, 10) for r in range(1, 5)]
    shops = [("5栋", "", f"10{n}", "45", "shop") for n in range(1, 5)]
    parking = [("地下车库", "", f"A{n:02d}", "12.5", "parking") for n in range(1, 11)]
    return flats + shops + parking


async def _add_units(tenant_id: int) -> None:
    for name, entrance, room, area, use in demo_units():
        building = await building_for(tenant_id, name)
        await Unit(
            tenant=tenant_id, building=building.id, entrance=entrance, room=room.upper(),
            floor=policy.floor_of(room), address_key=policy.address_key(name, entrance, room),
            area=Decimal(area), use=use,
        ).save()


async def _occupy(tenant_id: int) -> None:
    """Each linked flat owner-occupied (an owner lives there) or let (only residents)."""
    links = await scoped(Residency, tenant_id, Residency.unit.as_alias("unit"), Residency.role)
    roles: dict[int, set[str]] = {}
    for r in links:
        roles.setdefault(r["unit"], set()).add(r["role"])
    units = await scoped_objects(Unit, tenant_id).where(Unit.id.is_in(list(roles) or [0])).order_by(Unit.id)
    for i, unit in enumerate(units):
        state = "let" if i % 5 == 4 or "owner" not in roles[unit.id] else "owner_occupied"
        await record_change(tenant_id, None, unit, state, "move_in", REASON)
    vacant = await scoped_objects(Unit, tenant_id).where(
        Unit.occupancy == "vacant", Unit.use == "residential").order_by(Unit.id).first()
    if vacant is not None:
        await record_change(tenant_id, None, vacant, "renovation", "manual", "厨卫翻新（演示）")


async def load_demo(tenant: TenantRow) -> int:
    """Add the demo units (after the demo customers). Returns how many were added."""
    if not policy.units_pack(tenant.kind).uses:
        return 0
    async with transaction(tenant.id, write=True):
        if await scoped_count(Unit, tenant.id):
            return 0
        await _add_units(tenant.id)
    await link_customers(tenant.id, None)
    async with transaction(tenant.id, write=True):
        await _occupy(tenant.id)
    return len(demo_units())
