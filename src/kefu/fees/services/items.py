"""Fee items: one by hand, or the pack's defaults (those whose code the tenant lacks)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from kefu import i18n
from kefu.audit import services as audit
from kefu.core.errors import FieldError, FieldErrors
from kefu.core.forms import Form
from kefu.core.scoping import scoped, scoped_objects
from kefu.core.tenancy import TenantContext
from kefu.db import transaction
from kefu.fees import policy, schemas
from kefu.fees.tables import FeeItem
from kefu.units import queries as units

CODE_TAKEN = i18n.lazy("An item with this code is valid on these days already.")


def item_snapshot(item: FeeItem) -> dict[str, object]:
    return {"code": item.code, "name": item.name, "basis": item.basis, "rate": str(item.rate),
            "uses": item.uses, "valid_from": str(item.valid_from),
            "valid_until": str(item.valid_until) if item.valid_until else None}


async def _overlaps(tenant_id: int, data: schemas.ItemInput) -> bool:
    """Another item of the same code whose days meet these (one rate per code and day)."""
    rows = await scoped(FeeItem, tenant_id, FeeItem.valid_from, FeeItem.valid_until).where(
        FeeItem.code == data.code)
    end = data.valid_until or date.max
    return any(r["valid_from"] <= end and (r["valid_until"] or date.max) >= data.valid_from for r in rows)


async def create_item(ctx: TenantContext, form: Form) -> FeeItem:
    """Raises FieldErrors (every bad field), 403 without fees.manage."""
    ctx.require("fees.manage")
    uses = units.unit_uses(ctx.tenant.kind)
    data = schemas.item_input(form, policy.BASES, uses)
    form.check()
    assert data is not None
    async with transaction(ctx.tenant_id, write=True):
        if await _overlaps(ctx.tenant_id, data):
            raise FieldErrors({"code": FieldError("code", CODE_TAKEN)})
        item = FeeItem(tenant=ctx.tenant_id, code=data.code, name=data.name, basis=data.basis,
                       rate=data.rate, uses=",".join(data.uses), valid_from=data.valid_from,
                       valid_until=data.valid_until)
        await item.save()
        await audit.record(tenant_id=ctx.tenant_id, actor_id=ctx.user.id, action="fee_item.create",
                           object_type="fee_item", object_id=item.id, after=item_snapshot(item))
    return item


async def add_default_items(ctx: TenantContext, valid_from: date) -> int:
    """The pack's items whose code the tenant has no item for, valid from `valid_from`."""
    ctx.require("fees.manage")
    async with transaction(ctx.tenant_id, write=True):
        have = {r.code for r in await scoped_objects(FeeItem, ctx.tenant_id)}
        made = 0
        for d in policy.fees_pack(ctx.tenant.kind).items:
            if d.code in have:
                continue
            item = FeeItem(tenant=ctx.tenant_id, code=d.code, name=d.name, basis=d.basis,
                           rate=Decimal(d.rate), uses=",".join(d.uses), valid_from=valid_from)
            await item.save()
            await audit.record(tenant_id=ctx.tenant_id, actor_id=ctx.user.id, action="fee_item.create",
                               object_type="fee_item", object_id=item.id, after=item_snapshot(item))
            made += 1
    return made
