"""Bill reads: the filtered, paged list of a month's bills; one bill with its payments; a
payment's receipt; the items. Scoped to the tenant (kefu.core.scoping)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from kefu.core.paging import Page, page_number
from kefu.core.scoping import get_in_tenant, scoped, scoped_count
from kefu.core.tenancy import TenantContext
from kefu.fees import policy
from kefu.fees.tables import Bill, FeeItem, LateReason, Payment, Refund

# Through the unit to its building (a join Piccolo types as Column | Any past one hop).
BUILDING_NAME: Any = Bill.unit.building.name  # type: ignore[union-attr]
BUILDING_CODE: Any = Bill.unit.building.code  # type: ignore[union-attr]
PAGE_SIZE = 50
BILL_COLUMNS = (
    Bill.id, Bill.unit.id.as_alias("unit_id"), BUILDING_NAME.as_alias("building_name"),
    Bill.unit.entrance.as_alias("entrance"), Bill.unit.room.as_alias("room"),
    Bill.item.name.as_alias("item_name"), Bill.period, Bill.days, Bill.quantity, Bill.amount,
    Bill.paid, Bill.due_on,
)


def _money(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for r in rows:
        for key in ("amount", "paid", "quantity"):
            if key in r:
                r[key] = policy.money(r[key])
    return rows


@dataclass(frozen=True)
class BillFilters:
    period: date | None = None
    building: int | None = None
    unpaid: bool = False

    def query_string(self) -> str:
        parts = [f"period={self.period.isoformat()[:7]}"] if self.period else []
        parts += [f"building={self.building}"] if self.building else []
        parts += ["unpaid=1"] if self.unpaid else []
        return "&".join(parts)


def _where(f: BillFilters) -> list[Any]:
    found: list[Any] = []
    if f.period:
        found.append(Bill.period == f.period)
    if f.building:
        found.append(Bill.unit.building == f.building)
    if f.unpaid:
        found.append(Bill.paid < Bill.amount)
    return found


async def search_bills(ctx: TenantContext, f: BillFilters, raw_page: str | None) -> Page:
    ctx.require("fees.view")
    number = page_number(raw_page)
    where = _where(f)
    rows = await scoped(Bill, ctx.tenant_id, *BILL_COLUMNS).where(*where).order_by(
        BUILDING_CODE).order_by(Bill.unit.room).order_by(Bill.id).limit(
        PAGE_SIZE).offset((number - 1) * PAGE_SIZE)
    total = await scoped_count(Bill, ctx.tenant_id).where(*where)
    return Page(_money(rows), number, PAGE_SIZE, total)


async def bill_page(ctx: TenantContext, bill_id: int) -> dict[str, Any]:
    """The bill with its unit and item, its payments and refunds, oldest first. 403, 404."""
    ctx.require("fees.view")
    await get_in_tenant(Bill, ctx.tenant_id, bill_id)
    [bill] = _money(await scoped(Bill, ctx.tenant_id, *BILL_COLUMNS).where(Bill.id == bill_id).limit(1))
    payments = _money(await scoped(Payment, ctx.tenant_id).where(Payment.bill == bill_id).order_by(Payment.id))
    outstanding = bill["amount"] - bill["paid"]
    refunds = _money(await scoped(Refund, ctx.tenant_id, Refund.id, Refund.amount, Refund.refunded_on,
                                  Refund.reason).where(Refund.bill == bill_id).order_by(Refund.id))
    return {"bill": bill, "payments": payments, "outstanding": outstanding, "refunds": refunds}


async def receipt(ctx: TenantContext, payment_id: int) -> dict[str, Any]:
    """A payment with its bill, for the printed receipt. 403, 404."""
    ctx.require("fees.view")
    payment = await get_in_tenant(Payment, ctx.tenant_id, payment_id)
    payment.amount = policy.money(payment.amount)
    [bill] = _money(await scoped(Bill, ctx.tenant_id, *BILL_COLUMNS).where(Bill.id == payment.bill).limit(1))
    return {"payment": payment, "bill": bill, "outstanding": bill["amount"] - bill["paid"]}


async def fee_items(ctx: TenantContext) -> list[dict[str, Any]]:
    ctx.require("fees.view")
    rows = await scoped(FeeItem, ctx.tenant_id).order_by(FeeItem.code).order_by(FeeItem.valid_from).limit(500)
    return [{**r, "rate": policy.money(r["rate"]), "uses": [u for u in r["uses"].split(",") if u]} for r in rows]


async def fee_item(ctx: TenantContext, item_id: int) -> dict[str, Any]:
    """One item, as fee_items shows it. 403, 404."""
    ctx.require("fees.view")
    item = await get_in_tenant(FeeItem, ctx.tenant_id, item_id)
    return {**item.to_dict(), "rate": policy.money(item.rate), "uses": [u for u in item.uses.split(",") if u]}


async def unit_bills(ctx: TenantContext, unit_id: int, limit: int = 24) -> list[dict[str, Any]]:
    """A unit's latest bills, newest month first."""
    ctx.require("fees.view")
    return _money(await scoped(Bill, ctx.tenant_id, *BILL_COLUMNS).where(Bill.unit == unit_id).order_by(
        Bill.period, ascending=False).order_by(Bill.id).limit(limit))


async def unit_reasons(ctx: TenantContext, unit_id: int) -> list[dict[str, Any]]:
    """The reasons recorded for this unit's late payments, newest first."""
    ctx.require("fees.view")
    return await scoped(LateReason, ctx.tenant_id, LateReason.id, LateReason.category, LateReason.note,
                        LateReason.recorded_by.name.as_alias("by"), LateReason.created_at).where(
        LateReason.unit == unit_id).order_by(LateReason.id, ascending=False).limit(50)


async def bill_totals(tenant_id: int, bill_ids: list[int]) -> dict[int, dict[str, Any]]:
    """{bill id: {amount, paid, refunded}} for the bills another module charged (a service
    order, a renovation deposit)."""
    if not bill_ids:
        return {}
    rows = _money(await scoped(Bill, tenant_id, Bill.id, Bill.amount, Bill.paid).where(Bill.id.is_in(bill_ids)))
    found = {r["id"]: {**r, "refunded": policy.money(0)} for r in rows}
    for r in await scoped(Refund, tenant_id, Refund.bill.as_alias("bill"), Refund.amount).where(
            Refund.bill.is_in(bill_ids)):
        found[r["bill"]]["refunded"] += policy.money(r["amount"])
    return found
