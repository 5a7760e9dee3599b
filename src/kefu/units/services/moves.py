"""Move-in and move-out: start one from the unit's page (the pack's checklist becomes its
items), tick items (who, when, a note), complete it once every item is ticked. Completing a
move-in links the resident and makes the unit owner-occupied or let; completing a move-out
ends the unit's residencies and makes it vacant (services.occupancy.record_change).
"""

from __future__ import annotations

from collections.abc import Mapping

from kefu import i18n
from kefu.audit import services as audit
from kefu.core import clock
from kefu.core.errors import FieldError, FieldErrors
from kefu.core.forms import NOT_LISTED, clean_text
from kefu.core.scoping import get_in_tenant, scoped, scoped_objects
from kefu.core.tenancy import TenantContext
from kefu.db import transaction
from kefu.units import policy
from kefu.units.services.occupancy import record_change
from kefu.units.services.residents import customer_named
from kefu.units.services.units import pack_of
from kefu.units.tables import Move, MoveItem, Residency, Unit

NOTE_MAX = 200


async def _open_move(tenant_id: int, unit_id: int) -> bool:
    return bool(await scoped(Move, tenant_id, Move.id).where(
        Move.unit == unit_id, Move.state == "open").first())


async def start_move(ctx: TenantContext, unit_id: int, raw: Mapping[str, str]) -> Move:
    """raw: kind (move_in | move_out); for a move-in also customer (name or phone) and role.
    Raises FieldErrors, policy.MoveRefused, 403 without units.desk, 404."""
    ctx.require("units.desk")
    async with transaction(ctx.tenant_id, write=True):
        unit = await get_in_tenant(Unit, ctx.tenant_id, unit_id)
        kind = str(raw.get("kind") or "")
        if kind not in policy.MOVE_KINDS:
            raise FieldErrors({"kind": FieldError("kind", NOT_LISTED)})
        policy.check_start(kind, unit.occupancy, await _open_move(ctx.tenant_id, unit.id))
        move = Move(tenant=ctx.tenant_id, unit=unit.id, kind=kind, started_by=ctx.user.id,
                    started_at=clock.now())
        if kind == "move_in":
            role = str(raw.get("role") or "")
            if role not in policy.ROLES:
                raise FieldErrors({"role": FieldError("role", NOT_LISTED)})
            customer = await customer_named(ctx.tenant_id, str(raw.get("customer") or ""))
            move.customer, move.role = customer["id"], role
        await move.save()
        codes = [c.code for c in getattr(pack_of(ctx), kind)]
        if codes:
            await MoveItem.insert(*(MoveItem(tenant=ctx.tenant_id, move=move.id, code=c) for c in codes))
        await audit.record(tenant_id=ctx.tenant_id, actor_id=ctx.user.id, action=f"{kind}.start",
                           object_type="unit", object_id=unit.id, after={"move": move.id, "role": move.role})
    return move


async def _items(tenant_id: int, move_id: int) -> list[MoveItem]:
    return await scoped_objects(MoveItem, tenant_id).where(MoveItem.move == move_id).order_by(MoveItem.id)


async def tick_item(ctx: TenantContext, move_id: int, raw: Mapping[str, str]) -> Move:
    """Tick one item (raw: item = its code, note). Ticking a ticked item changes nothing.
    Raises FieldErrors, policy.MoveRefused (a done move), 403, 404."""
    ctx.require("units.desk")
    async with transaction(ctx.tenant_id, write=True):
        move = await get_in_tenant(Move, ctx.tenant_id, move_id)
        if move.state != "open":
            raise policy.MoveRefused("move_done", i18n.lazy("This move is completed already."))
        items = {i.code: i for i in await _items(ctx.tenant_id, move.id)}
        item = items.get(str(raw.get("item") or ""))
        note, problem = clean_text(str(raw.get("note") or ""), max_length=NOTE_MAX)
        errors = {} if item else {"item": FieldError("item", NOT_LISTED)}
        if problem:
            errors["note"] = FieldError("note", problem, max=NOTE_MAX)
        if errors:
            raise FieldErrors(errors)
        assert item is not None
        if item.ticked_at is None:
            item.ticked_by, item.ticked_at, item.note = ctx.user.id, clock.now(), note
            await item.save([MoveItem.ticked_by, MoveItem.ticked_at, MoveItem.note])
            await audit.record(tenant_id=ctx.tenant_id, actor_id=ctx.user.id, action=f"{move.kind}.tick",
                               object_type="unit", object_id=move.unit, after={"item": item.code, "note": note})
    return move


async def complete_move(ctx: TenantContext, move_id: int) -> Move:
    """Every item ticked: the occupancy changes and the residents follow. Raises
    policy.MoveRefused (items missing, done already, the unit changed meanwhile), 403, 404."""
    ctx.require("units.desk")
    async with transaction(ctx.tenant_id, write=True):
        move = await get_in_tenant(Move, ctx.tenant_id, move_id)
        items = await _items(ctx.tenant_id, move.id)
        actions = policy.move_actions(move.state, [i.code for i in items],
                                      [i.code for i in items if i.ticked_at is not None])
        if "complete" not in actions:
            raise policy.MoveRefused("move_incomplete", i18n.lazy("Tick every item before completing."))
        unit = await get_in_tenant(Unit, ctx.tenant_id, move.unit)
        how, reason = move.kind, i18n.gettext(policy.MOVE_MSGIDS[move.kind])
        await record_change(ctx.tenant_id, ctx.user.id, unit, policy.target_state(move.kind, move.role), how, reason)
        today = clock.now().date()
        if move.kind == "move_in" and move.customer is not None:
            await Residency(tenant=ctx.tenant_id, unit=unit.id, customer=move.customer, role=move.role,
                            starts_on=today).save()
        else:
            await Residency.update({Residency.ends_on: today}).where(
                Residency.tenant == ctx.tenant_id, Residency.unit == unit.id, Residency.ends_on.is_null())
        move.state, move.done_by, move.done_at = "done", ctx.user.id, clock.now()
        await move.save([Move.state, Move.done_by, Move.done_at])
        await audit.record(tenant_id=ctx.tenant_id, actor_id=ctx.user.id, action=f"{move.kind}.complete",
                           object_type="unit", object_id=unit.id, after={"move": move.id})
    return move
