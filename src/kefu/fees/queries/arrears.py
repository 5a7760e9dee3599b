"""Arrears and collection: the outstanding amount per unit (the desk's fee slot), ageing by
building (policy.ageing over sums per building and due day) and the collection rate of a month
(B.e), with its workbook."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from piccolo.query.functions.aggregate import Count, Sum

from kefu import i18n
from kefu.core import clock, excel
from kefu.core.progress import UNWATCHED, Runner
from kefu.core.scoping import scoped, scoped_count
from kefu.core.tenancy import TenantContext
from kefu.fees import policy
from kefu.fees.schemas import parse_month
from kefu.fees.tables import Bill, LateReason

_dec = policy.money
BUILDING_NAME: Any = Bill.unit.building.name  # type: ignore[union-attr]
REASON_BUILDING: Any = LateReason.unit.building.name  # type: ignore[union-attr]


async def unit_arrears(ctx: TenantContext, unit_ids: list[int]) -> dict[int, Decimal]:
    """What each of these units owes now (unpaid bills, due or not); units that owe nothing are left out."""
    ctx.require("fees.view")
    if not unit_ids:
        return {}
    rows = await scoped(Bill, ctx.tenant_id, Bill.unit.as_alias("unit"), Sum(Bill.amount).as_alias("billed"),
                        Sum(Bill.paid).as_alias("paid")).where(
        Bill.unit.is_in(unit_ids), Bill.paid < Bill.amount).group_by(Bill.unit)
    return {r["unit"]: _dec(r["billed"]) - _dec(r["paid"]) for r in rows}


async def ageing_by_building(ctx: TenantContext, today: date) -> list[dict[str, Any]]:
    ctx.require("fees.reports")
    rows = await scoped(Bill, ctx.tenant_id, BUILDING_NAME.as_alias("building"), Bill.due_on,
                        Sum(Bill.amount).as_alias("billed"), Sum(Bill.paid).as_alias("paid")).where(
        Bill.paid < Bill.amount).group_by(BUILDING_NAME, Bill.due_on)
    return policy.ageing([{"building": r["building"], "due_on": r["due_on"],
                           "outstanding": _dec(r["billed"]) - _dec(r["paid"])} for r in rows], today)


async def collection(ctx: TenantContext, period: date) -> list[dict[str, Any]]:
    """B.e: billed, paid and the rate per building for `period`'s month, then the whole."""
    ctx.require("fees.reports")
    rows = await scoped(Bill, ctx.tenant_id, BUILDING_NAME.as_alias("building"),
                        Sum(Bill.amount).as_alias("billed"), Sum(Bill.paid).as_alias("paid")).where(
        Bill.period == period.replace(day=1)).group_by(BUILDING_NAME)
    found = [{"building": r["building"], "billed": _dec(r["billed"]), "paid": _dec(r["paid"])} for r in rows]
    found.sort(key=lambda r: r["building"])
    total = {"building": None, "billed": sum((r["billed"] for r in found), Decimal(0)),
             "paid": sum((r["paid"] for r in found), Decimal(0))}
    return [{**r, "rate": policy.collection_rate(r["billed"], r["paid"])} for r in [*found, total]]


async def reasons_by_building(ctx: TenantContext) -> list[dict[str, Any]]:
    """C.j: how many late or refused payments each reason category explains, per building."""
    ctx.require("fees.reports")
    return await scoped(LateReason, ctx.tenant_id, REASON_BUILDING.as_alias("building"),
                        LateReason.category, Count(LateReason.id).as_alias("n")).group_by(
        REASON_BUILDING, LateReason.category).order_by(REASON_BUILDING)


def workbook(ageing: list[dict[str, Any]], rates: list[dict[str, Any]], tz: str) -> bytes:
    book = excel.Book(tz)
    headers = [i18n.gettext("Building"), *policy.BUCKETS, i18n.gettext("Total")]
    book.sheet(i18n.gettext("Arrears ageing"), headers).extend(
        [r["building"], *(r[b] for b in policy.BUCKETS), r["total"]] for r in ageing)
    headers = [i18n.gettext("Building"), i18n.gettext("Billed"), i18n.gettext("Paid"),
               i18n.gettext("Collection rate")]
    book.sheet(i18n.gettext("Collection"), headers).extend(
        [r["building"] or i18n.gettext("All buildings"), r["billed"], r["paid"], r["rate"]] for r in rates)
    return book.to_bytes()


EXPORTING = i18n.lazy("Preparing the fees report export")


def export_args(ctx: TenantContext, raw_period: str) -> dict[str, str]:
    """The report's month ("2026-12"; this month when not one) as a job stores it."""
    period = parse_month(raw_period) or clock.today_in(ctx.tenant.timezone).replace(day=1)
    return {"period": period.isoformat()[:7]}


async def export_count(ctx: TenantContext, args: dict[str, Any]) -> int:
    """The bills the workbook sums: every unpaid one (the ageing) and the month's (the collection)."""
    ctx.require("fees.reports")
    period = parse_month(args.get("period", "")) or date.min
    return await scoped_count(Bill, ctx.tenant_id).where((Bill.paid < Bill.amount) | (Bill.period == period))


async def export_file(ctx: TenantContext, args: dict[str, Any], runner: Runner = UNWATCHED) -> tuple[str, bytes]:
    """(file name, workbook) of the arrears ageing today and the collection of the month."""
    period = date.fromisoformat(export_args(ctx, args.get("period", ""))["period"] + "-01")
    ageing = await ageing_by_building(ctx, clock.today_in(ctx.tenant.timezone))
    rates = await collection(ctx, period)
    tz = ctx.tenant.timezone
    return (f"fees-{ctx.tenant.slug}-{period.isoformat()[:7]}.xlsx",
            await runner.in_thread(lambda _: workbook(ageing, rates, tz)))
