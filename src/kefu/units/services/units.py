"""Writing buildings and units: create and update a unit (its building is found by its code,
or made), each with an audit event, in `transaction(tenant, write=True)` (a savepoint inside
the request's), checking the permission itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kefu import i18n
from kefu.audit import services as audit
from kefu.core import clock
from kefu.core.errors import FieldError, FieldErrors
from kefu.core.scoping import get_in_tenant, scoped, scoped_objects
from kefu.core.tenancy import TenantContext
from kefu.db import transaction
from kefu.units import policy
from kefu.units.schemas import UnitInput
from kefu.units.tables import Building, Unit

AUDITED = ("building", "entrance", "floor", "room", "area", "use", "notes")
UNIT_TAKEN = i18n.lazy("This building already has a unit with this entrance and room.")


def pack_of(ctx: TenantContext) -> policy.UnitsPack:
    return policy.units_pack(ctx.tenant.kind)


async def building_for(tenant_id: int, name: str) -> Building:
    """The tenant's building with this name's code ("3栋" and "3幢" are one), made if new."""
    code = policy.building_code(name)
    found = await scoped_objects(Building, tenant_id).where(Building.code == code).first()
    if found is not None:
        return found
    made = Building(tenant=tenant_id, name=name.strip(), code=code)
    await made.save()
    return made


async def _check(ctx: TenantContext, raw: Mapping[str, str], unit_id: int | None) -> UnitInput:
    data, errors = policy.check_unit(raw, pack_of(ctx))
    if not errors:
        other = scoped(Unit, ctx.tenant_id, Unit.id).where(Unit.address_key == policy.key_of(data))
        if unit_id is not None:
            other = other.where(Unit.id != unit_id)
        if await other.first():
            errors["room"] = FieldError("room", UNIT_TAKEN)
    if errors:
        raise FieldErrors(errors)
    return data


def apply_input(u: Unit, data: UnitInput, building: Building) -> None:
    u.building = building.id
    u.entrance = policy.entrance_code(data.entrance)
    u.room = policy.room_code(data.room).upper()
    u.floor, u.area, u.use, u.notes = data.floor, data.area, data.use, data.notes
    u.address_key = policy.key_of(data)
    u.updated_at = clock.now()


def snapshot(u: Unit, building_name: str) -> dict[str, Any]:
    values = {name: getattr(u, name) for name in AUDITED if name != "building"}
    return {**values, "area": str(u.area) if u.area is not None else None, "building": building_name}


async def create_unit(ctx: TenantContext, raw: Mapping[str, str]) -> Unit:
    """Raises FieldErrors (every bad field), 403 without units.manage."""
    ctx.require("units.manage")
    async with transaction(ctx.tenant_id, write=True):
        data = await _check(ctx, raw, None)
        building = await building_for(ctx.tenant_id, data.building)
        u = Unit(tenant=ctx.tenant_id, building=building.id)
        apply_input(u, data, building)
        await u.save()
        await audit.record(
            tenant_id=ctx.tenant_id, actor_id=ctx.user.id, action="unit.create",
            object_type="unit", object_id=u.id, after=snapshot(u, building.name),
        )
    return u


async def update_unit(ctx: TenantContext, unit_id: int, raw: Mapping[str, str]) -> Unit:
    """The whole form again. Raises FieldErrors, 403, 404."""
    ctx.require("units.manage")
    async with transaction(ctx.tenant_id, write=True):
        u = await get_in_tenant(Unit, ctx.tenant_id, unit_id)
        old_building = await get_in_tenant(Building, ctx.tenant_id, u.building)
        before = snapshot(u, old_building.name)
        data = await _check(ctx, raw, u.id)
        building = await building_for(ctx.tenant_id, data.building)
        apply_input(u, data, building)
        await u.save()
        after = snapshot(u, building.name)
        changed = {k for k in after if after[k] != before[k]}
        await audit.record(
            tenant_id=ctx.tenant_id, actor_id=ctx.user.id, action="unit.update",
            object_type="unit", object_id=u.id,
            before={k: before[k] for k in changed}, after={k: after[k] for k in changed},
        )
    return u
