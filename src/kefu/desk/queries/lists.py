"""The desk's lists and pages (see the package docstring)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from litestar.exceptions import NotFoundException

from kefu.core import clock
from kefu.core.paging import Page, page_number
from kefu.core.scoping import get_in_tenant, scoped, scoped_count
from kefu.core.tenancy import TenantContext
from kefu.desk import policy
from kefu.desk.tables import Enquiry, Inspection, Renovation, ServiceOrder
from kefu.fees import queries as fees
from kefu.tenancy import queries as members
from kefu.units import queries as units

PAGE_SIZE = 50
DAY_LIMIT = 10
TOPIC_DAYS = 90


def _unit_columns(table: Any) -> tuple[Any, ...]:
    unit: Any = table.unit
    return (unit.id.as_alias("unit_id"), unit.building.name.as_alias("building_name"),
            unit.entrance.as_alias("entrance"), unit.room.as_alias("room"))


ORDER_COLUMNS = (
    ServiceOrder.id, *_unit_columns(ServiceOrder), ServiceOrder.service, ServiceOrder.contact,
    ServiceOrder.phone, ServiceOrder.quantity, ServiceOrder.price, ServiceOrder.amount, ServiceOrder.wanted_on,
    ServiceOrder.notes, ServiceOrder.state, ServiceOrder.assignee.as_alias("assignee"),
    ServiceOrder.assignee.name.as_alias("assignee_name"), ServiceOrder.bill_id, ServiceOrder.done_note,
    ServiceOrder.created_at, ServiceOrder.done_at, ServiceOrder.source,
)
RENOVATION_COLUMNS = (
    Renovation.id, *_unit_columns(Renovation), Renovation.applicant, Renovation.phone, Renovation.contractor,
    Renovation.contractor_phone, Renovation.scope, Renovation.starts_on, Renovation.ends_on, Renovation.deposit,
    Renovation.state, Renovation.prior_occupancy, Renovation.deposit_bill_id, Renovation.refunded,
    Renovation.decision_note, Renovation.decided_by.name.as_alias("decided_by_name"), Renovation.created_at,
    Renovation.completed_at,
)
ENQUIRY_COLUMNS = (
    Enquiry.id, *_unit_columns(Enquiry), Enquiry.contact, Enquiry.phone, Enquiry.topic, Enquiry.question,
    Enquiry.answer, Enquiry.state, Enquiry.assignee.as_alias("assignee"),
    Enquiry.assignee.name.as_alias("assignee_name"), Enquiry.answered_by.name.as_alias("answered_by_name"),
    Enquiry.created_at, Enquiry.answered_at,
)


def _money(rows: list[dict[str, Any]], *keys: str) -> list[dict[str, Any]]:
    for r in rows:
        for k in keys:
            if r.get(k) is not None:
                r[k] = Decimal(str(r[k])).quantize(policy.FEN)
    return rows


async def _paged(table: Any, ctx: TenantContext, columns: tuple[Any, ...], state: str,
                 raw_page: str | None) -> Page:
    number = page_number(raw_page)
    where = [table.state == state] if state else []
    rows = await scoped(table, ctx.tenant_id, *columns).where(*where).order_by(
        table.id, ascending=False).limit(PAGE_SIZE).offset((number - 1) * PAGE_SIZE)
    total = await scoped_count(table, ctx.tenant_id).where(*where)
    return Page(rows, number, PAGE_SIZE, total)


async def order_list(ctx: TenantContext, state: str, raw_page: str | None) -> Page:
    ctx.require("desk.view")
    page = await _paged(ServiceOrder, ctx, ORDER_COLUMNS, state, raw_page)
    _money(page.rows, "price", "amount")
    return page


async def desk_workers(ctx: TenantContext) -> list[dict[str, Any]]:
    """The members who may take desk work (desk.work): id (the user's), name."""
    return [{"id": u.id, "name": u.name} for u in await members.members_with(ctx.tenant_id, ctx.pack, "desk.work")]


async def order_page(ctx: TenantContext, order_id: int) -> dict[str, Any]:
    """The order, what may be done to it now, who may take it, its bill's totals. 403, 404."""
    ctx.require("desk.view")
    await get_in_tenant(ServiceOrder, ctx.tenant_id, order_id)
    [order] = _money(await scoped(ServiceOrder, ctx.tenant_id, *ORDER_COLUMNS).where(
        ServiceOrder.id == order_id).limit(1), "price", "amount")
    bills = await fees.bill_totals(ctx.tenant_id, [order["bill_id"]] if order["bill_id"] else [])
    return {"order": order, "actions": policy.actions("order", order["state"]), "workers": await desk_workers(ctx),
            "bill": bills.get(order["bill_id"])}


async def renovation_list(ctx: TenantContext, state: str, raw_page: str | None) -> Page:
    ctx.require("desk.view")
    page = await _paged(Renovation, ctx, RENOVATION_COLUMNS, state, raw_page)
    _money(page.rows, "deposit", "refunded")
    return page


async def renovation_page(ctx: TenantContext, renovation_id: int) -> dict[str, Any]:
    """The application, its inspections (oldest first), its deposit bill's totals. 403, 404."""
    ctx.require("desk.view")
    await get_in_tenant(Renovation, ctx.tenant_id, renovation_id)
    [row] = _money(await scoped(Renovation, ctx.tenant_id, *RENOVATION_COLUMNS).where(
        Renovation.id == renovation_id).limit(1), "deposit", "refunded")
    inspections = await scoped(
        Inspection, ctx.tenant_id, Inspection.id, Inspection.department, Inspection.inspected_on,
        Inspection.result, Inspection.note, Inspection.inspector.name.as_alias("inspector_name"),
    ).where(Inspection.renovation == renovation_id).order_by(Inspection.inspected_on).order_by(Inspection.id)
    bill_id = row["deposit_bill_id"]
    bills = await fees.bill_totals(ctx.tenant_id, [bill_id] if bill_id else [])
    return {"r": row, "inspections": inspections, "actions": policy.actions("renovation", row["state"]),
            "deposit_bill": bills.get(bill_id)}


async def enquiry_list(ctx: TenantContext, state: str, topic: str, raw_page: str | None) -> Page:
    ctx.require("desk.view")
    number = page_number(raw_page)
    where = [Enquiry.state == state] if state else []
    where += [Enquiry.topic == topic] if topic else []
    rows = await scoped(Enquiry, ctx.tenant_id, *ENQUIRY_COLUMNS).where(*where).order_by(
        Enquiry.id, ascending=False).limit(PAGE_SIZE).offset((number - 1) * PAGE_SIZE)
    return Page(rows, number, PAGE_SIZE, await scoped_count(Enquiry, ctx.tenant_id).where(*where))


async def enquiry_page(ctx: TenantContext, enquiry_id: int) -> dict[str, Any]:
    ctx.require("desk.view")
    await get_in_tenant(Enquiry, ctx.tenant_id, enquiry_id)
    [row] = await scoped(Enquiry, ctx.tenant_id, *ENQUIRY_COLUMNS).where(Enquiry.id == enquiry_id).limit(1)
    return {"e": row, "actions": policy.actions("enquiry", row["state"]), "workers": await desk_workers(ctx)}


async def topic_counts(ctx: TenantContext, days: int = TOPIC_DAYS) -> list[dict[str, Any]]:
    """C.b: the recurring questions — enquiries of the last `days` days by topic, most first."""
    ctx.require("desk.view")
    since = clock.now() - timedelta(days=days)
    rows = await scoped(Enquiry, ctx.tenant_id, Enquiry.topic, Enquiry.state).where(Enquiry.created_at >= since)
    counts: dict[str, dict[str, Any]] = {}
    for r in rows:
        c = counts.setdefault(r["topic"], {"topic": r["topic"], "total": 0, "open": 0})
        c["total"] += 1
        c["open"] += r["state"] == policy.OPEN
    return sorted(counts.values(), key=lambda c: (-c["total"], c["topic"]))


async def desk_day(ctx: TenantContext) -> dict[str, Any]:
    """The front desk's queues: orders not done (the member's own first), applications to
    decide, renovations under way (past their last day first), enquiries still open."""
    ctx.require("desk.view")
    today = clock.today_in(ctx.tenant.timezone)
    orders = await scoped(ServiceOrder, ctx.tenant_id, *ORDER_COLUMNS).where(
        ServiceOrder.state.is_in([policy.OPEN, policy.ASSIGNED])).order_by(ServiceOrder.id).limit(200)
    orders.sort(key=lambda o: (o["assignee"] != ctx.user.id, o["id"]))
    pending = await scoped(Renovation, ctx.tenant_id, *RENOVATION_COLUMNS).where(
        Renovation.state == policy.APPLIED).order_by(Renovation.id).limit(DAY_LIMIT)
    under_way = await scoped(Renovation, ctx.tenant_id, *RENOVATION_COLUMNS).where(
        Renovation.state == policy.APPROVED).order_by(Renovation.ends_on).order_by(Renovation.id).limit(DAY_LIMIT)
    enquiries = await scoped(Enquiry, ctx.tenant_id, *ENQUIRY_COLUMNS).where(
        Enquiry.state == policy.OPEN).order_by(Enquiry.id).limit(DAY_LIMIT)
    return {"orders": _money(orders[:DAY_LIMIT], "amount"), "order_count": len(orders),
            "pending": pending, "under_way": under_way, "enquiries": enquiries, "today": today}


async def unit_address_of(ctx: TenantContext, unit_id: int | None) -> str:
    """The address the desk types for a unit ("" for none or another tenant's), to prefill a form."""
    if not unit_id or not ctx.can("units.view"):
        return ""
    try:
        page = await units.unit_page(ctx, unit_id)
    except NotFoundException:
        return ""
    u = page["u"]
    return units.unit_address({"building_name": page["building"].name, "entrance": u.entrance, "room": u.room})


async def service_revenue(tenant_id: int, first: date, last: date, tz: str) -> dict[str, Decimal]:
    """C.i: paid-service revenue charged in a period — the amounts of the orders done from
    `first` to `last` (inclusive, days in the tenant's zone `tz`), by service code (for the
    monthly statistics)."""
    since = datetime.combine(first, time.min, tzinfo=ZoneInfo(tz))
    until = datetime.combine(last + timedelta(days=1), time.min, tzinfo=ZoneInfo(tz))
    rows = await scoped(ServiceOrder, tenant_id, ServiceOrder.service, ServiceOrder.amount).where(
        ServiceOrder.state == policy.DONE, ServiceOrder.done_at >= since, ServiceOrder.done_at < until)
    found: dict[str, Decimal] = {}
    for r in rows:
        found[r["service"]] = found.get(r["service"], Decimal(0)) + Decimal(str(r["amount"])).quantize(policy.FEN)
    return found


async def enquiries_between(tenant_id: int, first: date, last: date, tz: str) -> list[dict[str, Any]]:
    """C.b for the monthly statistics: the enquiries logged from `first` to `last` (days in the
    tenant's zone `tz`) by topic, most first — [{"topic", "total", "open"}]."""
    since = datetime.combine(first, time.min, tzinfo=ZoneInfo(tz))
    until = datetime.combine(last + timedelta(days=1), time.min, tzinfo=ZoneInfo(tz))
    rows = await scoped(Enquiry, tenant_id, Enquiry.topic, Enquiry.state).where(
        Enquiry.created_at >= since, Enquiry.created_at < until)
    counts: dict[str, dict[str, Any]] = {}
    for r in rows:
        c = counts.setdefault(r["topic"], {"topic": r["topic"], "total": 0, "open": 0})
        c["total"] += 1
        c["open"] += r["state"] == policy.OPEN
    return sorted(counts.values(), key=lambda c: (-c["total"], c["topic"]))


def catalogue_labels(tenant_kind: str) -> dict[str, Any]:
    """The words of the kind's service and enquiry-topic codes, for another module's page."""
    pack = policy.desk_pack(tenant_kind)
    return {"service_label": pack.service_labels(), "topic_label": pack.topic_labels()}
