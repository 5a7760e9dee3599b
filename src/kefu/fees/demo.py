"""Demo fees for `kefu demo` (a property centre): the pack's fee items, twelve flats and two
parking spaces in 1栋–4栋 when the centre has no unit yet (made through kefu.units.services,
whose free-text matching then links the demo owners), last month's and this month's bills, and
some payments and reasons for arrears. Loading twice adds nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from kefu.core import clock
from kefu.core.forms import Form
from kefu.core.packs import get_pack
from kefu.core.scoping import scoped, scoped_count
from kefu.core.tenancy import TenantContext, TenantRow
from kefu.db import transaction
from kefu.fees import policy, services
from kefu.fees.tables import Bill, Payment
from kefu.units import queries as units
from kefu.units import services as unit_services

SYSTEM = frozenset({"units.view", "units.manage", "fees.view", "fees.manage", "fees.collect"})


@dataclass
class _Nobody:
    """The acting user of demo writes: none (audit events name no actor)."""

    id: None = None
    email: str = ""
    name: str = ""
    locale: str = "zh_CN"


def _ctx(tenant: TenantRow) -> TenantContext:
    return TenantContext(tenant=tenant, user=_Nobody(), membership=None,  # type: ignore[arg-type]
                         pack=get_pack(tenant.kind), permissions=SYSTEM)


async def _units(ctx: TenantContext) -> None:
    async with transaction(ctx.tenant_id, write=False):  # RLS: the tenant is set inside it
        if await units.billable_units(ctx.tenant_id, 0, 1):
            return
    for i in range(12):
        raw = {"building": f"{i % 4 + 1}栋", "entrance": f"{i % 3 + 1}", "room": f"{(i % 9 + 1) * 100 + i % 4 + 1}",
               "area": f"{80 + i * 7}.50", "use": "residential" if i != 11 else "shop", "floor": "", "notes": ""}
        await unit_services.create_unit(ctx, raw)
    for n in (1, 2):
        await unit_services.create_unit(ctx, {"building": "地库", "entrance": "", "room": f"P{n:03d}", "area": "",
                                              "use": "parking", "floor": "", "notes": ""})
    await unit_services.link_customers(ctx.tenant_id, None)


async def _payments(ctx: TenantContext, period: date) -> None:
    async with transaction(ctx.tenant_id, write=False):
        if await scoped_count(Payment, ctx.tenant_id):
            return
        bills = await scoped(Bill, ctx.tenant_id, Bill.id, Bill.amount, Bill.unit.as_alias("unit")).where(
            Bill.period == period).order_by(Bill.id)
    methods = policy.fees_pack(ctx.tenant.kind).codes("methods")
    today = clock.today_in(ctx.tenant.timezone).isoformat()
    for i, b in enumerate(bills):
        if i % 5 == 4:
            continue  # arrears
        amount = policy.money(b["amount"]) if i % 7 else (policy.money(b["amount"]) / 2).quantize(policy.bills.FEN)
        form = Form({"amount": str(amount), "method": methods[i % len(methods)], "paid_on": today,
                     "reference": f"DEMO-{i + 1:04d}" if i % 2 else ""})
        await services.record_payment(ctx, b["id"], form)
    for i, b in enumerate(bills[4::10]):
        await services.record_reason(ctx, b["unit"], Form({"category": ("repair_pending", "away")[i % 2],
                                                           "note": "演示：业主反映楼道漏水未修，暂缓缴费"}))


async def load_demo(tenant: TenantRow) -> None:
    pack = policy.fees_pack(tenant.kind)
    if not pack.items:
        return
    ctx = _ctx(tenant)
    this_month = clock.today_in(tenant.timezone).replace(day=1)
    last_month = (this_month - timedelta(days=1)).replace(day=1)
    await _units(ctx)
    await services.add_default_items(ctx, last_month)
    for period in (last_month, this_month):
        await services.generate_bills(ctx, period)
    await _payments(ctx, last_month)
