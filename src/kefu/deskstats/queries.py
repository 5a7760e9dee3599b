"""The monthly statistics page and its workbook, from the units, fees, desk and complaints
modules' public queries and this module's month-end snapshots. A month that has ended shows
its occupancy as its snapshot recorded it (none yet: the page says so and offers to take it);
the current month shows today's. Moves, fees, paid-service revenue, enquiries and complaints
are the month's."""

from __future__ import annotations

import asyncio
from datetime import date
from decimal import Decimal
from typing import Any

from kefu import i18n
from kefu.complaints import queries as complaints
from kefu.core import clock, excel
from kefu.core.scoping import scoped
from kefu.core.tenancy import TenantContext
from kefu.desk import queries as desk
from kefu.deskstats import policy
from kefu.deskstats.tables import MonthFiling, OccupancySnapshot
from kefu.fees import queries as fees
from kefu.units import queries as units

SNAPSHOT_LIMIT = 5_000


async def snapshot(tenant_id: int, period: date) -> dict[str, Any] | None:
    """The month's snapshot — {"taken_at", "how", "occupancy": occupancy_by_building's rows} —
    or None when it was never taken."""
    rows = await scoped(OccupancySnapshot, tenant_id, OccupancySnapshot.building_id, OccupancySnapshot.building,
                        OccupancySnapshot.occupancy, OccupancySnapshot.n, OccupancySnapshot.how,
                        OccupancySnapshot.taken_at).where(
        OccupancySnapshot.period == period.replace(day=1)).order_by(OccupancySnapshot.id).limit(SNAPSHOT_LIMIT)
    marker = next((r for r in rows if r["building_id"] == 0 and r["occupancy"] == ""), None)
    if marker is None:
        return None
    return {"taken_at": marker["taken_at"], "how": marker["how"],
            "occupancy": [r for r in rows if r is not marker]}


async def filing(tenant_id: int, period: date) -> dict[str, Any] | None:
    """The filing of `period`'s month (C.i) with who filed it, or None while it is not filed."""
    row = await scoped(MonthFiling, tenant_id, MonthFiling.id, MonthFiling.period, MonthFiling.note,
                       MonthFiling.filed_at, MonthFiling.filed_by.name.as_alias("filed_by_name")).where(
        MonthFiling.period == period.replace(day=1)).first()
    return dict(row) if row else None


async def filed_month(tenant_id: int, filing_id: int) -> date | None:
    """The month (its first day) filing `filing_id` is of, or None when the tenant has none such."""
    row = await scoped(MonthFiling, tenant_id, MonthFiling.period).where(MonthFiling.id == filing_id).first()
    if row is None:
        return None
    found = row["period"]
    return found if isinstance(found, date) else date.fromisoformat(str(found)[:10])


async def _occupancy(ctx: TenantContext, first: date) -> tuple[list[dict[str, Any]], dict[str, Any] | None, bool]:
    """(occupancy rows, the snapshot, whether the month has ended)."""
    if not policy.is_ended(first, clock.today_in(ctx.tenant.timezone)):
        return await units.occupancy_by_building(ctx.tenant_id), None, False
    taken = await snapshot(ctx.tenant_id, first)
    return (taken["occupancy"] if taken else []), taken, True


async def monthly(ctx: TenantContext, period: date) -> dict[str, Any]:
    """Every figure of `period`'s month. 403 without statistics.view; the fee and paid-service
    money only for a member who may see fee reports, the enquiries for one who may see the
    desk, the complaints for one who may see complaints."""
    ctx.require("statistics.view")
    first, last = policy.month_bounds(period)
    tz = ctx.tenant.timezone
    occupancy, taken, ended = await _occupancy(ctx, first)
    moves = await units.moves_between(ctx.tenant_id, first, last, tz)
    money = ctx.can("fees.reports")
    collection = await fees.collection(ctx, first) if money else []
    revenue = await desk.service_revenue(ctx.tenant_id, first, last, tz) if money else None
    enquiries = await desk.enquiries_between(ctx.tenant_id, first, last, tz) if ctx.can("desk.view") else None
    received = (await complaints.reports.received_between(ctx.tenant_id, first, last)
                if ctx.can("complaints.view") else None)
    return {"period": first, "rows": policy.building_rows(occupancy, moves, collection),
            "filing": await filing(ctx.tenant_id, first), "may_file": first <= clock.today_in(tz).replace(day=1),
            "ended": ended, "snapshot": taken, "fees_shown": money, "complaints": received,
            "revenue": None if revenue is None else sorted(revenue.items()),
            "revenue_total": None if revenue is None else sum(revenue.values(), Decimal(0)),
            "enquiries": enquiries, **desk.catalogue_labels(ctx.tenant.kind)}


def _headers(fees_shown: bool) -> list[str]:
    names = ["Building", "Units", "Occupied", "Vacant", "Under renovation", "Occupancy rate", "Move-ins",
             "Move-outs"]
    if fees_shown:
        names += ["Billed", "Paid", "Collection rate"]
    return [i18n.gettext(n) for n in names]


def _line(r: dict[str, Any], fees_shown: bool) -> list[Any]:
    line = [r["building"] or i18n.gettext("All buildings"), r["units"], r["occupied"], r["vacant"], r["renovation"],
            r["occupancy_rate"], r["move_in"], r["move_out"]]
    return line + ([r["billed"], r["paid"], r["collection_rate"]] if fees_shown else [])


def workbook(found: dict[str, Any], tz: str) -> bytes:
    book = excel.Book(tz)
    month = found["period"].isoformat()[:7]
    book.sheet(i18n.gettext("Monthly statistics"), _headers(found["fees_shown"])).extend(
        _line(r, found["fees_shown"]) for r in found["rows"])
    if found["revenue"] is not None:
        sheet = book.sheet(i18n.gettext("Paid-service revenue"), [i18n.gettext("Service"), i18n.gettext("Revenue")])
        sheet.extend([found["service_label"](code), amount] for code, amount in found["revenue"])
        sheet.append([i18n.gettext("Total"), found["revenue_total"]])
    if found["enquiries"] is not None:
        book.sheet(i18n.gettext("Enquiries"), [i18n.gettext("Topic"), i18n.gettext("Enquiries"),
                                              i18n.gettext("Still open")]).extend(
            [found["topic_label"](e["topic"]), e["total"], e["open"]] for e in found["enquiries"])
    if found["complaints"] is not None:
        book.sheet(i18n.gettext("Complaints"), [i18n.gettext("Month"), i18n.gettext("Complaints received")]).append(
            [month, found["complaints"]])
    return book.to_bytes()


async def export_monthly(ctx: TenantContext, period: date) -> bytes:
    """The month's statistics as XLSX, written off the event loop."""
    found = await monthly(ctx, period)
    return await asyncio.to_thread(workbook, found, ctx.tenant.timezone)
