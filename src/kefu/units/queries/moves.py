"""Move reads: one move's checklist page (and its printed handover form), and a unit's moves."""

from __future__ import annotations

from typing import Any

from kefu.core.scoping import get_in_tenant, scoped
from kefu.core.tenancy import TenantContext
from kefu.customers.queries import desk as customers
from kefu.units import policy
from kefu.units.tables import Building, Move, MoveItem, Unit


async def moves_of(tenant_id: int, unit_id: int) -> list[dict[str, Any]]:
    return await scoped(Move, tenant_id, Move.id, Move.kind, Move.state, Move.started_at, Move.done_at).where(
        Move.unit == unit_id).order_by(Move.id, ascending=False).limit(50)


async def move_page(ctx: TenantContext, move_id: int) -> dict[str, Any]:
    """The move, its unit and building, who moves in, each item with who ticked it and when,
    and what may be done now. 403, 404."""
    ctx.require("units.view")
    move = await get_in_tenant(Move, ctx.tenant_id, move_id)
    unit = await get_in_tenant(Unit, ctx.tenant_id, move.unit)
    building = await get_in_tenant(Building, ctx.tenant_id, unit.building)
    items = await scoped(
        MoveItem, ctx.tenant_id, MoveItem.code, MoveItem.ticked_at, MoveItem.note,
        MoveItem.ticked_by.name.as_alias("ticked_by_name"),
    ).where(MoveItem.move == move.id).order_by(MoveItem.id)
    person = (await customers.contacts(ctx.tenant_id, [move.customer])).get(move.customer) if move.customer else None
    starter = await scoped(Move, ctx.tenant_id, Move.started_by.name.as_alias("name"),
                           Move.done_by.name.as_alias("done_name")).where(Move.id == move.id).first()
    return {
        "move": move, "u": unit, "building": building, "items": items, "person": person,
        "started_by": (starter or {}).get("name"), "done_by": (starter or {}).get("done_name"),
        "checklist": policy.units_pack(ctx.tenant.kind).labels(move.kind),
        "actions": policy.move_actions(move.state, [i["code"] for i in items],
                                       [i["code"] for i in items if i["ticked_at"] is not None]),
    }
