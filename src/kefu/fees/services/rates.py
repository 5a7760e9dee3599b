"""A fee item's rate over time: end an item on a day, or change its rate from a day (the old
item ends the day before, a new item of the same code, name, basis and uses starts with the new
rate). A day already billed cannot be taken back: an item keeps every month it has bills for."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from kefu import i18n
from kefu.audit import services as audit
from kefu.core.forms import Form
from kefu.core.scoping import get_in_tenant, scoped
from kefu.core.tenancy import TenantContext
from kefu.db import transaction
from kefu.fees import policy, schemas
from kefu.fees.services.items import item_snapshot
from kefu.fees.tables import Bill, FeeItem

BILLED = i18n.lazy("This item is billed up to %(month)s already: choose a day after that month.")
NOT_AFTER_START = i18n.lazy("Choose a day after the item's first day (%(day)s).")
AFTER_END = i18n.lazy("The item ended on %(day)s.")
CLASH = i18n.lazy("Another item with this code is valid on these days.")


async def _last_billed(tenant_id: int, item_id: int) -> date | None:
    rows = await scoped(Bill, tenant_id, Bill.period).where(Bill.item == item_id).order_by(
        Bill.period, ascending=False).limit(1)
    return rows[0]["period"] if rows else None


async def _clashes(tenant_id: int, item: FeeItem, first: date, last: date | None) -> bool:
    """Another item of the code (not this one) valid on a day of first..last."""
    rows = await scoped(FeeItem, tenant_id, FeeItem.id, FeeItem.valid_from, FeeItem.valid_until).where(
        FeeItem.code == item.code, FeeItem.id != item.id)
    end = last or date.max
    return any(r["valid_from"] <= end and (r["valid_until"] or date.max) >= first for r in rows)


async def _check_last_day(form: Form, field: str, ctx: TenantContext, item: FeeItem, last: date) -> None:
    """The item may end on `last`: after its first day, not before a billed month's end."""
    if last < item.valid_from:
        form.error(field, i18n.gettext(NOT_AFTER_START, day=item.valid_from.isoformat()))
        return
    billed = await _last_billed(ctx.tenant_id, item.id)
    if billed and last < policy.month_bounds(billed)[1]:
        form.error(field, i18n.gettext(BILLED, month=billed.isoformat()[:7]))


async def end_item(ctx: TenantContext, item_id: int, form: Form) -> FeeItem:
    """Set the item's last day (`valid_until`). FieldErrors, 403 without fees.manage, 404."""
    ctx.require("fees.manage")
    async with transaction(ctx.tenant_id, write=True):
        item = await get_in_tenant(FeeItem, ctx.tenant_id, item_id)
        last = form.day("valid_until")
        if last is not None:
            await _check_last_day(form, "valid_until", ctx, item, last)
            if form.ok and await _clashes(ctx.tenant_id, item, item.valid_from, last):
                form.error("valid_until", i18n.gettext(CLASH))
        form.check()
        assert last is not None
        before = item_snapshot(item)
        item.valid_until = last
        await item.save([FeeItem.valid_until])
        await audit.record(tenant_id=ctx.tenant_id, actor_id=ctx.user.id, action="fee_item.end",
                           object_type="fee_item", object_id=item.id, before=before, after=item_snapshot(item))
    return item


async def change_rate(ctx: TenantContext, item_id: int, form: Form) -> FeeItem:
    """The new item, at the new rate from `valid_from`; the old one ends the day before.
    FieldErrors, 403 without fees.manage, 404."""
    ctx.require("fees.manage")
    async with transaction(ctx.tenant_id, write=True):
        item = await get_in_tenant(FeeItem, ctx.tenant_id, item_id)
        rate = form.money("rate", minimum=Decimal(0), maximum=schemas.MAX_RATE)
        starts = form.day("valid_from")
        if starts is not None:
            if item.valid_until and starts > item.valid_until:
                form.error("valid_from", i18n.gettext(AFTER_END, day=item.valid_until.isoformat()))
            elif starts <= item.valid_from:
                form.error("valid_from", i18n.gettext(NOT_AFTER_START, day=item.valid_from.isoformat()))
            else:
                await _check_last_day(form, "valid_from", ctx, item, starts - timedelta(days=1))
            if form.ok and await _clashes(ctx.tenant_id, item, starts, item.valid_until):
                form.error("valid_from", i18n.gettext(CLASH))
        form.check()
        assert rate is not None and starts is not None
        before = item_snapshot(item)
        new = FeeItem(tenant=ctx.tenant_id, code=item.code, name=item.name, basis=item.basis, rate=rate,
                      uses=item.uses, valid_from=starts, valid_until=item.valid_until)
        item.valid_until = starts - timedelta(days=1)
        await item.save([FeeItem.valid_until])
        await new.save()
        await audit.record(tenant_id=ctx.tenant_id, actor_id=ctx.user.id, action="fee_item.end",
                           object_type="fee_item", object_id=item.id, before=before, after=item_snapshot(item))
        await audit.record(tenant_id=ctx.tenant_id, actor_id=ctx.user.id, action="fee_item.create",
                           object_type="fee_item", object_id=new.id, after=item_snapshot(new))
    return new
